import Testing
import TestSupport
import Tensors
import Sequences

@Suite struct SequenceWeightsTests {
    func randomMSA(n: Int, l: Int, seed: UInt64) -> MultipleSequenceAlignment {
        var rng = RandomGenerator(seed: seed)
        // Families of near-copies so that many pairs sit near the threshold.
        let parents = (0..<5).map { _ in (0..<l).map { _ in UInt8(rng.int(below: 21)) } }
        var codes: [UInt8] = []
        for _ in 0..<n {
            var s = parents[rng.int(below: 5)]
            for i in 0..<l where rng.uniform() < 0.25 { s[i] = UInt8(rng.int(below: 21)) }
            codes += s
        }
        return MultipleSequenceAlignment(alphabet: .protein, names: (0..<n).map { "s\($0)" }, codes: codes, length: l)
    }

    /// The neighbour rule, written as plainly as possible: does sequence n count m as a neighbour?
    func isNeighbour(_ msa: MultipleSequenceAlignment, _ n: Int, _ m: Int, _ t: Double, _ def: SequenceWeights.Identity) -> Bool {
        let gap = msa.alphabet.gap
        let a = Array(msa.row(n)), b = Array(msa.row(m))
        switch def {
        case .plmc:
            let ids = zip(a, b).filter { $0 == $1 }.count
            return ids >= min(msa.length, Int((t * Double(msa.length)).rounded(.up)) + 1)
        case .plmcInclusive:     // plmc weights.c: id >= (1 − θ)·L
            let ids = zip(a, b).filter { $0 == $1 }.count
            return Double(ids) >= t * Double(msa.length) - 1e-9
        case .deepsequence:
            let ids = zip(a, b).filter { $0 == $1 && $0 != gap }.count
            let len = a.filter { $0 != gap }.count
            return ids >= max(1, min(len, Int((t * Double(len)).rounded(.down)) + 1))
        }
    }

    /// The weights' definition: w_n = 1 / #neighbours (n itself included).
    func naive(_ msa: MultipleSequenceAlignment, _ t: Double, _ def: SequenceWeights.Identity) -> [Float] {
        (0..<msa.count).map { n in 1 / Float((0..<msa.count).filter { isNeighbour(msa, n, $0, t, def) }.count) }
    }

    @Test(arguments: [(150, 37), (70, 8), (200, 101)])
    func fastWeightsEqualTheDefinition(n: Int, l: Int) {
        let msa = randomMSA(n: n, l: l, seed: UInt64(n + l))
        for def in SequenceWeights.Identity.allCases {
            for t in [0.5, 0.8] {
                #expect(SequenceWeights.compute(msa, identity: t, definition: def) == naive(msa, t, def), "\(def) t=\(t)")
            }
        }
    }

