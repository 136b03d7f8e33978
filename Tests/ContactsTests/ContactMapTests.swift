import Testing
import TestSupport
import Tensors
import Contacts
import Structures

@Suite struct ContactMapTests {
    @Test func apcSubtractsTheProductOfRowMeansOverTheOverallMean() {
        var rng = RandomGenerator(seed: 8)
        let l = 7
        var s = [Float](repeating: 0, count: l * l)
        for i in 0..<l { for j in (i + 1)..<l { s[i * l + j] = rng.uniform(); s[j * l + i] = s[i * l + j] } }
        let corrected = ContactMap(length: l, scores: s).apc()
        func rowMean(_ i: Int) -> Double { (0..<l).filter { $0 != i }.reduce(0.0) { $0 + Double(s[i * l + $1]) } / Double(l - 1) }
        let overall = (0..<l).reduce(0.0) { $0 + rowMean($1) } / Double(l)
        for (i, j) in [(0, 1), (2, 6), (5, 3)] {
            let expected = Double(s[i * l + j]) - rowMean(i) * rowMean(j) / overall
            #expect(Swift.abs(Double(corrected[i, j]) - expected) < 1e-5)
        }
        #expect(corrected[2, 2] == 0)
    }

    @Test func apcOverMarkedColumnsIsTheAPCOfTheirSubmatrix() {
        var rng = RandomGenerator(seed: 9)
        let l = 8
        var s = [Float](repeating: 0, count: l * l)
        for i in 0..<l { for j in (i + 1)..<l { s[i * l + j] = rng.uniform(); s[j * l + i] = s[i * l + j] } }
        let map = ContactMap(length: l, scores: s)
        let kept = [0, 1, 3, 4, 6, 7], keep = (0..<l).map { kept.contains($0) }
        let sub = ContactMap(length: kept.count, scores: kept.flatMap { i in kept.map { j in s[i * l + j] } }).apc()
        let restricted = map.apc(columns: keep)
        for (a, i) in kept.enumerated() { for (b, j) in kept.enumerated() {
            #expect(Swift.abs(restricted[i, j] - sub[a, b]) < 1e-6)
        } }
        #expect((0..<l).allSatisfy { restricted[2, $0] == 0 && restricted[$0, 5] == 0 })
        #expect(map.apc(columns: [Bool](repeating: true, count: l)).scores == map.apc().scores)
        #expect(restricted[0, 1] != map.apc()[0, 1])
    }

    @Test func aMapWhosePairsAllScoreTheSameSaysSo() {
        #expect(ContactMap(length: 3, scores: [Float](repeating: 0, count: 9)).constantScore == 0)
        #expect(ContactMap(length: 3, scores: [0, 2, 2, 2, 0, 2, 2, 2, 0]).constantScore == 2)
        #expect(ContactMap(length: 3, scores: [0, 2, 1, 2, 0, 2, 1, 2, 0]).constantScore == nil)
        #expect(ContactMap(length: 1, scores: [0]).constantScore == nil)
    }

    @Test func frobeniusNormIgnoresGaugeAndGapStates() {
        let (l, q) = (3, 21)
        var j = Tensor(zeros: [l, l, q, q])
        // A block that is a pure row + column pattern (gauge) plus a gap-only coupling: norm 0.
        for a in 0..<q { for b in 0..<q {
            let v = Float(a) * 0.1 + Float(b) * 0.2 + (a == 20 || b == 20 ? 5 : 0)
            j[0, 1, a, b] = v; j[1, 0, b, a] = v
        } }
        j[0, 2, 3, 4] = 1; j[2, 0, 4, 3] = 1
        let norms = ContactMap.frobeniusNorms(couplings: j)
        #expect(norms[0, 1] < 1e-5)
        // A single spike of 1, double-centred over 20 states, has Frobenius norm 1 − 1/20.
        #expect(Swift.abs(norms[0, 2] - 0.95) < 1e-5)
        #expect(norms[2, 0] == norms[0, 2])
    }

    @Test func matFormatRoundTrips() throws {
        let m = ContactMap(length: 3, scores: [0, 1.5, -2, 1.5, 0, 3.25, -2, 3.25, 0])
        let path = temporaryDirectory() + "/mat.mat"
        let f = fopen(path, "w")!
        fputs(m.matText(), f); fclose(f)
        #expect(try ContactMap.readMat(path).scores == m.scores)
    }

