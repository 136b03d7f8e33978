import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Motifs
import Tensors

@Suite struct MotifScanTests {
    /// A two-column motif certain of "AC" (20 sites).
    let ac = Motif(id: "AC", name: "", matrix: [[20, 0, 0, 0], [0, 20, 0, 0]], sites: 20)

    @Test func logOddsSmoothTheProbabilitiesAsFIMODoes() {
        let s = MotifScan().logOdds(ac)
        // p′ = (p·20 + 0.1·0.25) / 20.1 against b = 0.25.
        #expect(Swift.abs(s[0][0] - log2((20 + 0.025) / 20.1 / 0.25)) < 1e-12)
        #expect(Swift.abs(s[0][1] - log2(0.025 / 20.1 / 0.25)) < 1e-12)
    }

    /// The background b is the motif file's unless one is given, and a `strands: +` motif is
    /// scanned on the given strand only.
    @Test func theMotifFilesBackgroundAndStrandsApply() {
        var own = ac
        own.background = [0.4, 0.1, 0.1, 0.4]
        let s = MotifScan().logOdds(own)
        #expect(Swift.abs(s[0][0] - log2((20 + 0.1 * 0.4) / 20.1 / 0.4)) < 1e-12)
        var uniform = MotifScan()
        uniform.background = Motif.uniformBackground
        #expect(uniform.logOdds(own) == MotifScan().logOdds(ac))
        var all = MotifScan()
        all.threshold = 1
        // Under b = (0.4, 0.1, 0.1, 0.4) a background window is "AC" with probability 0.04.
        #expect(all.scan([own], sequences: [[0, 1]]).first { !$0.minus }.map { Swift.abs($0.pValue - 0.04) < 1e-12 } == true)
        // An asymmetric b = (0.4, 0.1, 0.2, 0.3): on + a background window is "AC" with probability
        // 0.4 · 0.1; the − strand's site is "GT" on the given strand, 0.2 · 0.3.
        var skewed = ac
        skewed.background = [0.4, 0.1, 0.2, 0.3]
        let hits = all.scan([skewed], sequences: [[0, 1, 2, 3]])
        #expect(hits.first { $0.start == 0 && !$0.minus }.map { Swift.abs($0.pValue - 0.04) < 1e-12 } == true)
        #expect(hits.first { $0.start == 2 && $0.minus }.map { Swift.abs($0.pValue - 0.06) < 1e-12 } == true)
        var plus = ac
        plus.bothStrands = false
        #expect(all.scan([ac], sequences: [[0, 1, 2, 3]]).count == 6 && all.scan([plus], sequences: [[0, 1, 2, 3]]).count == 3)
    }

    @Test func pValuesAreExactForAHandCountableMotif() {
        var scan = MotifScan()
        scan.threshold = 1
        // "ACGT" (A0 C1 G2 T3): windows AC, CG, GT on both strands — 6 tests. AC on the given strand
        // and GT on the reverse complement (AC again) are the motif: P(S ≥ s) = 1/16 each.
        let hits = scan.scan([ac], sequences: [[0, 1, 2, 3]])
        #expect(hits.count == 6)
        #expect(hits[0].start == 0 && !hits[0].minus && hits[0].pValue == 1.0 / 16)
        #expect(hits[1].start == 2 && hits[1].minus && hits[1].pValue == 1.0 / 16)
        let q: Double = 1.0 / 16 * 6 / 2                                                    // Benjamini–Hochberg over 6 tests
        #expect(Swift.abs(hits[0].qValue - q) < 1e-15 && hits[0].qValue == hits[1].qValue)
        let top: Double = 2 * log2((20 + 0.025) / 20.1 / 0.25)
        #expect(Swift.abs(hits[0].score - top) < 1e-12)
        // Both bases wrong ("CG", "GT" on the given strand): every window scores at least as high.
        let cg = hits.first { $0.start == 1 && !$0.minus }!, gt = hits.first { $0.start == 2 && !$0.minus }!
        #expect(cg.pValue == 1 && gt.pValue == 1)
        // One base right ("AA"): the windows with at least one right base, 1 − (3/4)² = 7/16.
        let half = scan.scan([ac], sequences: [[0, 0]]).first { !$0.minus }!
        #expect(half.pValue == 7.0 / 16)
    }

