#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Motifs
import Tensors

@Suite struct MotifComparisonTests {
    /// A small database of distinct motifs: a motif must find itself first, at offset 0 on the
    /// forward strand, and its reverse complement on the minus strand.
    static let database: [Motif] = {
        var rng = SplitMix(seed: 11)
        return (0..<40).map { k in
            let width = 6 + k % 8
            return Motif(id: "M\(k)", name: "m\(k)", matrix: (0..<width).map { _ in
                let peak = Int(rng.next() % 4)
                return (0..<4).map { $0 == peak ? 0.7 + 0.1 * Double(rng.next() % 3) : 0.05 + 0.01 * Double(rng.next() % 5) }
            })
        }
    }()

    @Test func aMotifMatchesItselfAndItsReverseComplement() {
        let comparison = MotifComparison()
        let query = Self.database[7]
        let matches = comparison.compare([query, query.reverseComplement], against: Self.database)
        let forward = matches.filter { $0.query == 0 }, reverse = matches.filter { $0.query == 1 }
        #expect(forward.count == 40 && reverse.count == 40)
        let best = forward[0], bestRC = reverse[0]
        #expect(best.target == 7 && best.offset == 0 && !best.reverseComplement && best.overlap == query.width)
        #expect(bestRC.target == 7 && bestRC.offset == 0 && bestRC.reverseComplement)
        #expect(Swift.abs(best.pValue - bestRC.pValue) < 1e-12)
        #expect(best.pValue < 1e-4 && best.qValue < 0.01 && best.eValue == best.pValue * 40)
        // Unrelated targets score far worse.
        #expect(forward[5].pValue > 100 * best.pValue)
        // Euclidean columns agree on the winner.
        let euclid = MotifComparison(columnScore: .euclidean).compare([query], against: Self.database)
        #expect(euclid[0].target == 7 && euclid[0].offset == 0)
    }

    @Test func aTruncatedMotifAlignsAtItsOffset() {
        let full = Self.database[12]
        let part = Motif(id: "part", name: "", matrix: Array(full.matrix[2..<(full.width - 1)]))
        let best = MotifComparison().compare([part], against: Self.database)[0]
        // Target column j sits under query column j + offset: the query starts at target column 2.
        #expect(best.target == 12 && best.offset == -2 && best.overlap == part.width)
    }

    /// Tomtom's p-value of a pair: P(the best of all alignments' complete scores ≥ the observed
    /// best), the alignments independent. Database A, C, AC: every query column's null (both
    /// strands: A, C, A, C, T, G, G, T) is 4/3 with probability ¼ and 0 otherwise after centring
    /// on the median (−⅓). Query AC against AC: the full alignment scores 8/3, which only the two
    /// full alignments (one per strand) can reach, each with probability 1/16:
    /// p = 1 − (15/16)² = 31/256 — not Šidák's 1 − (15/16)⁶ over all six alignments.
    @Test func aPairsPValueIsThatOfTheBestOfAllAlignments() {
        let (a, c): ([Double], [Double]) = ([1, 0, 0, 0], [0, 1, 0, 0])
        let database = [Motif(id: "A", name: "", matrix: [a]), Motif(id: "C", name: "", matrix: [c]), Motif(id: "AC", name: "", matrix: [a, c])]
        let matches = MotifComparison().compare([Motif(id: "q", name: "", matrix: [a, c])], against: database)
        let best = matches[0]
        #expect(best.target == 2 && best.offset == 0 && best.overlap == 2 && !best.reverseComplement)
        #expect(Swift.abs(best.pValue - 31.0 / 256) < 1e-12, "p = \(best.pValue)")
        #expect(Swift.abs(best.eValue - 3 * 31.0 / 256) < 1e-12)
        // Against A: four one-column alignments (under either query column, on either strand),
        // each reaching the best score 4/3 with probability ¼: p = 1 − (¾)⁴.
        let single = matches.first { $0.target == 0 }!
        #expect(Swift.abs(single.pValue - (1 - 0.75 * 0.75 * 0.75 * 0.75)) < 1e-12, "p = \(single.pValue)")
    }