    /// CCMpred's writer: `%.20e` then a tab for every value, newline per row (hand-written bytes).
    @Test func ccmpredExactMatLayout() throws {
        let m = ContactMap(length: 2, scores: [0, 0.375, 0.375, 0])
        let expected = "0.00000000000000000000e+00\t3.75000000000000000000e-01\t\n"
                     + "3.75000000000000000000e-01\t0.00000000000000000000e+00\t\n"
        #expect(m.matText(ccmpredExact: true) == expected)
        let r = ContactMap(length: 3, scores: [0, 0.1, -2e-7, 0.1, 0, 3.25, -2e-7, 3.25, 0])
        let path = temporaryDirectory() + "/mat.mat"
        let f = fopen(path, "w")!
        fputs(r.matText(ccmpredExact: true), f); fclose(f)
        #expect(try ContactMap.readMat(path).scores == r.scores)
    }

    @Test func ccmpredMetaRecordIsReadPast() throws {
        let m = ContactMap(length: 2, scores: [0, 0.375, 0.375, 0])
        let path = temporaryDirectory() + "/mat.mat"
        let f = fopen(path, "w")!
        fputs(m.matText(ccmpredExact: true) + "#>META> {\"x\":1}", f); fclose(f)
        #expect(try ContactMap.readMat(path).scores == m.scores)
    }

    @Test func precisionCountsOnlyKnownPairs() {
        // L = 10: scores rank (0,9) > (0,8) > (1,9) > …; truth: (0,9) contact, (0,8) unknown, (1,9) no.
        var s = [Float](repeating: 0, count: 100)
        func set(_ i: Int, _ j: Int, _ v: Float) { s[i * 10 + j] = v; s[j * 10 + i] = v }
        set(0, 9, 3); set(0, 8, 2); set(1, 9, 1)
        var d = [[Double?]](repeating: [Double?](repeating: 20, count: 10), count: 10)
        d[0][9] = 5; d[9][0] = 5
        d[0][8] = nil; d[8][0] = nil
        let e = ContactEvaluation(prediction: ContactMap(length: 10, scores: s), truth: ContactTruth(distances: d), ranges: [.init("≥6", 6)])
        #expect(e.rows[0].precisions[2].count == 2)          // top L/5 = 2 known pairs: (0,9), (1,9)
        #expect(e.rows[0].precisions[2].precision == 0.5)
        #expect(e.rows[0].trueContacts == 1)
    }

    @Test func separationBinsAndBoundariesAreHandComputed() {
        // L = 30, every pair a known non-contact except (0, 5), (0, 6), (0, 11), (0, 12), (0, 24), which
        // are contacts; scores rank exactly those five pairs first: (0,5) > (0,6) > (0,11) > (0,12) > (0,24).
        let l = 30
        var s = [Float](repeating: 0, count: l * l)
        func set(_ i: Int, _ j: Int, _ v: Float) { s[i * l + j] = v; s[j * l + i] = v }
        var d = [[Double?]](repeating: [Double?](repeating: 20, count: l), count: l)
        for (rank, j) in [5, 6, 11, 12, 24].enumerated() { set(0, j, Float(10 - rank)); d[0][j] = 4; d[j][0] = 4 }
        let e = ContactEvaluation(prediction: ContactMap(length: l, scores: s), truth: ContactTruth(distances: d))
        func row(_ name: String) -> ContactEvaluation.Row { e.rows.first { $0.range.name == name }! }
        // |i − j| = 5 is never counted (the boundary is ≥ 6): ≥6 has (0,6), (0,11), (0,12), (0,24).
        #expect(row("≥6").trueContacts == 4)
        #expect(row("≥12").trueContacts == 2)
        #expect(row("≥24").trueContacts == 1)
        #expect(row("short").trueContacts == 2)      // 6 and 11
        #expect(row("medium").trueContacts == 1)     // 12 (23 would be medium, 24 is long)
        #expect(row("long").trueContacts == 1)
        // top L/10 = 3 pairs of ≥6: (0,6), (0,11), (0,12) → 3/3; top L/5 = 6 → 4/6.
        #expect(row("≥6").precisions.map(\.label) == ["L", "L/2", "L/5", "L/10"])
        #expect(row("≥6").precisions[3].count == 3 && row("≥6").precisions[3].precision == 1)
        #expect(row("≥6").precisions[2].count == 6 && abs((row("≥6").precisions[2].precision ?? .nan) - 4.0 / 6) < 1e-12)
        // short: top 3 = (0,6), (0,11), then the best-ranked non-contact → 2/3.
        #expect(abs((row("short").precisions[3].precision ?? .nan) - 2.0 / 3) < 1e-12)
        #expect(e.precisionAtL == 4.0 / 30)
    }
}
#if canImport(Glibc)
import Glibc
#endif
