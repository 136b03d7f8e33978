import FileIO

/// The reading both position-row layouts share (HOMER, Cluster-Buster): `>` headers, then one row
/// of A, C, G, T per motif position; blank and `#` lines skipped.
enum PositionRows {
    /// `>ID NAME…` (the `>` dropped): the first word and the rest, as JASPAR and Cluster-Buster write them.
    static func idAndName(_ header: Substring, path: String, line: Int) throws -> (String, String) {
        let fields = header.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let id = fields.first else { throw FileIOError(path: path, line: line, "a '>' header without a motif ID") }
        return (String(id), fields.dropFirst().joined(separator: " "))
    }

    static func parse(_ text: String, path: String, probabilities: Bool,
                      header: (Substring, Int) throws -> (String, String), row: (Substring, Int) throws -> [Double]) throws -> [Motif] {
        var motifs: [Motif] = []
        var current: (id: String, name: String, line: Int)?
        var rows: [[Double]] = []
        func finish() throws {
            guard let c = current else { return }
            guard !rows.isEmpty else { throw FileIOError(path: path, line: c.line, "motif \(c.id) has no rows") }
            if let empty = rows.firstIndex(where: { $0.reduce(0, +) == 0 }) {
                throw FileIOError(path: path, line: c.line, "motif \(c.id): position \(empty + 1) has no counts")
            }
            motifs.append(probabilities ? Motif(id: c.id, name: c.name, matrix: rows, probabilityRows: true)
                                        : Motif(id: c.id, name: c.name, matrix: rows, sites: rows[0].reduce(0, +)))
            current = nil; rows = []
        }
        for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace(), number = k + 1
            if line.isEmpty || line.first == "#" { continue }
            if line.first == ">" {
                try finish()
                let (id, name) = try header(line.dropFirst(), number)
                current = (id, name, number)
                continue
            }
            guard current != nil else { throw FileIOError(path: path, line: number, "a matrix row before any '>' header") }
            rows.append(try row(line, number))
        }
        try finish()
        guard !motifs.isEmpty else { throw FileIOError(path: path, "no motifs found") }
        return motifs
    }
}