    @Test func columnScoresAndQValues() {
        let c = MotifComparison()
        #expect(Swift.abs(c.score([1, 0, 0, 0], [1, 0, 0, 0]) - 1) < 1e-12)
        #expect(Swift.abs(c.score([1, 0, 0, 0], [0, 1, 0, 0]) + 1.0 / 3) < 1e-12)
        #expect(c.score([0.25, 0.25, 0.25, 0.25], [1, 0, 0, 0]) == 0)
        #expect(Swift.abs(MotifComparison(columnScore: .euclidean).score([1, 0, 0, 0], [0, 1, 0, 0]) + 2.0.squareRoot()) < 1e-12)
        // Benjamini–Hochberg: p = (0.01, 0.04, 0.03, 0.5) → q = (0.04, 0.04·4/... ) monotone in p.
        let q = MotifComparison.benjaminiHochberg([0.01, 0.04, 0.03, 0.5])
        #expect(Swift.abs(q[0] - 0.04) < 1e-12 && Swift.abs(q[1] - 0.16 / 3) < 1e-12 && Swift.abs(q[2] - 0.16 / 3) < 1e-12 && q[3] == 0.5)
    }
}

extension MotifComparisonTests {
    /// Queries wider and narrower than every target, against the database and its columns on both
    /// strands: the laid-out, threaded comparison gives exactly what the plain computation below
    /// gives — every column score by `score`, each median from a sorted copy, every span's null
    /// convolved — at one and at three threads, for both column scores.
    @Test func theFastComparisonIsThePlainOne() {
        var rng = SplitMix(seed: 5)
        let queries = [Self.database[3], Self.database[20].reverseComplement] + (0..<3).map { k in
            Motif(id: "q\(k)", name: "", matrix: (0..<(3 + 7 * k)).map { _ in (0..<4).map { _ in Double(rng.next() % 100) + 1 } })
        }
        for columnScore in MotifComparison.ColumnScore.allCases {
            let comparison = MotifComparison(columnScore: columnScore, minimumOverlap: 2)
            let plain = PlainComparison(comparison).compare(queries, against: Self.database)
            for threads in [1, 3] {
                let fast = Parallel.withThreads(threads) { comparison.compare(queries, against: Self.database) }
                #expect(fast == plain, "\(columnScore), \(threads) threads")
            }
        }
    }

    /// The grid's rounding is `Int(x.rounded())`: halves away from zero, values next to halves.
    @Test func gridRoundingIsRoundingHalvesAwayFromZero() {
        var rng = SplitMix(seed: 3)
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994, 199.5, -199.5]
        values += values.map { $0.nextUp } + values.map { $0.nextDown }
        values += (0..<1000).map { _ in (Double(rng.next() % 2_000_001) - 1_000_000) / 1000 }
        for x in values { #expect(ColumnNull.nearest(x) == Int(x.rounded()), "\(x)") }
    }

    /// The null's median: the middle value, or the mean of the two middle ones, with ties, through
    /// one bin, a few or many.
    @Test func mediansBySelectionAreThoseOfTheSortedValues() {
        var rng = SplitMix(seed: 9)
        for n in [1, 2, 3, 4, 7, 10, 101, 1000] {
            let values = (0..<n).map { _ in Double(rng.next() % 17) / 4 }
            let sorted = values.sorted()
            let expected = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
            for bins in [1, 4, 1024] {
                var counts = [Int](repeating: 0, count: bins), scratch: [Double] = []
                let median = values.withUnsafeBufferPointer { ColumnNull.median($0, counts: &counts, scratch: &scratch) }
                #expect(median == expected, "n = \(n), \(bins) bins")
            }
        }
    }
}

