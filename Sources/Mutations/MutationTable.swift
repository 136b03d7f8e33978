import FileIO

/// A deep-mutational-scan table in the ProteinGym layout: a `mutant` column (`A12G`, multi-mutants
/// `A12G:K45R`) and an optional score column (`DMS_score`, higher = fitter). Comma-, tab- or
/// semicolon-separated (guessed from the header), with configurable column names; quoted fields;
/// `#` lines are comments (EVmutation's tables open with their reference).
public struct MutationTable: Sendable {
    public struct Row: Sendable {
        public var variant: Variant
        public var score: Double?
        /// 1-based line number in the file.
        public var line: Int
        /// The text of the label column (e.g. a clinical class "Benign"/"Pathogenic"), when one was read.
        public var label: String?
        /// The scan's own fit (1) / unfit (0) label (ProteinGym's `DMS_score_bin`), when the bin column was read.
        public var fit: Bool?
        /// The whole mutated sequence, in a table of whole sequences (ProteinGym's indel layout);
        /// `variant` then names no substitution.
        public var sequence: String?
        public init(variant: Variant, score: Double?, line: Int, label: String? = nil, fit: Bool? = nil, sequence: String? = nil) {
            self.variant = variant; self.score = score; self.line = line; self.label = label; self.fit = fit; self.sequence = sequence
        }
    }

    public var source: String
    public var rows: [Row]
    /// The column the rows' `fit` labels were read from; nil when the table has none.
    public var binColumn: String?
    /// Rows left out because they name no substitution (`Variant.namesNoSubstitution`: wild type,
    /// synonymous aggregates, insertions and deletions), with their mutant text.
    public var withoutSubstitution: [String]
    /// Whether the mutants are whole sequences (ProteinGym's indel benchmark: each row's `sequence`).
    public var holdsSequences: Bool { rows.first?.sequence != nil }

    public init(source: String, rows: [Row], binColumn: String? = nil, withoutSubstitution: [String] = []) {
        self.source = source; self.rows = rows; self.binColumn = binColumn; self.withoutSubstitution = withoutSubstitution
    }

    /// `labelColumn`: also keep each row's text in this column (`Row.label`); the column must exist.
    /// `binColumn`: read each row's fit/unfit label (0 or 1) from this column when the header has it;
    /// every row with a score must then have one.
    /// `scoreRequired`: the score column must exist (a table to evaluate, not one to score).
    /// `wholeSequences`: a table whose first mutant is a whole sequence (`Variant.isWholeSequence`;
    /// ProteinGym's indel layout) is read as one of whole sequences, every row's `sequence` set
    /// (upper-cased); without it such a table is an error naming its layout.
    public static func read(_ path: String, mutantColumn: String = "mutant", scoreColumn: String? = "DMS_score", scoreRequired: Bool = false,
                            labelColumn: String? = nil, binColumn: String? = nil, separator: Character? = nil,
                            wholeSequences: Bool = false) throws -> MutationTable {
        let reader = try CompressedReader(path: path)
        try reader.requireText("mutation table")
        // Leading `#` lines are comments (EVmutation's and EVcouplings' example tables cite their source so).
        var header: String
        repeat {
            guard let line = try reader.readLine() else { throw FileIOError(path: path, line: max(reader.lineNumber, 1), "empty file (no header line)") }
            header = line
        } while header.hasPrefix("#")
        let headerLine = reader.lineNumber
        // Tab, else semicolon when the header has no comma (EVmutation's `mutant;linear;log`), else comma.
        let sep = separator ?? (header.contains("\t") ? "\t" : header.contains(";") && !header.contains(",") ? ";" : ",")
        let names = splitFields(header, sep).map { String($0.trimmingWhitespace()) }
        guard let iMutant = names.firstIndex(of: mutantColumn) else {
            throw FileIOError(path: path, line: headerLine, "no '\(mutantColumn)' column (columns: \(names.joined(separator: ", ")))")
        }
        let iScore = scoreColumn.flatMap { names.firstIndex(of: $0) }
        if scoreRequired, let scoreColumn, iScore == nil {
            throw FileIOError(path: path, line: headerLine, "no '\(scoreColumn)' column (columns: \(names.joined(separator: ", ")))")
        }
        var iLabel: Int? = nil
        if let labelColumn {
            guard let k = names.firstIndex(of: labelColumn) else {
                throw FileIOError(path: path, line: headerLine, "no '\(labelColumn)' label column (columns: \(names.joined(separator: ", ")))")
            }
            iLabel = k
        }
        let iBin = binColumn.flatMap { names.firstIndex(of: $0) }
        var rows: [Row] = [], skipped: [String] = []
        while let line = try reader.readLine() {
            let n = reader.lineNumber
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            let f = splitFields(line, sep)
            guard f.count == names.count else {
                throw FileIOError(path: path, line: n, "\(f.count) fields, expected \(names.count) as in the header")
            }
            let text = f[iMutant].trimmingWhitespace()
            var sequence: String? = nil
            if wholeSequences && (rows.isEmpty ? Variant.isWholeSequence(text) : rows[0].sequence != nil) {
                guard Variant.isWholeSequence(text) else {
                    throw FileIOError(path: path, line: n, "'\(text)' is not a whole sequence, and the table's first mutant is one (ProteinGym's indel layout): a table holds one kind")
                }
                sequence = text.uppercased()
            }
            // (No text that names no substitution parses as a variant, so the order of the two tests is free.)
            if sequence == nil && Variant.namesNoSubstitution(text) { skipped.append(f[iMutant]); continue }
            var v = Variant([])
            if sequence == nil {
                switch Variant.parsing(text) {
                case .success(let parsed): v = parsed
                case .failure(let problem): throw FileIOError(path: path, line: n, problem.description)
                }
            }
            var score: Double? = nil
            if let iScore {
                let s = String(f[iScore].trimmingWhitespace())
                if !s.isEmpty && s.lowercased() != "nan" && s.lowercased() != "na" {
                    guard let d = Double(s) else { throw FileIOError(path: path, line: n, "score '\(s)' is not a number") }
                    guard d.isFinite else { throw FileIOError(path: path, line: n, "score '\(s)' is not finite (leave it empty, or NaN, for a missing score)") }
                    score = d
                }
            }
            var fit: Bool? = nil
            if let iBin, let binColumn {
                let b = String(f[iBin].trimmingWhitespace())
                if b.isEmpty || ["nan", "na"].contains(b.lowercased()) {
                    if score != nil { throw FileIOError(path: path, line: n, "'\(binColumn)' is empty where the score is not (expected 0 or 1)") }
                } else {
                    // 0 / 1 as ProteinGym writes them; False / True as pandas writes a boolean column.
                    switch b.lowercased() {
                    case "true": fit = true
                    case "false": fit = false
                    default:
                        guard let d = Double(b), d == 0 || d == 1 else {
                            throw FileIOError(path: path, line: n, "'\(binColumn)' is '\(b)', expected 0 (unfit) or 1 (fit)")
                        }
                        fit = d == 1
                    }
                }
            }
            rows.append(Row(variant: v, score: score, line: n, label: iLabel.map { String(f[$0].trimmingWhitespace()) }, fit: fit, sequence: sequence))
        }
        return MutationTable(source: path, rows: rows, binColumn: iBin == nil ? nil : binColumn, withoutSubstitution: skipped)
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

