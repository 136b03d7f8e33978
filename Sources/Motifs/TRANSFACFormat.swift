import FileIO

/// TRANSFAC matrix records (TRANSFAC's `matrix.dat`, JASPAR's and CIS-BP's TRANSFAC downloads):
/// ```
/// AC  MA0056.1
/// XX
/// ID  MZF1
/// XX
/// P0      A      C      G      T
/// 01      3      5      4      8      N
/// …
/// XX
/// //
/// ```
/// Two-letter keys; a `P0` (or `PO`) line names the matrix's columns, then one numbered row per motif
/// position (counts or frequencies; a trailing consensus letter is ignored); `//` ends a record. The
/// motif's ID is its accession (`AC`), else its `ID`; its name the `ID` (else `NA`), as JASPAR's
/// files hold the matrix ID in `AC` and the factor's name in `ID`.
public enum TRANSFACFormat {
    /// Whether `text` holds TRANSFAC records: a line starting `P0` or `PO` followed by base letters.
    public static func sniff(_ text: String) -> Bool {
        text.split(separator: "\n", omittingEmptySubsequences: true).prefix(200).contains { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            return fields.count >= 5 && (fields[0] == "P0" || fields[0] == "PO") && fields[1].uppercased() == "A"
        }
    }

    public static func parse(_ text: String, path: String) throws -> [Motif] {
        var motifs: [Motif] = []
        var accession: String?, identifier: String?, factor: String?
        var columns: [Int]?                         // the P0 line's A, C, G, T fields, by place
        var rows: [[Double]] = [], start = 0, firstPosition = 1
        func finish() throws {
            defer { accession = nil; identifier = nil; factor = nil; columns = nil; rows = [] }
            guard columns != nil || !rows.isEmpty else { return }   // a record without a matrix (VV, a factor entry)
            guard let id = accession ?? identifier ?? factor else {
                throw FileIOError(path: path, line: start, "a TRANSFAC matrix without an AC or ID line")
            }
            guard !rows.isEmpty else { throw FileIOError(path: path, line: start, "motif \(id) has a P0 line but no rows") }
            if let empty = rows.firstIndex(where: { $0.reduce(0, +) == 0 }) {
                throw FileIOError(path: path, line: start, "motif \(id): position \(empty + 1) has no counts")
            }
            motifs.append(Motif(id: id, name: identifier ?? factor ?? id, matrix: rows, sites: rows[0].reduce(0, +)))
        }
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace(), number = k + 1
            if line.isEmpty { continue }
            if line.hasPrefix("//") { try finish(); continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let key = String(fields[0]), first = fields.dropFirst().first.map(String.init)
            switch key {
            case "AC": accession = accession ?? first
            case "ID": identifier = first
            case "NA": factor = first.map { _ in fields.dropFirst().joined(separator: " ") }
            case "P0", "PO":
                guard columns == nil else { throw FileIOError(path: path, line: number, "a second P0 line in one record (missing '//'?)") }
                let names = fields.dropFirst().map { $0.uppercased() }
                let places = Motif.letters.map { b in names.firstIndex(of: String(b)) }
                guard places.allSatisfy({ $0 != nil }) else {
                    throw FileIOError(path: path, line: number, "the P0 line names \(names.joined(separator: " ")); expected the columns A, C, G and T")
                }
                columns = places.map { $0! }; start = number
            default:
                guard let columns, Int(key) != nil else { continue }   // other keys: BF, DE, BA, CC, XX, …
                let values = fields.dropFirst()
                var row: [Double] = []
                for c in columns {
                    guard c < values.count, let v = Double(values[values.startIndex + c]), v.isFinite, v >= 0 else {
                        throw FileIOError(path: path, line: number, "position \(key): expected a non-negative count for each of A, C, G and T")
                    }
                    row.append(v)
                }
                if rows.isEmpty { firstPosition = Int(key)! }               // 01 in JASPAR's files, 0 or 1 in others
                guard Int(key) == firstPosition + rows.count else {
                    throw FileIOError(path: path, line: number, "position \(key) where position \(firstPosition + rows.count) was expected")
                }
                rows.append(row)
            }
        }
        try finish()
        guard !motifs.isEmpty else { throw FileIOError(path: path, "no TRANSFAC matrices found (a P0 line and numbered rows)") }
        return motifs
    }

    /// TRANSFAC records of counts (`Motif.counts`), as JASPAR writes them: AC the ID, ID the name.
    public static func render(_ motifs: [Motif]) -> String {
        var out = ""
        for m in motifs {
            out += "AC  \(m.id)\nXX\nID  \(m.name.isEmpty ? m.id : m.name.split(separator: " ").joined(separator: "_"))\nXX\nP0      A      C      G      T\n"
            for (p, row) in m.counts.enumerated() {
                out += (p + 1 < 10 ? "0" : "") + String(p + 1) + row.map { "\t" + number($0) }.joined() + "\n"
            }
            out += "XX\n//\n"
        }
        return out
    }
}