    @Test func threadsDoNotChangeTheHits() {
        var scan = MotifScan()
        scan.threshold = 0.05
        let motifs = (0..<6).map { (m: Int) -> Motif in
            let matrix: [[Double]] = (0..<(3 + m)).map { j in (0..<4).map { $0 == (j + m) % 4 ? 17.0 : 1.0 } }
            return Motif(id: "M\(m)", name: "", matrix: matrix, sites: 20)
        }
        var sequences: [[UInt8]] = []
        for s in 0..<5 {
            var x = [UInt8](repeating: 0, count: 300)
            for i in 0..<300 { x[i] = UInt8((i * (s + 3) + i / 7 + s) % 5) }               // 4: an N now and then
            sequences.append(x)
        }
        let one = Parallel.withThreads(1) { scan.scan(motifs, sequences: sequences) }
        #expect(Parallel.withThreads(2) { scan.scan(motifs, sequences: sequences) } == one && !one.isEmpty)
        // Pieces of any size — inside a sequence, across its ends, past empty and too-short
        // sequences — give the same hits and tests (q-values) as one piece; progress sums to
        // motifs × bases.
        let mixed = [sequences[0], [], [1, 2], sequences[1]] + Array(sequences[2...])
        let whole = scan.scan(motifs, sequences: mixed, piece: 1 << 30)
        for piece in [1, 7, 299, 301] {
            let total = Counter()
            #expect(Parallel.withThreads(2) { scan.scan(motifs, sequences: mixed, piece: piece) { total.add($0) } } == whole)
            #expect(total.value == motifs.count * mixed.reduce(0) { $0 + $1.count })
        }
        // Batches (one sequence a batch, or uneven ones) give the same hits, numbering and
        // q-values over every batch's windows, as one scan of them all.
        for cuts in [[1, 2, 3, 4, 5, 6, 7], [2, 5, 7], [7]] {
            var stream = MotifScan.Stream(scan, motifs: motifs), from = 0
            for to in cuts { stream.add(Array(mixed[from..<to]), piece: 17); from = to }
            #expect(stream.sequences == mixed.count && stream.hits() == whole)
        }
        // A batch left out of the kept hits still counts in the q-values, and comes back in scan
        // order: by motif, then sequence, start and strand.
        var streamed = MotifScan.Stream(scan, motifs: motifs), passed: [[MotifScan.Hit]] = []
        streamed.pass(Array(mixed[..<3]), piece: 5) { passed.append($0) }
        streamed.add(Array(mixed[3...]))
        #expect(streamed.hits() == whole.filter { $0.sequence >= 3 })
        // In groups of `passedMotifs` motifs (one group here), in scan order: motif, sequence, start, strand.
        let order = { (h: MotifScan.Hit) in [h.motif, h.sequence, h.start, h.minus ? 1 : 0] }
        let first = passed.flatMap { $0 }
        #expect(passed.count == 1 && first.map(order) == first.map(order).sorted { $0.lexicographicallyPrecedes($1) })
        #expect(first.map(order) == whole.filter { $0.sequence < 3 }.map(order).sorted { $0.lexicographicallyPrecedes($1) })
        // More motifs than `passedMotifs`: one group after another, the rows those of one scan.
        let many = (0..<(MotifScan.Stream.passedMotifs + 4)).map { (m: Int) -> Motif in
            Motif(id: "N\(m)", name: "", matrix: (0..<(3 + m % 5)).map { j in (0..<4).map { $0 == (j * 3 + m) % 4 ? 17.0 : 1.0 } }, sites: 20)
        }
        var grouped = MotifScan.Stream(scan, motifs: many), groups: [[MotifScan.Hit]] = []
        grouped.pass(mixed) { groups.append($0) }
        let all = scan.scan(many, sequences: mixed)
        #expect(groups.count == 2 && groups.flatMap { $0 }.map(order) == all.map(order).sorted { $0.lexicographicallyPrecedes($1) })
        // Each hit carries its window read on its strand.
        for h in whole {
            let window = Array(mixed[h.sequence][h.start..<(h.start + motifs[h.motif].matrix.count)])
            #expect(h.bases == (h.minus ? window.reversed().map { 3 - $0 } : window))
        }
    }