    /// GaussDCA's θ rule by hand. L = 4 (gap = code 20): a = ACDE, b = ACD-, c = A---, d = A---.
    /// Pair identities: ab 3/4, ac 1/4, ad 1/4, bc 2/4 (A and the gap–gap column), bd 2/4, cd 4/4;
    /// mean = (3 + 1 + 1 + 2 + 2 + 4) / (6 · 4) = 13/24, θ = min(0.5, 0.1216 · 24/13) = 0.22449….
    /// With a mean identity of 0.2 the rule would give 0.608, so it is capped at 0.5.
    @Test func automaticThetaFollowsGaussDCAsRule() {
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b", "c", "d"],
                                            codes: [0, 1, 2, 3, 0, 1, 2, 20, 0, 20, 20, 20, 0, 20, 20, 20], length: 4)
        let auto = SequenceWeights.automaticTheta(msa)
        #expect(Swift.abs(auto.meanIdentity - 13.0 / 24) < 1e-12)
        #expect(Swift.abs(auto.theta - 0.38 * 0.32 * 24 / 13) < 1e-12)
        // Five sequences agreeing nowhere but column 0 of 5 columns: identity 1/5 → 0.608 → 0.5.
        let far = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b", "c", "d", "e"],
                                            codes: (0..<5).flatMap { r in [0] + (1..<5).map { UInt8(r * 4 + $0) } }, length: 5)
        #expect(Swift.abs(SequenceWeights.automaticTheta(far).meanIdentity - 0.2) < 1e-12)
        #expect(SequenceWeights.automaticTheta(far).theta == 0.5)
    }

    @Test func identicalSequencesShareOneUnitOfWeight() {
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b", "c", "d"],
                                            codes: [0, 1, 2, 0, 1, 2, 0, 1, 2, 5, 6, 7], length: 3)
        let w = SequenceWeights.compute(msa)
        let third: Float = 1 / 3
        #expect(w == [third, third, third, 1])
        #expect(Swift.abs(SequenceWeights.effectiveCount(w) - 2) < 1e-6)
    }

    @Test(arguments: [("contacts/1atzA/1atzA.aln", 3068, 75, 1188.7), ("contacts/dhfr/DHFR.a2m", 3629, 159, 1592.9),
                      ("contacts/1mkcA00/1mkcA00.aln", 142, 43, 109.0)])
    func neffReproducesTheManifest(file: String, n: Int, l: Int, neff: Double) throws {
        guard let path = SharedData.path(file) else { return }
        let msa = try AlignmentReader().read(path)
        #expect(msa.count == n && msa.length == l)
        let computed = SequenceWeights.effectiveCount(SequenceWeights.compute(msa))
        #expect(Swift.abs(computed - neff) < 0.05, "Neff \(computed) vs MANIFEST \(neff)")
    }

    @Test func weightsReportMonotoneProgress() {
        final class Seen: @unchecked Sendable { var values: [Double] = [] }
        let seen = Seen()
        var codes = [UInt8](repeating: 0, count: 1000 * 20)
        for k in codes.indices { codes[k] = UInt8((k * 7919 + k / 20 * 31) % 20) }
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: (0..<1000).map { "s\($0)" }, codes: codes, length: 20)
        let quiet = SequenceWeights.compute(msa)
        let reported = SequenceWeights.compute(msa, progress: { seen.values.append($0) })
        #expect(reported == quiet)                                  // progress changes nothing
        #expect(!seen.values.isEmpty && seen.values.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(seen.values == seen.values.sorted())
    }

    /// EVE's compute_weight: a sequence with no residue has weight 0 under the DeepSequence rule
    /// (it was 1: three empty rows made Neff 4 instead of 2); the other rules count it as a sequence.
    @Test func anEmptySequenceWeighsNothingUnderDeepSequence() {
        let gap = Alphabet.protein.gap
        let full = Alphabet.protein.encode("ACDEFGHIKL")!, empty = [UInt8](repeating: gap, count: 10)
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: ["q", "s", "e1", "e2", "e3"], codes: full + full + empty + empty + empty, length: 10)
        #expect(SequenceWeights.compute(msa, definition: .deepsequence) == [0.5, 0.5, 0, 0, 0])
        let third: Float = 1.0 / 3
        #expect(SequenceWeights.compute(msa, definition: .plmc) == [0.5, 0.5, third, third, third])
    }

    /// Clusters are the connected components of "either counts the other a neighbour", numbered by
    /// first row: against a flood fill over the plain rule, for every definition.
    @Test(arguments: [(300, 37), (70, 8)])
    func clustersAreTheComponentsOfTheNeighbourRule(n: Int, l: Int) {
        let msa = randomMSA(n: n, l: l, seed: UInt64(3 * n + l))
        for def in SequenceWeights.Identity.allCases {
            for t in [0.5, 0.8] {
                var label = [Int](repeating: -1, count: n), next = 0
                for start in 0..<n where label[start] < 0 {
                    label[start] = next
                    var stack = [start]
                    while let x = stack.popLast() {
                        for y in 0..<n where label[y] < 0 && (isNeighbour(msa, x, y, t, def) || isNeighbour(msa, y, x, t, def)) {
                            label[y] = next; stack.append(y)
                        }
                    }
                    next += 1
                }
                let weights = SequenceWeights.compute(msa, identity: t, definition: def)
                for threads in [1, 2, 3] {          // one forest, or several merged
                    let found = Parallel.withThreads(threads) { SequenceWeights.clusters(msa, identity: t, definition: def) }
                    #expect(found == label, "\(def) t=\(t) threads \(threads)")
                    // The weights' pass with linking: the same weights and clusters.
                    let both = Parallel.withThreads(threads) { SequenceWeights.computeWithClusters(msa, identity: t, definition: def) }
                    #expect(both.clusters == label && both.weights == weights, "\(def) t=\(t) threads \(threads)")
                }
            }
        }
    }

    @Test func clustersReportMonotoneProgress() {
        final class Seen: @unchecked Sendable { var values: [Double] = [] }
        let seen = Seen()
        let msa = randomMSA(n: 1000, l: 20, seed: 4)
        let reported = SequenceWeights.clusters(msa, progress: { seen.values.append($0) })
        #expect(reported == SequenceWeights.clusters(msa))          // progress changes nothing
        #expect(!seen.values.isEmpty && seen.values.first == 0 && seen.values.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(seen.values == seen.values.sorted())
    }

    /// Single linkage by hand (L = 10, neighbours share ≥ 9 columns): b is a with one change, c is b
    /// with another, so a and c (8 shared) are not neighbours but share b's cluster; d shares nothing.
    @Test func singleLinkageChainsNeighbours() {
        let a = Alphabet.protein.encode("ACDEFGHIKL")!, b = Alphabet.protein.encode("WCDEFGHIKL")!
        let c = Alphabet.protein.encode("WYDEFGHIKL")!, d = Alphabet.protein.encode("MNPQRSTVWY")!
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: ["d", "a", "c", "b"], codes: d + a + c + b, length: 10)
        #expect(SequenceWeights.compute(msa) == [1, 0.5, 0.5, 1.0 / 3])
        #expect(SequenceWeights.clusters(msa) == [0, 1, 1, 1])
        #expect(SequenceWeights.clusters(msa, identity: 1) == [0, 1, 2, 3])
        #expect(SequenceWeights.computeWithClusters(msa) == ([1, 0.5, 0.5, 1.0 / 3], [0, 1, 1, 1]))
        #expect(SequenceWeights.computeWithClusters(msa, identity: 1) == ([1, 1, 1, 1], [0, 1, 2, 3]))
    }
}
