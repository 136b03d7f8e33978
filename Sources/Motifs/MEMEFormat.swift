import FileIO

/// MEME text format (version 4) as used by motif databases and Tomtom:
/// ```
/// MEME version 4
/// ALPHABET= ACGT
/// MOTIF MA0002.2 RUNX1
/// letter-probability matrix: alength= 4 w= 11 nsites= 2000 E= 0
///   0.1435  0.2480  0.3480  0.2605
///   …
/// ```
public enum MEMEFormat {
    /// How far a letter-probability row may sum from 1: files round (four values at two decimals
    /// can be off by 0.02); rows are renormalised on use (`Motif.probabilities`).
    public static let rowSumTolerance = 0.05

    public static func parse(_ text: String, path: String) throws -> [Motif] {
        var motifs: [Motif] = []
        var current: (id: String, name: String, line: Int)?
        var expected: (width: Int, alength: Int, sites: Double?, eValue: Double?)?
        var matrix: [[Double]] = []
        // The file's background and strands, which every motif in it keeps.
        var background: [Double]?, bothStrands = true, backgroundLine: Int?, backgroundText = ""
        func finish() throws {
            guard let c = current else { return }
            guard let e = expected else { throw FileIOError(path: path, line: c.line, "MOTIF \(c.id) has no letter-probability matrix") }
            guard matrix.count == e.width else {
                throw FileIOError(path: path, line: c.line, "MOTIF \(c.id): w= \(e.width) but \(matrix.count) rows")
            }
            var motif = Motif(id: c.id, name: c.name, matrix: matrix, sites: e.sites, probabilityRows: true)
            (motif.background, motif.bothStrands, motif.eValue) = (background, bothStrands, e.eValue)
            motifs.append(motif)
            current = nil; expected = nil; matrix = []
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (k, raw) in lines.enumerated() {
            let line = raw.trimmingWhitespace(), number = k + 1
            if let start = backgroundLine {
                // "A 0.3 C 0.2 G 0.2 T 0.3", on one line or several, up to the first MOTIF.
                if !line.hasPrefix("MOTIF") {
                    backgroundText += " " + line
                    let fields = backgroundText.split(whereSeparator: { $0 == " " || $0 == "\t" }).count
                    if fields == 0 || (!line.isEmpty && fields < 8) { continue }
                }
                background = try Self.background(backgroundText, path: path, line: start)
                backgroundLine = nil
                if !line.hasPrefix("MOTIF") { continue }
            }
            if line.hasPrefix("Background letter frequencies") {
                backgroundLine = number; backgroundText = ""
            } else if line.hasPrefix("strands:") {
                let strands = line.dropFirst("strands:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard !strands.isEmpty, strands.allSatisfy({ $0 == "+" || $0 == "-" }) else {
                    throw FileIOError(path: path, line: number, "'\(line)': expected 'strands: + -' or 'strands: +'")
                }
                bothStrands = strands.contains("-")
            } else if line.hasPrefix("ALPHABET=") {
                let alphabet = line.dropFirst("ALPHABET=".count).trimmingWhitespace()
                guard alphabet.uppercased() == "ACGT" else { throw FileIOError(path: path, line: number, "alphabet '\(alphabet)' is not DNA (ACGT)") }
            } else if line.hasPrefix("MOTIF") {
                try finish()
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard fields.count >= 2 else { throw FileIOError(path: path, line: number, "MOTIF without an identifier") }
                // MEME's own output continues the line with `width = … sites = … E-value = …`: not a name.
                let name = fields.dropFirst(2).prefix { $0 != "width" }
                current = (String(fields[1]), name.joined(separator: " "), number)
            } else if line.hasPrefix("letter-probability matrix") {
                guard current != nil else { throw FileIOError(path: path, line: number, "a matrix before any MOTIF line") }
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                // `key= value` as the MEME suite writes it, or `key=value`.
                func value(_ key: String) -> Double? {
                    if let k = fields.firstIndex(of: key) { return k + 1 < fields.count ? Double(fields[k + 1]) : nil }
                    return fields.first { $0.hasPrefix(key) }.flatMap { Double($0.dropFirst(key.count)) }
                }
                // w= is optional in the MEME format: without it the width is the rows that follow.
                let rows = lines[(k + 1)...].prefix { row in
                    row.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map { Double($0) != nil } ?? false
                }.count
                let given = fields.contains { $0.hasPrefix("w=") }
                guard let w = given ? value("w=") : Double(rows), w >= 1, w < 1e6, w == w.rounded() else {
                    throw FileIOError(path: path, line: number, given ? "bad 'w=' (motif width)" : "no 'w=' and no matrix rows after the line")
                }
                let alength = value("alength=") ?? 4
                guard alength == 4 else { throw FileIOError(path: path, line: number, "alength= \(alength); only DNA motifs (4 letters) are read") }
                // nsites= 0 says nothing of the sites (a matrix of no sites would be the background):
                // read as unknown, as a missing nsites= is.
                let sites = value("nsites=")
                if let sites, !(sites >= 0) { throw FileIOError(path: path, line: number, "nsites= \(sites) is negative") }
                // E= 0, as motif databases write it, says nothing of a discovery either.
                let e = value("E=")
                expected = (Int(w), 4, sites == 0 ? nil : sites, e == 0 ? nil : e)
            } else if let e = expected, matrix.count == e.width, let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first, Double(first) != nil {
                throw FileIOError(path: path, line: number, "MOTIF \(current!.id): w= \(e.width) but more matrix rows follow")
            } else if let e = expected, matrix.count < e.width, !line.isEmpty,
                      let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first, Double(first) == nil {
                throw FileIOError(path: path, line: number, "MOTIF \(current!.id): w= \(e.width) but \(matrix.count) matrix row\(matrix.count == 1 ? "" : "s") before '\(line.prefix(20))'")
            } else if let e = expected, matrix.count < e.width, !line.isEmpty {
                matrix.append(try probabilityRow(line, count: e.alength, path: path, line: number))
            }
        }
        try finish()
        guard !motifs.isEmpty else { throw FileIOError(path: path, "no MOTIF entries found") }
        return motifs
    }

    /// One position's letter probabilities (MEME's and HOMER's rows): `count` non-negative numbers
    /// summing to 1 within `rowSumTolerance`.
    static func probabilityRow(_ text: Substring, count: Int, path: String, line number: Int) throws -> [Double] {
        var row: [Double] = []
        for field in text.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard let v = Double(field), v.isFinite, v >= 0 else { throw FileIOError(path: path, line: number, "'\(field)' is not a probability") }
            row.append(v)
        }
        guard row.count == count else { throw FileIOError(path: path, line: number, "\(row.count) values in a matrix row; expected \(count)") }
        return try summingToOne(row, path: path, line: number)
    }