    @Test func theFastPathsAreThePlainOnes() {
        // The sparse convolution of a motif column's letters is the dense one, bit for bit.
        var rng = RandomGenerator(seed: 7)
        for _ in 0..<20 {
            let a = (0..<(1 + rng.int(below: 300))).map { (_: Int) -> Double in rng.uniform() < 0.2 ? 0 : rng.uniformDouble() }
            var b = [Double](repeating: 0, count: 1 + rng.int(below: 400))
            for _ in 0..<4 { b[rng.int(below: b.count)] += rng.uniformDouble() }
            let entries = b.indices.filter { b[$0] != 0 }.map { (index: $0, value: b[$0]) }
            #expect(ColumnNull.convolve(a, sparse: entries, count: b.count) == ColumnNull.convolve(a, b))
        }
        // A window passes exactly when its grid score reaches the least passing score.
        let motif = Motif(id: "M", name: "", matrix: [[7, 1, 1, 1], [1, 1, 7, 1], [2, 2, 2, 2], [1, 1, 1, 9], [3, 1, 5, 1]], sites: 10)
        for threshold in [1.0, 0.5, 1e-2, 1e-4, 0] {
            var scan = MotifScan()
            scan.threshold = threshold
            let t = scan.table(motif)
            for bound in [Double.infinity, 0.3, 1e-3, 0] {
                let cut = scan.leastPassingScore(t.plus, below: bound)
                for k in (t.plus.offset - 3)...(t.plus.offset + t.plus.tail.count + 3) {
                    let i = k - t.plus.offset, p = i < 0 ? 1 : i >= t.plus.tail.count ? 0 : Swift.min(1, t.plus.tail[i])
                    #expect((p <= threshold && p < bound) == (k >= cut), "threshold \(threshold), bound \(bound), score \(k)")
                }
            }
        }
    }

    @Test func theBlockLookupsScoreAsColumnByColumn() {
        // Widths 1–9 (whole and partial blocks of 4), sequences shorter than a block, ambiguous
        // bases at the ends and inside: each window's grid score summed column by column gives
        // the same hits, p-values and tests as the scan's lookups of four columns at once.
        var rng = RandomGenerator(seed: 11)
        let motifs = (1...9).map { (w: Int) -> Motif in
            Motif(id: "W\(w)", name: "", matrix: (0..<w).map { _ in (0..<4).map { _ in 0.5 + Double(rng.uniform()) * 9 } }, sites: 15)
        }
        // The long ones span several chunks of starts, one without an ambiguous base.
        let sequences = [[UInt8]([0, 1]), [2, 4, 1, 3], [4, 0, 1, 2, 3, 0, 1, 2, 4]] + [20, 47, 61, 79, 9_000, 12_000].map { (n: Int) -> [UInt8] in
            (0..<n).map { (i: Int) -> UInt8 in rng.uniform() < (n == 12_000 && i < 8_300 ? 0 : 0.05) ? 4 : UInt8(rng.int(below: 4)) }
        }
        var scan = MotifScan()
        scan.threshold = 0.3
        var stream = MotifScan.Stream(scan, motifs: motifs)
        stream.add(sequences)
        let found = stream.hits()
        var expected: [[Double]] = [], tests = [Int](repeating: 0, count: motifs.count)
        for (mi, m) in motifs.enumerated() {
            let t = scan.table(m), w = m.width
            let grid = scan.logOdds(m).map { $0.map { Int(($0 * Double(scan.bins)).rounded(.down)) } }
            func p(_ k: Int, _ null: (offset: Int, tail: [Double])) -> Double {
                k - null.offset < 0 ? 1 : k - null.offset >= null.tail.count ? 0 : Swift.min(1, null.tail[k - null.offset])
            }
            for (si, x) in sequences.enumerated() where x.count >= w {
                for start in 0...(x.count - w) where x[start..<(start + w)].allSatisfy({ $0 < 4 }) {
                    tests[mi] += 2
                    let plus = (0..<w).reduce(0) { $0 + grid[$1][Int(x[start + $1])] }
                    let minus = (0..<w).reduce(0) { $0 + grid[w - 1 - $1][3 - Int(x[start + $1])] }
                    for (side, k, null) in [(0.0, plus, t.plus), (1.0, minus, t.minus)] where p(k, null) <= scan.threshold {
                        expected.append([Double(mi), Double(si), Double(start), side, p(k, null)])
                    }
                }
            }
        }
        let got = found.map { [Double($0.motif), Double($0.sequence), Double($0.start), $0.minus ? 1 : 0, $0.pValue] }
        #expect(got.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(!expected.isEmpty && stream.tests == tests)
    }

