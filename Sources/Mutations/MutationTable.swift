import FileIO

/// A deep-mutational-scan table in the ProteinGym layout: a `mutant` column (`A12G`, multi-mutants
/// `A12G:K45R`) and an optional score column (`DMS_score`, higher = fitter). Comma- or tab-separated
/// (guessed from the header), with configurable column names. Quoted fields are supported.
public struct MutationTable: Sendable {
    public struct Row: Sendable {
        public var variant: Variant
        public var score: Double?
        /// 1-based line number in the file.
        public var line: Int
        /// The text of the label column (e.g. a clinical class "Benign"/"Pathogenic"), when one was read.
        public var label: String?
        public init(variant: Variant, score: Double?, line: Int, label: String? = nil) {
            self.variant = variant; self.score = score; self.line = line; self.label = label
        }
    }

    public var source: String
    public var rows: [Row]

    public init(source: String, rows: [Row]) { self.source = source; self.rows = rows }

    /// `labelColumn`: also keep each row's text in this column (`Row.label`); the column must exist.
    public static func read(_ path: String, mutantColumn: String = "mutant", scoreColumn: String? = "DMS_score",
                            labelColumn: String? = nil, separator: Character? = nil) throws -> MutationTable {
        let reader = try CompressedReader(path: path)
        try reader.requireText("mutation table")
        guard let header = try reader.readLine() else { throw FileIOError(path: path, line: 1, "empty file") }
        let sep = separator ?? (header.contains("\t") ? "\t" : ",")
        let names = splitFields(header, sep).map { String($0.trimmingWhitespace()) }
        guard let iMutant = names.firstIndex(of: mutantColumn) else {
            throw FileIOError(path: path, line: 1, "no '\(mutantColumn)' column (columns: \(names.joined(separator: ", ")))")
        }
        let iScore = scoreColumn.flatMap { names.firstIndex(of: $0) }
        var iLabel: Int? = nil
        if let labelColumn {
            guard let k = names.firstIndex(of: labelColumn) else {
                throw FileIOError(path: path, line: 1, "no '\(labelColumn)' label column (columns: \(names.joined(separator: ", ")))")
            }
            iLabel = k
        }
        var rows: [Row] = []
        while let line = try reader.readLine() {
            let n = reader.lineNumber
            if line.allSatisfy(\.isWhitespace) { continue }
            let f = splitFields(line, sep)
            guard f.count == names.count else {
                throw FileIOError(path: path, line: n, "\(f.count) fields, expected \(names.count) as in the header")
            }
            guard let v = Variant(f[iMutant][...]) else {
                throw FileIOError(path: path, line: n, "cannot parse mutant '\(f[iMutant])' (expected e.g. A12G or A12G:K45R)")
            }
            var score: Double? = nil
            if let iScore {
                let s = String(f[iScore].trimmingWhitespace())
                if !s.isEmpty && s.lowercased() != "nan" && s.lowercased() != "na" {
                    guard let d = Double(s) else { throw FileIOError(path: path, line: n, "score '\(s)' is not a number") }
                    score = d
                }
            }
            rows.append(Row(variant: v, score: score, line: n, label: iLabel.map { String(f[$0].trimmingWhitespace()) }))
        }
        return MutationTable(source: path, rows: rows)
    }

    /// Splits on `sep` outside double quotes.
    static func splitFields(_ line: String, _ sep: Character) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        for ch in line {
            if ch == "\"" { quoted.toggle() }
            else if ch == sep && !quoted { out.append(cur); cur = "" }
            else { cur.append(ch) }
        }
        out.append(cur)
        return out
    }

    /// Checks every substitution's wild-type letter against `wildType(position)` (nil = position not
    /// in the focus). Positions are table numbers + `offset`. Throws at the first mismatch, naming the row.
    public func validate(offset: Int = 0, wildType: (Int) -> Character?) throws {
        for r in rows {
            for s in r.variant.substitutions {
                let p = s.position + offset
                guard let wt = wildType(p) else { continue }
                guard wt == s.wildType else {
                    throw FileIOError(path: source, line: r.line,
                                      "mutant \(r.variant): wild type at \(p) is \(wt) in the focus sequence, not \(s.wildType)\(offset != 0 ? " (offset \(offset))" : "")")
                }
            }
        }
    }
}