    /// The row, checked to sum to 1 within `rowSumTolerance` (its entries non-negative).
    static func summingToOne(_ row: [Double], path: String, line number: Int) throws -> [Double] {
        let total = row.reduce(0, +)
        guard Swift.abs(total - 1) <= rowSumTolerance else {
            throw FileIOError(path: path, line: number, "a letter-probability row sums to \(total), not 1 (counts belong in a JASPAR file)")
        }
        return row
    }

    /// "A 0.3 C 0.2 G 0.2 T 0.3" → [0.3, 0.2, 0.2, 0.3] (normalised), nil for the uniform one.
    static func background(_ text: String, path: String, line: Int) throws -> [Double]? {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var frequencies: [Character: Double] = [:]
        var k = 0
        while k + 1 < fields.count, let letter = fields[k].first, fields[k].count == 1, let v = Double(fields[k + 1]) {
            frequencies[Character(letter.uppercased())] = v; k += 2
        }
        let values = Motif.letters.compactMap { frequencies[$0] }
        guard values.count == 4, frequencies.count == 4, values.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw FileIOError(path: path, line: line, "background letter frequencies: expected 'A p C p G p T p' with four positive p, got '\(text.trimmingWhitespace().prefix(60))'")
        }
        return try background(values, path: path, line: line)
    }

    /// Background frequencies of A, C, G, T (positive), checked to sum to 1, normalised; nil for the uniform one.
    static func background(_ values: [Double], path: String, line: Int) throws -> [Double]? {
        let total = values.reduce(0, +)
        guard Swift.abs(total - 1) <= rowSumTolerance else { throw FileIOError(path: path, line: line, "background letter frequencies sum to \(total), not 1") }
        let b = values.map { $0 / total }
        return b.allSatisfy({ Swift.abs($0 - 0.25) < 1e-9 }) ? nil : b
    }

    /// One file states one background and one set of strands: the motifs' own when they share them
    /// (as motifs read from one file do), else uniform and both strands.
    public static func render(_ motifs: [Motif]) -> String {
        func shared<T: Equatable>(_ value: (Motif) -> T, _ fallback: T) -> T {
            guard let first = motifs.first.map(value), motifs.allSatisfy({ value($0) == first }) else { return fallback }
            return first
        }
        let background = shared({ $0.background ?? Motif.uniformBackground }, Motif.uniformBackground)
        let strands = shared(\.bothStrands, true) ? "+ -" : "+"
        let frequencies = zip(Motif.letters, background).map { "\($0) \(number($1))" }.joined(separator: " ")
        var out = "MEME version 4\n\nALPHABET= ACGT\n\nstrands: \(strands)\n\nBackground letter frequencies\n\(frequencies)\n\n"
        for m in motifs {
            out += "MOTIF \(m.id)\(m.name.isEmpty ? "" : " " + m.name)\n\n"
            out += "letter-probability matrix: alength= 4 w= \(m.width) nsites= \(number(m.sites ?? Motif.defaultSites)) E= \(m.eValue.map { "\($0)" } ?? "0")\n"
            for row in m.probabilities() { out += row.map { " " + String($0) }.joined(separator: " ") + "\n" }
            out += "\n"
        }
        return out
    }
}
