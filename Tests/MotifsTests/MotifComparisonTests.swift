import Testing
import Motifs

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
