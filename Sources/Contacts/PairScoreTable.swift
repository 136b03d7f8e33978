import FileIO

/// A table of scored residue pairs as EVcouplings and plmc write them, residues named by their
/// numbers in the focus sequence: EVcouplings' `_CouplingScores.csv` (`i,A_i,j,A_j,fn,cn,…`, the
/// score its `cn` column; seqgen's `contacts --evcouplings` writes the same) or plmc's EC file
/// (`plmc -c`: `i A_i j A_j 0 cn` per line, whitespace-separated, no header).
public struct PairScoreTable: Sendable {
    public struct Entry: Sendable, Equatable {
        public var i: Int, residueI: Character, j: Int, residueJ: Character, score: Float
        /// 1-based line of the file.
        public var line: Int
    }

    public var entries: [Entry]
    public let source: String

    /// Reads `path` (gzip allowed); `scoreColumn` names a CSV's score column (EVcouplings' `cn`).
    public static func read(_ path: String, scoreColumn: String = "cn") throws -> PairScoreTable {
        let reader = try CompressedReader(path: path)
        try reader.requireText("pair score table")
        var entries: [Entry] = []
        var columns: (i: Int, ai: Int, j: Int, aj: Int, score: Int)?
        var csv = false
        while let line = try reader.readLine() {
            let n = reader.lineNumber
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            if entries.isEmpty && columns == nil {
                if line.contains(",") {
                    // EVcouplings' CSV: a header names the columns.
                    csv = true
                    let names = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingWhitespace()) }
                    func index(_ name: String) throws -> Int {
                        guard let k = names.firstIndex(of: name) else {
                            throw FileIOError(path: path, line: n, "no '\(name)' column (columns: \(names.joined(separator: ", "))); an EVcouplings CouplingScores table has i, A_i, j, A_j and \(scoreColumn)")
                        }
                        return k
                    }
                    columns = (try index("i"), try index("A_i"), try index("j"), try index("A_j"), try index(scoreColumn))
                    continue
                }
                columns = (0, 1, 2, 3, 5)      // plmc's EC file
            }
            let c = columns!
            let f = csv ? line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
                        : line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard f.count > max(c.i, c.ai, c.j, c.aj, c.score) else {
                throw FileIOError(path: path, line: n, "\(f.count) fields; expected " + (csv ? "as many as the header" : "6 (plmc's EC file: i A_i j A_j 0 cn)"))
            }
            guard let i = Int(f[c.i]), let j = Int(f[c.j]) else {
                throw FileIOError(path: path, line: n, "residue numbers '\(f[c.i])' and '\(f[c.j])' are not both integers")
            }
            guard f[c.ai].count == 1, f[c.aj].count == 1, let ai = f[c.ai].first, let aj = f[c.aj].first else {
                throw FileIOError(path: path, line: n, "residues '\(f[c.ai])' and '\(f[c.aj])' are not single letters")
            }
            guard let score = Float(f[c.score]), score.isFinite else {
                throw FileIOError(path: path, line: n, "score '\(f[c.score])' is not a finite number")
            }
            guard i != j else { throw FileIOError(path: path, line: n, "pair \(i)–\(j) names one residue twice") }
            entries.append(Entry(i: i, residueI: ai, j: j, residueJ: aj, score: score, line: n))
        }
        guard !entries.isEmpty else { throw FileIOError(path: path, "no scored pair") }
        return PairScoreTable(entries: entries, source: path)
    }

    /// The contact map over a model's L columns, column c holding focus residue `residueNumbers[c]`
    /// (≤ 0: a gap in the focus) with letter `focus[c]`. A pair the table lacks scores as the table's
    /// lowest score (ranked last); `missing` counts such pairs of focus residues, `outside` the
    /// table's pairs that name a residue the model does not cover. A letter that differs from the
    /// focus's is an error naming the line (another numbering?).
    public func contactMap(residueNumbers: [Int], focus: [Character]) throws -> (map: ContactMap, missing: Int, outside: Int) {
        let l = residueNumbers.count
        precondition(focus.count == l, "one focus letter per column")
        var column: [Int: Int] = [:]
        for (c, r) in residueNumbers.enumerated() where r > 0 { column[r] = c }
        let floor = entries.map(\.score).min()!
        var scores = [Float](repeating: floor, count: l * l), seen = [Bool](repeating: false, count: l * l), outside = 0
        for e in entries {
            guard let a = column[e.i], let b = column[e.j] else { outside += 1; continue }
            for (c, letter, r) in [(a, e.residueI, e.i), (b, e.residueJ, e.j)] where letter.uppercased() != focus[c].uppercased() {
                throw FileIOError(path: source, line: e.line, "residue \(r) is '\(letter)' here but '\(focus[c])' in the model's focus sequence: the table numbers another sequence (or from another start)")
            }
            scores[a * l + b] = e.score; scores[b * l + a] = e.score
            seen[a * l + b] = true; seen[b * l + a] = true
        }
        var missing = 0
        for a in 0..<l where residueNumbers[a] > 0 { for b in (a + 1)..<max(l, a + 1) where residueNumbers[b] > 0 && !seen[a * l + b] { missing += 1 } }
        for c in 0..<l { scores[c * l + c] = 0 }
        return (ContactMap(length: l, scores: scores), missing, outside)
    }
}