    @Test func aBoundedStoreKeepsTheMostSignificantHits() {
        // FIMO's --max-stored-scores: past the bound the worse half goes, and later batches are
        // scanned below the p-value it stopped at; what is left is exactly the unbounded scan's
        // hits with p below the last bound, in its order, their q-values over fewer ranks (≥).
        var scan = MotifScan()
        scan.threshold = 0.05
        let motifs = (0..<4).map { (m: Int) -> Motif in
            Motif(id: "M\(m)", name: "", matrix: (0..<(4 + m)).map { j in (0..<4).map { $0 == (j + m) % 4 ? 17.0 : 1.0 } }, sites: 20)
        }
        let sequences = (0..<7).map { (s: Int) -> [UInt8] in (0..<400).map { (i: Int) -> UInt8 in UInt8((i * (s + 3) + i / 7 + s) % 5) } }
        let whole = scan.scan(motifs, sequences: sequences)
        for bound in [whole.count / 3, whole.count / 10, 1] {
            var stream = MotifScan.Stream(scan, motifs: motifs), from = 0
            stream.maxStored = bound
            for to in [2, 5, 7] {
                stream.add(Array(sequences[from..<to]), piece: 23); from = to
                #expect(stream.storedCount <= bound)
            }
            let t = try! #require(stream.dropBound)
            let kept = stream.hits(), expected = whole.filter { $0.pValue < t }
            #expect(kept.count == stream.storedCount && kept.count < whole.count)
            var unq = kept
            for r in unq.indices { unq[r].qValue = expected[r].qValue }
            #expect(unq == expected)
            #expect(zip(kept, expected).allSatisfy { $0.qValue >= $1.qValue })
        }
        // Under the bound nothing is dropped.
        var roomy = MotifScan.Stream(scan, motifs: motifs)
        roomy.maxStored = whole.count
        roomy.add(sequences)
        #expect(roomy.dropBound == nil && roomy.hits() == whole)
    }

    @Test func maxStrandKeepsTheHigherScoringStrand() {
        // ACGT is its own reverse complement: both strands score alike (a tie keeps +); ACGG's
        // reverse complement CCGT differs from the motif at one column (the + strand wins).
        let acgt = Motif(id: "P", name: "", matrix: [[9, 1, 1, 1], [1, 9, 1, 1], [1, 1, 9, 1], [1, 1, 1, 9]], sites: 12)
        var scan = MotifScan()
        scan.threshold = 0.5
        let x: [[UInt8]] = [[0, 1, 2, 3, 0, 1, 2, 2]]
        let both = scan.scan([acgt], sequences: x)
        scan.maxStrand = true
        let one = scan.scan([acgt], sequences: x)
        #expect(Set(one.map(\.start)) == Set(both.map(\.start)))
        for start in Set(both.map(\.start)) {
            let here = both.filter { $0.start == start }, kept = one.filter { $0.start == start }
            #expect(kept.count == 1 && kept[0].score == here.map(\.score).max()!)
            if here.count == 2 && here[0].score == here[1].score { #expect(!kept[0].minus, "a tie keeps the + strand") }
        }
        #expect(one.contains { $0.start == 0 && !$0.minus } && both.filter { $0.start == 0 }.count == 2)
        // The windows tested are the same, so a hit's q-value does not change.
        for h in one { #expect(both.first { $0.start == h.start && $0.minus == h.minus }?.qValue == h.qValue) }
    }

    /// A total added to from several threads (the scan calls progress one call at a time).
    final class Counter: @unchecked Sendable {
        var value = 0
        func add(_ k: Int) { value += k }
    }

    @Test func thresholdsAndAmbiguousBases() {
        let scan = MotifScan()                                                              // p ≤ 1e-4
        #expect(scan.scan([ac], sequences: [[0, 1, 2, 3]]).isEmpty)                        // 1/16 is not significant
        var all = MotifScan()
        all.threshold = 1
        #expect(all.scan([ac], sequences: [[0, 4, 1]]).isEmpty)                            // every window holds an N
        // A planted 11-mer consensus in a random-looking background is found at its position.
        let w = 11
        let motif = Motif(id: "M", name: "", matrix: (0..<w).map { j in (0..<4).map { $0 == j % 4 ? 18.0 : 2.0 / 3 } }, sites: 20)
        var x = (0..<200).map { UInt8(($0 * 7 + $0 / 3) % 4) }
        for j in 0..<w { x[90 + j] = UInt8(j % 4) }
        let hits = scan.scan([motif], sequences: [x])
        #expect(hits.first.map { ($0.start, $0.minus) } ?? (-1, true) == (90, false))
        // Planted on the other strand: found on − with both strands, not at all with --norc.
        let rc = Array(x[90..<(90 + w)].reversed().map { 3 - $0 })
        var y = x
        for j in 0..<w { y[90 + j] = rc[j] }
        #expect(scan.scan([motif], sequences: [y]).contains { $0.start == 90 && $0.minus })
        var forward = scan
        forward.bothStrands = false
        #expect(forward.scan([motif], sequences: [y]).allSatisfy { !$0.minus } && forward.scan([motif], sequences: [x]).first?.start == 90)
        #expect(!forward.scan([motif], sequences: [y]).contains { $0.start == 90 })
    }
}
