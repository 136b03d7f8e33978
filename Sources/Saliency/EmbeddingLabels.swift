import FileIO

/// Labels for sequences, from a CSV or TSV file: a header, then rows `name<sep>label` (extra
/// columns ignored); the separator is a tab when the header has one, else a comma.
public enum EmbeddingLabels {
    public static func read(_ path: String) throws -> [String: String] {
        let text = try CompressedReader.readText(path, what: "label table")
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else { throw FileIOError(path: path, "empty label table (expected a header and rows name,label)") }
        let sep: Character = header.contains("\t") ? "\t" : ","
        var out: [String: String] = [:]
        for (k, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let fields = line.split(separator: sep, omittingEmptySubsequences: false).map { String($0.trimmingWhitespace()) }
            guard fields.count >= 2 else { throw FileIOError(path: path, line: k + 1, "expected name\(sep == "\t" ? "<TAB>" : ",")label, got '\(line)'") }
            out[fields[0]] = fields[1]
        }
        return out
    }

    /// Each sequence's label: looked up by its full name, then by the name's first word (FASTA
    /// descriptions); "unlabelled" when neither is in the table.
    public static func groups(_ table: [String: String], names: [String]) -> [String] {
        names.map { table[$0] ?? table[String($0.split(separator: " ").first ?? "")] ?? "unlabelled" }
    }
}