/// Tomtom's comparison written the plain way (the form `MotifComparison.compare` had before its
/// column table, span cap and threads): the reference its fast path must equal bit for bit.
struct PlainComparison {
    let c: MotifComparison
    init(_ c: MotifComparison) { self.c = c }

    func compare(_ queries: [Motif], against targets: [Motif]) -> [MotifComparison.Match] {
        let forward = targets.map { $0.probabilities(pseudocount: c.pseudocount) }
        let reverse = targets.map { $0.reverseComplement.probabilities(pseudocount: c.pseudocount) }
        let columns = (forward + reverse).flatMap { $0 }
        let step = 1 / Double(c.bins)
        var out: [MotifComparison.Match] = []
        for (qi, query) in queries.enumerated() {
            let q = query.probabilities(pseudocount: c.pseudocount)
            var medians: [Double] = [], low: [Int] = [], mass: [[Double]] = []
            for qc in q {
                let scores = columns.map { c.score(qc, $0) }.sorted()
                let n = scores.count
                let median = n % 2 == 1 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2
                let indices = scores.map { Int((($0 - median) / step).rounded()) }
                var m = [Double](repeating: 0, count: indices.last! - indices.first! + 1)
                for k in indices { m[k - indices.first!] += 1 / Double(n) }
                medians.append(median); low.append(indices.first!); mass.append(m)
            }
            func survival(_ first: Int, _ last: Int, _ index: Int) -> Double {
                var lo = low[first], dist = mass[first]
                if last > first {
                    for next in (first + 1)...last {
                        var sum = [Double](repeating: 0, count: dist.count + mass[next].count - 1)
                        for (i, x) in dist.enumerated() where x > 0 { for (j, y) in mass[next].enumerated() where y > 0 { sum[i + j] += x * y } }
                        dist = sum; lo += low[next]
                    }
                }
                let k = index - lo
                if k <= 0 { return 1 }
                if k >= dist.count { return 0 }
                var tail = 0.0
                for j in stride(from: dist.count - 1, through: k, by: -1) { tail += dist[j] }
                return Swift.min(1, Swift.max(0, tail))
            }
            var matches: [MotifComparison.Match] = []
            for ti in targets.indices {
                var best: (grid: Int, offset: Int, rc: Bool, overlap: Int, score: Double)? = nil
                var spans: [(Int, Int)] = []
                for (rc, t) in [(false, forward[ti]), (true, reverse[ti])] {
                    for offset in (-(t.count - 1))...(q.count - 1) {
                        let first = Swift.max(0, offset), last = Swift.min(q.count - 1, offset + t.count - 1)
                        guard last - first + 1 >= Swift.min(c.minimumOverlap, q.count, t.count) else { continue }
                        spans.append((first, last))
                        var s = 0.0, grid = 0
                        for i in first...last {
                            let centred = c.score(q[i], t[i - offset]) - medians[i]
                            s += centred; grid += Int((centred / step).rounded())
                        }
                        if best == nil || grid > best!.grid || (grid == best!.grid && last - first + 1 > best!.overlap) {
                            best = (grid, offset, rc, last - first + 1, s)
                        }
                    }
                }
                let b = best!
                let logNone = spans.reduce(0.0) { $0 + log1p(-Swift.min(1, survival($1.0, $1.1, b.grid))) }
                let p = logNone == -.infinity ? 1 : -expm1(logNone)
                matches.append(.init(query: qi, target: ti, offset: b.offset, reverseComplement: b.rc, overlap: b.overlap,
                                     score: b.score, pValue: Swift.min(1, p), eValue: 0, qValue: 0))
            }
            let qValues = MotifComparison.benjaminiHochberg(matches.map(\.pValue))
            for k in matches.indices { matches[k].eValue = matches[k].pValue * Double(targets.count); matches[k].qValue = qValues[k] }
            matches.sort { $0.pValue < $1.pValue || ($0.pValue == $1.pValue && $0.target < $1.target) }
            out += matches
        }
        return out
    }
}

/// A tiny deterministic generator for the test database.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
