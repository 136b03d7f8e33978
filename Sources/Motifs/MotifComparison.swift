#if canImport(Glibc)
import Glibc
#endif

/// Motif–motif similarity with p-values, by Tomtom's method (Gupta, Stamatoyannopoulos, Bailey &
/// Noble 2007, Genome Biology 8:R24), written here.
///
/// Column score between a query column q (probabilities over A, C, G, T) and a target column t:
/// Pearson correlation r(q, t), or minus the Euclidean distance −‖q − t‖₂.
/// Null: for each query column i, the scores of q_i against every column of every database motif
/// (both strands) — Tomtom's empirical column-score distribution. Scores are centred on that
/// distribution's median m_i, so a query column left unaligned (overhanging the target) adds 0:
/// Tomtom's *complete* score, Σ_{aligned i} (s(q_i, t_j) − m_i).
/// Alignments: every offset with at least `minimumOverlap` aligned columns, target on both strands.
/// The null of an alignment's complete score: Σ_{i∈A} S_i over its aligned query columns A, the S_i
/// independent draws from the columns' null distributions, computed exactly on a grid of `bins`
/// steps per unit score (binned and convolved; Tomtom's dynamic programming). A target's optimal
/// alignment is the one with the highest complete score s*, and its p-value is that of the best of
/// all its alignments (every offset, both strands, taken as independent): 1 − Π_a P(S_a < s*) —
/// what Tomtom computes (`calc_shifted_scores_pvalues_per_query` in MEME's tomtom.c), not a
/// correction of the best alignment's own p-value. E-value = p × number of targets; q-value:
/// Benjamini–Hochberg over the query's targets.
public struct MotifComparison: Sendable {
    public enum ColumnScore: String, Sendable, CaseIterable { case pearson, euclidean }

    public struct Match: Sendable, Equatable {
        public var query: Int, target: Int
        /// Offset of the target's first column relative to the query's first column (Tomtom's
        /// "Optimal_offset" has the opposite sign: query start relative to target start).
        public var offset: Int
        public var reverseComplement: Bool
        public var overlap: Int
        /// The complete (median-centred) score of the best alignment.
        public var score: Double
        public var pValue: Double, eValue: Double, qValue: Double
    }

    public var columnScore: ColumnScore
    public var minimumOverlap: Int
    /// Grid steps per unit of column score for the exact null of sums.
    public var bins: Int
    /// Pseudocount added to each probability before comparison (0: as given).
    public var pseudocount: Double

    public init(columnScore: ColumnScore = .pearson, minimumOverlap: Int = 1, bins: Int = 100, pseudocount: Double = 0) {
        self.columnScore = columnScore; self.minimumOverlap = minimumOverlap; self.bins = bins; self.pseudocount = pseudocount
    }

    /// s(q, t) for two probability columns.
    public func score(_ q: [Double], _ t: [Double]) -> Double {
        switch columnScore {
        case .euclidean:
            return -zip(q, t).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        case .pearson:
            let mq = q.reduce(0, +) / Double(q.count), mt = t.reduce(0, +) / Double(t.count)
            var (sqt, sqq, stt) = (0.0, 0.0, 0.0)
            for (a, b) in zip(q, t) { sqt += (a - mq) * (b - mt); sqq += (a - mq) * (a - mq); stt += (b - mt) * (b - mt) }
            let d = (sqq * stt).squareRoot()
            return d > 1e-12 ? sqt / d : 0
        }
    }

    /// All (query, target) best matches, sorted by query then p-value.
    public func compare(_ queries: [Motif], against targets: [Motif]) -> [Match] {
        let targetColumns = targets.map { $0.probabilities(pseudocount: pseudocount) }
        let rcColumns = targets.map { $0.reverseComplement.probabilities(pseudocount: pseudocount) }
        let allColumns = (targetColumns + rcColumns).flatMap { $0 }
        var out: [Match] = []
        for (qi, query) in queries.enumerated() {
            let q = query.probabilities(pseudocount: pseudocount)
            let null = ColumnNull(query: q, columns: allColumns, comparison: self)
            var matches: [Match] = []
            for (ti, _) in targets.enumerated() {
                var best: (grid: Int, offset: Int, rc: Bool, overlap: Int, score: Double)? = nil
                var spans: [(first: Int, last: Int)] = []
                for (rc, t) in [(false, targetColumns[ti]), (true, rcColumns[ti])] {
                    for offset in (-(t.count - 1))...(q.count - 1) {
                        // Target column j sits under query column j + offset.
                        let first = Swift.max(0, offset), last = Swift.min(q.count - 1, offset + t.count - 1)
                        guard last - first + 1 >= Swift.min(minimumOverlap, q.count, t.count) else { continue }
                        spans.append((first, last))
                        var s = 0.0, grid = 0
                        for i in first...last {
                            let centred = score(q[i], t[i - offset]) - null.medians[i]
                            s += centred; grid += null.gridIndex(centred)
                        }
                        if best == nil || grid > best!.grid || (grid == best!.grid && last - first + 1 > best!.overlap) {
                            best = (grid, offset, rc, last - first + 1, s)
                        }
                    }
                }
                guard let b = best else { continue }
                // P(max over the alignments of their complete scores ≥ the best one's), the
                // alignments' scores independent: 1 − Π_a P(S_a < s).
                let logNone = spans.reduce(0.0) { $0 + log1p(-Swift.min(1, null.survival(first: $1.first, last: $1.last, index: b.grid))) }
                let p = logNone == -.infinity ? 1 : -expm1(logNone)
                matches.append(Match(query: qi, target: ti, offset: b.offset, reverseComplement: b.rc, overlap: b.overlap,
                                     score: b.score, pValue: Swift.min(1, p), eValue: 0, qValue: 0))
            }
            let qValues = MotifComparison.benjaminiHochberg(matches.map(\.pValue))
            for k in matches.indices { matches[k].eValue = matches[k].pValue * Double(targets.count); matches[k].qValue = qValues[k] }
            matches.sort { $0.pValue < $1.pValue || ($0.pValue == $1.pValue && $0.target < $1.target) }
            out += matches
        }
        return out
    }

