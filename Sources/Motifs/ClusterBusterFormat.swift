import FileIO

/// Cluster-Buster motif files (Cluster-Buster, cisTarget's and SCENIC's motif collections):
/// ```
/// >MA0004.1 Arnt
/// # comment
/// 4   16  0   0
/// 19  0   1   0
/// …
/// ```
/// A `>ID [NAME]` header, then one row per motif position of four numbers, A, C, G, T (counts or
/// frequencies) — rows are positions, where a raw JASPAR PFM's rows are bases. `#` lines are
/// comments (Cluster-Buster's `# WEIGHT` and the like). Read only.
public enum ClusterBusterFormat {
    /// Whether `text` is laid out position by position: every block of numbers under a `>` header
    /// has rows of four numbers, and some block has other than four rows (a 4 × 4 block alone
    /// could be either layout, and is read as JASPAR's).
    public static func sniff(_ text: String) -> Bool {
        var rows = 0, fourWide = true, seenHeader = false, decisive = false
        func close() { if seenHeader && rows > 0 && rows != 4 { decisive = true }; rows = 0 }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.first == "#" { continue }
            if line.first == ">" { close(); seenHeader = true; continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard seenHeader, fields.allSatisfy({ Double($0) != nil }) else { return false }
            if fields.count != 4 { fourWide = false }
            rows += 1
        }
        close()
        return fourWide && decisive
    }

    public static func parse(_ text: String, path: String) throws -> [Motif] {
        try PositionRows.parse(text, path: path, probabilities: false, header: { line, number in
            try PositionRows.idAndName(line, path: path, line: number)
        }, row: { line, number in
            let values = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            guard values.count == 4, values.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
                let weights = values.count == 4 && values.contains { $0 < 0 }
                    ? " (negative numbers are log-odds weights, as HOCOMOCO's .pwm files hold: read its .pcm counts or .pfm frequencies instead)" : ""
                throw FileIOError(path: path, line: number, "expected four non-negative numbers (A, C, G, T) for one motif position\(weights)")
            }
            return values
        })
    }
}
