import FileIO

/// JASPAR count matrices:
/// ```
/// >MA0002.2	RUNX1
/// A  [ 287  234 … ]
/// C  [ 496  485 … ]
/// G  [ … ]
/// T  [ … ]
/// ```
/// Rows may also omit the brackets (`A 287 234 …`), in any order, or the base letters too (JASPAR's
/// raw PFM download): four rows of numbers, A, C, G, T in that order. A file of one matrix without a
/// header (JASPAR's older `.pfm` files) names the motif by the file (`MA0083.pfm` → `MA0083`);
/// `#` lines are comments.
public enum JASPARFormat {
    public static func parse(_ text: String, path: String) throws -> [Motif] {
        var motifs: [Motif] = []
        var header: (id: String, name: String, line: Int)?
        var rows: [Character: [Double]] = [:]
        var labelledRows = 0, unlabelledRows = 0
        func finish() throws {
            guard let h = header else { return }
            guard rows.count == 4 else {
                throw FileIOError(path: path, line: h.line, "motif \(h.id) has \(rows.count) base rows; expected A, C, G and T")
            }
            let width = rows["A"]!.count
            guard width > 0, rows.values.allSatisfy({ $0.count == width }) else {
                throw FileIOError(path: path, line: h.line, "motif \(h.id): base rows have different lengths (\(Motif.letters.map { rows[$0]!.count }))")
            }
            let matrix = (0..<width).map { p in Motif.letters.map { rows[$0]![p] } }
            if let empty = matrix.firstIndex(where: { $0.reduce(0, +) == 0 }) {
                throw FileIOError(path: path, line: h.line, "motif \(h.id): column \(empty + 1) has no counts")
            }
            motifs.append(Motif(id: h.id, name: h.name, matrix: matrix, sites: matrix.first.map { $0.reduce(0, +) }))
            header = nil; rows = [:]; labelledRows = 0; unlabelledRows = 0
        }
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace(), number = k + 1
            if line.isEmpty || line.first == "#" { continue }
            if line.first == ">" {
                try finish()
                let (id, name) = try PositionRows.idAndName(line.dropFirst(), path: path, line: number)
                header = (id, name, number)
                continue
            }
            if header == nil && motifs.isEmpty {
                // A single matrix without a header (JASPAR's older raw .pfm files): its ID is the file's name.
                let file = path.split(separator: "/").last ?? Substring(path)
                header = (String(file.lastIndex(of: ".").map { file[..<$0] } ?? file), "", number)
            }
            guard header != nil else { throw FileIOError(path: path, line: number, "a matrix row before any '>ID NAME' header") }
            let unlabelled = line.first.map { $0.isNumber || $0 == "." } ?? false
            if unlabelled { unlabelledRows += 1 } else { labelledRows += 1 }
            guard unlabelledRows == 0 || labelledRows == 0 else {
                throw FileIOError(path: path, line: number, "motif \(header!.id) mixes rows with and without base letters")
            }
            guard unlabelledRows <= 4 else {
                throw FileIOError(path: path, line: number, "motif \(header!.id) has a fifth row of numbers (a raw PFM has four: A, C, G, T)")
            }
            guard let base = unlabelled ? Motif.letters[unlabelledRows - 1] : line.first.map({ Character($0.uppercased()) }), Motif.letters.contains(base) else {
                throw FileIOError(path: path, line: number, "expected a row starting with A, C, G or T (or four rows of numbers), found '\(line.prefix(20))'")
            }
            guard rows[base] == nil else { throw FileIOError(path: path, line: number, "second \(base) row in one motif") }
            let body = (unlabelled ? line[...] : line.dropFirst()).filter { $0 != "[" && $0 != "]" }
            var values: [Double] = []
            for field in body.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
                guard let v = Double(field), v.isFinite, v >= 0 else {
                    // A sequence file given as motifs: say so, and do not echo a chromosome-long line.
                    let sequence = field.count > 1 && field.allSatisfy { "ACGTNacgtn".contains($0) }
                    throw FileIOError(path: path, line: number, "'\(field.count > 20 ? field.prefix(20) + "…" : field)' is not a non-negative count"
                                      + (sequence ? " (a DNA sequence? a motif file holds '>ID NAME' and rows 'A [ counts ]', or MEME matrices)" : ""))
                }
                values.append(v)
            }
            rows[base] = values
        }
        try finish()
        guard !motifs.isEmpty else { throw FileIOError(path: path, "no motifs found (expected JASPAR '>ID NAME' or MEME format)") }
        return motifs
    }

    /// Count rows (`Motif.counts`: probabilities read from MEME become counts of their sites),
    /// labelled `A  [ … ]` or, for JASPAR's raw PFM, four unlabelled rows.
    public static func render(_ motifs: [Motif], labelled: Bool = true) -> String {
        var out = ""
        for m in motifs {
            let counts = m.counts
            out += ">\(m.id)\t\(m.name)\n"
            for (b, letter) in Motif.letters.enumerated() {
                let values = counts.map { number($0[b]) }
                out += labelled ? "\(letter)  [ " + values.joined(separator: " ") + " ]\n" : values.joined(separator: "\t") + "\n"
            }
        }
        return out
    }
}
