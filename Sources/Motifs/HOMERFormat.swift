import FileIO

/// HOMER's motif files (`homer2`, `findMotifsGenome.pl`, HOMER's known-motif library):
/// ```
/// >GGGGCGGGGC	Sp1(Zf)/Promoter/Homer	6.6521	…
/// 0.001	0.001	0.997	0.001
/// …
/// ```
/// A header `>CONSENSUS<tab>NAME<tab>LOG-ODDS THRESHOLD[<tab>…]`, then one row per motif position of
/// four probabilities (A, C, G, T) — rows are positions, where JASPAR's rows are bases. The motif's
/// ID is its name (HOMER names are unique in its library), its name the consensus. Read only.
public enum HOMERFormat {
    /// Whether `text` looks like HOMER: the first non-empty line is a `>` header of at least three
    /// tab-separated fields whose third is a number, followed by a row of four numbers.
    public static func sniff(_ text: String) -> Bool {
        let lines = text.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: true).prefix(2).map { $0.trimmingWhitespace() }
        guard lines.count == 2, lines[0].first == ">" else { return false }
        let header = lines[0].dropFirst().split(separator: "\t", omittingEmptySubsequences: false)
        let row = lines[1].split(whereSeparator: { $0 == " " || $0 == "\t" })
        return header.count >= 3 && Double(header[2].trimmingWhitespace()) != nil && row.count == 4 && row.allSatisfy { Double($0) != nil }
    }

    public static func parse(_ text: String, path: String) throws -> [Motif] {
        try PositionRows.parse(text, path: path, probabilities: true, header: { line, number in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0.trimmingWhitespace()) }
            guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw FileIOError(path: path, line: number, "a HOMER header needs '>CONSENSUS<tab>NAME<tab>THRESHOLD'")
            }
            return (fields[1].split(separator: " ").joined(separator: "_"), fields[0])   // an ID is one word in MEME output
        }, row: { line, number in try MEMEFormat.probabilityRow(line, count: 4, path: path, line: number) })
    }
}