    /// Benjamini–Hochberg q-values: q_(k) = min_{j ≥ k} p_(j) · n / j, n = `tests` when only some of
    /// the tests' p-values are given (the rest larger), else their count.
    public static func benjaminiHochberg(_ p: [Double], tests: Int? = nil) -> [Double] {
        let n = tests ?? p.count
        let order = p.indices.sorted { p[$0] < p[$1] }
        var q = [Double](repeating: 1, count: p.count)
        var running = 1.0
        for rank in stride(from: p.count - 1, through: 0, by: -1) {
            let i = order[rank]
            running = Swift.min(running, p[i] * Double(n) / Double(rank + 1))
            q[i] = Swift.min(1, running)
        }
        return q
    }
}

/// The null of one query: per column, the binned distribution of its median-centred scores
/// against all database columns; and for any span of columns, the survival function of their sum.
struct ColumnNull {
    let medians: [Double]
    /// Per column: the lowest grid index and the probabilities from there on.
    let low: [Int]
    let mass: [[Double]]
    let step: Double
    /// survivalTables[first][last - first]: (lowest index, P(sum ≥ index) from there on).
    private var tables: [[(low: Int, tail: [Double])]]

    init(query: [[Double]], columns: [[Double]], comparison: MotifComparison) {
        let step = 1 / Double(Swift.max(comparison.bins, 1))
        self.step = step
        var medians: [Double] = [], low: [Int] = [], mass: [[Double]] = []
        for qc in query {
            var scores = columns.map { comparison.score(qc, $0) }
            scores.sort()
            let n = scores.count
            let median = n == 0 ? 0 : (n % 2 == 1 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2)
            medians.append(median)
            let indices = scores.map { Int((($0 - median) / step).rounded()) }
            let lo = indices.first ?? 0, hi = indices.last ?? 0
            var m = [Double](repeating: 0, count: hi - lo + 1)
            for k in indices { m[k - lo] += 1 / Double(n) }
            low.append(lo); mass.append(m)
        }
        self.medians = medians; self.low = low; self.mass = mass
        // Every span's distribution by convolving column after column from each start.
        var tables: [[(low: Int, tail: [Double])]] = []
        for first in query.indices {
            var row: [(low: Int, tail: [Double])] = []
            var lo = low[first], dist = mass[first]
            row.append((lo, ColumnNull.tail(dist)))
            for next in (first + 1)..<Swift.max(first + 1, query.count) {
                dist = ColumnNull.convolve(dist, mass[next]); lo += low[next]
                row.append((lo, ColumnNull.tail(dist)))
            }
            tables.append(row)
        }
        self.tables = tables
    }

    static func convolve(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: a.count + b.count - 1)
        for (i, x) in a.enumerated() where x > 0 { for (j, y) in b.enumerated() where y > 0 { out[i + j] += x * y } }
        return out
    }

    /// tail[k] = Σ_{j ≥ k} p[j].
    static func tail(_ p: [Double]) -> [Double] {
        var out = p, acc = 0.0
        for k in stride(from: p.count - 1, through: 0, by: -1) { acc += p[k]; out[k] = acc }
        return out
    }

    /// A centred column score's grid index (the null's columns are binned the same way).
    func gridIndex(_ centred: Double) -> Int { Int((centred / step).rounded()) }

    /// P(Σ_{i=first…last} S_i ≥ index) for a sum of grid indices (0 beyond the span's largest sum).
    func survival(first: Int, last: Int, index: Int) -> Double {
        let (lo, tail) = tables[first][last - first]
        let k = index - lo
        if k <= 0 { return 1 }
        if k >= tail.count { return 0 }
        return Swift.min(1, Swift.max(0, tail[k]))
    }
}
