#if canImport(Glibc)
import Glibc
#endif
import Tensors

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

    /// All (query, target) best matches, sorted by query then p-value. Queries are split over the
    /// threads (the same matches at any count).
    public func compare(_ queries: [Motif], against targets: [Motif]) -> [Match] {
        let forward = targets.map { $0.probabilities(pseudocount: pseudocount) }
        let reverse = targets.map { $0.reverseComplement.probabilities(pseudocount: pseudocount) }
        // Every target column on both strands, forward strands first; target t's columns start at
        // starts[t] (forward) and half + starts[t] (reverse).
        let database = ColumnTable((forward + reverse).flatMap { $0 }, comparison: self)
        var starts: [Int] = [], half = 0
        for t in forward { starts.append(half); half += t.count }
        let layout = TargetLayout(widths: forward.map(\.count), starts: starts, half: half)
        var perQuery = [[Match]](repeating: [], count: queries.count)
        perQuery.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            Parallel.forEachChunk(queries.count, minimumPerThread: 1) { range in
                for qi in range { out[qi] = self.matches(of: queries[qi], index: qi, layout: layout, database: database) }
            }
        }
        return perQuery.flatMap { $0 }
    }

    /// Where each target's columns sit in the database's column table.
    struct TargetLayout: Sendable { let widths: [Int], starts: [Int], half: Int }

    /// One query's matches against every target, by p-value, with E- and q-values.
    private func matches(of query: Motif, index qi: Int, layout: TargetLayout, database: ColumnTable) -> [Match] {
        let q = query.probabilities(pseudocount: pseudocount)
        // No alignment spans more columns than the widest target has.
        let null = ColumnNull(query: q, database: database, comparison: self, longestSpan: layout.widths.max() ?? 0)
        let medians = null.medians, n = database.count, width = q.count
        var matches: [Match] = []
        var spans: [(first: Int, last: Int)] = []
        null.scores.withUnsafeBufferPointer { scores in null.grids.withUnsafeBufferPointer { grids in
            for ti in layout.widths.indices {
                let w = layout.widths[ti]
                var best: (grid: Int, offset: Int, rc: Bool, overlap: Int, score: Double)? = nil
                spans.removeAll(keepingCapacity: true)
                for rc in [false, true] {
                    let base = (rc ? layout.half : 0) + layout.starts[ti]
                    for offset in (-(w - 1))...(width - 1) {
                        // Target column j sits under query column j + offset.
                        let first = Swift.max(0, offset), last = Swift.min(width - 1, offset + w - 1)
                        guard last - first + 1 >= Swift.min(minimumOverlap, width, w) else { continue }
                        spans.append((first, last))
                        // Query column i meets database column base + i − offset: a diagonal.
                        var grid = 0
                        for i in first...last { grid += Int(grids[i * n + base + i - offset]) }
                        if best == nil || grid > best!.grid || (grid == best!.grid && last - first + 1 > best!.overlap) {
                            var s = 0.0
                            for i in first...last { s += scores[i * n + base + i - offset] - medians[i] }
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
        } }
        let qValues = MotifComparison.benjaminiHochberg(matches.map(\.pValue))
        for k in matches.indices { matches[k].eValue = matches[k].pValue * Double(layout.widths.count); matches[k].qValue = qValues[k] }
        matches.sort { $0.pValue < $1.pValue || ($0.pValue == $1.pValue && $0.target < $1.target) }
        return matches
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

/// Columns laid out once for every query's null: for Pearson each column's deviations from its
/// mean and their sum of squares, for Euclidean the probabilities; `score` then gives exactly
/// `MotifComparison.score` (the same operations in the same order).
struct ColumnTable {
    let alphabet: Int, count: Int
    let columnScore: MotifComparison.ColumnScore
    /// count × alphabet.
    var values: [Double]
    /// Pearson: Σ (t − t̄)² per column.
    var sumsOfSquares: [Double]

    init(_ columns: [[Double]], comparison: MotifComparison) {
        alphabet = columns.first?.count ?? 4; count = columns.count; columnScore = comparison.columnScore
        values = []; values.reserveCapacity(count * alphabet); sumsOfSquares = []
        for c in columns {
            let (deviations, squares) = ColumnTable.centred(c, columnScore)
            values += deviations; sumsOfSquares.append(squares)
        }
    }

    /// A column as `score` reads it: Pearson's deviations and sum of squares, or itself.
    static func centred(_ c: [Double], _ columnScore: MotifComparison.ColumnScore) -> ([Double], Double) {
        guard columnScore == .pearson else { return (c, 0) }
        let mean = c.reduce(0, +) / Double(c.count)
        var squares = 0.0
        for b in c { squares += (b - mean) * (b - mean) }
        return (c.map { $0 - mean }, squares)
    }

    /// The score of column `q` (as `centred` gives it) against every column, into `out`.
    func scores(_ q: [Double], _ qSquares: Double, into out: UnsafeMutablePointer<Double>) {
        values.withUnsafeBufferPointer { v in
            for j in 0..<count {
                let t = v.baseAddress! + j * alphabet
                switch columnScore {
                case .pearson:
                    var sqt = 0.0
                    for k in 0..<alphabet { sqt += q[k] * t[k] }
                    let d = (qSquares * sumsOfSquares[j]).squareRoot()
                    out[j] = d > 1e-12 ? sqt / d : 0
                case .euclidean:
                    var sum = 0.0
                    for k in 0..<alphabet { sum += (q[k] - t[k]) * (q[k] - t[k]) }
                    out[j] = -sum.squareRoot()
                }
            }
        }
    }
}

/// The null of one query: per column, the binned distribution of its median-centred scores
/// against all database columns; and for any span of columns up to the longest a target allows,
/// the survival function of their sum.
struct ColumnNull {
    let medians: [Double]
    /// scores[i · n + j]: query column i against database column j (n columns), uncentred; grids:
    /// the same centred on the column's median and on the grid, `nearest((score − median) / step)`.
    let scores: [Double]
    let grids: [Int32]
    /// survivalTables[first][last - first]: (lowest index, P(sum ≥ index) from there on).
    private var tables: [[(low: Int, tail: [Double])]]

    init(query: [[Double]], database: ColumnTable, comparison: MotifComparison, longestSpan: Int) {
        let step = 1 / Double(Swift.max(comparison.bins, 1))
        // Per column: the lowest grid index and the probabilities from there on.
        var medians: [Double] = [], low: [Int] = [], mass: [[Double]] = []
        let n = database.count
        var scores = [Double](repeating: 0, count: query.count * n)
        var counts = [Int](repeating: 0, count: 1024), scratch: [Double] = [], grids = [Int32](repeating: 0, count: query.count * n)
        for (i, qc) in query.enumerated() {
            let (deviations, squares) = ColumnTable.centred(qc, comparison.columnScore)
            scores.withUnsafeMutableBufferPointer { database.scores(deviations, squares, into: $0.baseAddress! + i * n) }
            let median = scores.withUnsafeBufferPointer {
                ColumnNull.median(UnsafeBufferPointer(rebasing: $0[(i * n)..<(i * n + n)]), counts: &counts, scratch: &scratch)
            }
            medians.append(median)
            // Each bin adds 1/n once per score that falls in it: in any order the same sum.
            var lo = 0, hi = 0
            for j in 0..<n {
                let k = ColumnNull.nearest((scores[i * n + j] - median) / step)
                grids[i * n + j] = Int32(k)
                if j == 0 || k < lo { lo = k }
                if j == 0 || k > hi { hi = k }
            }
            var m = [Double](repeating: 0, count: hi - lo + 1)
            for j in 0..<n { m[Int(grids[i * n + j]) - lo] += 1 / Double(n) }
            low.append(lo); mass.append(m)
        }
        self.scores = scores; self.grids = grids
        self.medians = medians
        // Every span's distribution by convolving column after column from each start.
        var tables: [[(low: Int, tail: [Double])]] = []
        for first in query.indices {
            var row: [(low: Int, tail: [Double])] = []
            var lo = low[first], dist = mass[first]
            row.append((lo, ColumnNull.tail(dist)))
            for next in (first + 1)..<Swift.max(first + 1, Swift.min(query.count, first + longestSpan)) {
                dist = ColumnNull.convolve(dist, mass[next]); lo += low[next]
                row.append((lo, ColumnNull.tail(dist)))
            }
            tables.append(row)
        }
        self.tables = tables
    }

    /// The median of the values: the middle one, or the mean of the middle two — exactly, by
    /// counting the values into `counts.count` bins over their range (monotone, so ranks carry
    /// over), then selecting among the few in the bins that hold the middle ranks (`scratch`).
    static func median(_ v: UnsafeBufferPointer<Double>, counts: inout [Int], scratch: inout [Double]) -> Double {
        let n = v.count
        guard n > 0 else { return 0 }
        var lo = v[0], hi = v[0]
        for x in v { lo = Swift.min(lo, x); hi = Swift.max(hi, x) }
        if lo == hi { return lo }
        let bins = counts.count, scale = Double(bins) / (hi - lo)
        @inline(__always) func bin(_ x: Double) -> Int { Swift.min(bins - 1, Int((x - lo) * scale)) }
        for b in 0..<bins { counts[b] = 0 }
        for x in v { counts[bin(x)] += 1 }
        let upperRank = n / 2, lowerRank = n % 2 == 0 ? upperRank - 1 : upperRank
        var before = 0, b = 0
        while before + counts[b] <= lowerRank { before += counts[b]; b += 1 }
        let first = b, skipped = before
        while before + counts[b] <= upperRank { before += counts[b]; b += 1 }
        let last = b
        scratch.removeAll(keepingCapacity: true)
        for x in v { let c = bin(x); if c >= first && c <= last { scratch.append(x) } }
        return scratch.withUnsafeMutableBufferPointer { s in
            let upper = select(s, upperRank - skipped)
            guard n % 2 == 0 else { return upper }
            // After the selection everything before the upper middle value is ≤ it.
            var lower = s[0]
            for i in 1..<(upperRank - skipped) { lower = Swift.max(lower, s[i]) }
            return (lower + upper) / 2
        }
    }

    /// The k-th smallest value (0-based), the values partitioned about it (Hoare's quickselect).
    static func select(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let x = a[lo], y = a[(lo + hi) / 2], z = a[hi]
            let pivot = Swift.max(Swift.min(x, y), Swift.min(Swift.max(x, y), z))
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
        }
        return a[k]
    }

    /// The distribution of the sum of two independent grid variables (the products added in the
    /// order i, then j).
    static func convolve(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: a.count + b.count - 1)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { out in
                    for i in 0..<a.count where a[i] > 0 {
                        let x = a[i], o = out.baseAddress! + i
                        // Zero entries add +0 (every entry is ≥ 0): the same sums, and the loop vectorises.
                        for j in 0..<b.count { o[j] += x * b[j] }
                    }
                }
            }
        }
        return out
    }

    /// `convolve(a, b)` for a b of `count` entries that are zero but at `entries` (ascending
    /// indices): the same products added in the same order, so the same sums, in 4·|a| steps for a
    /// motif column's four letters instead of |a|·|b|.
    static func convolve(_ a: [Double], sparse entries: [(index: Int, value: Double)], count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: a.count + count - 1)
        out.withUnsafeMutableBufferPointer { out in
            for i in a.indices where a[i] > 0 {
                let x = a[i], o = out.baseAddress! + i
                for e in entries { o[e.index] += x * e.value }
            }
        }
        return out
    }

    /// tail[k] = Σ_{j ≥ k} p[j].
    static func tail(_ p: [Double]) -> [Double] {
        var out = p, acc = 0.0
        for k in stride(from: p.count - 1, through: 0, by: -1) { acc += p[k]; out[k] = acc }
        return out
    }

    /// Int(x.rounded()) — to the nearest integer, halves away from zero — without a call into libm:
    /// x − trunc(x) is exact for the grid's magnitudes (|x| < 2⁵²).
    @inline(__always) static func nearest(_ x: Double) -> Int {
        let t = Int(x), f = x - Double(t)
        return f >= 0.5 ? t + 1 : (f <= -0.5 ? t - 1 : t)
    }

    /// P(Σ_{i=first…last} S_i ≥ index) for a sum of grid indices (0 beyond the span's largest sum).
    func survival(first: Int, last: Int, index: Int) -> Double {
        let (lo, tail) = tables[first][last - first]
        let k = index - lo
        if k <= 0 { return 1 }
        if k >= tail.count { return 0 }
        return Swift.min(1, Swift.max(0, tail[k]))
    }
}
