import Testing
import Foundation
import Tensors
import Sequences
import Potts
import Contacts
import NumPyIO

@Suite struct PottsModelTests {
    @Test func zeroSumGaugeKeepsEnergyDifferences() {
        var rng = RandomGenerator(seed: 3)
        let (l, q) = (5, 21)
        var j = Tensor.normal([l, l, q, q], using: &rng)
        for i in 0..<l { for k in 0..<l { for a in 0..<q { for b in 0..<q {
            j[i, k, a, b] = i == k ? 0 : (i < k ? j[i, k, a, b] : j[k, i, b, a])
        } } } }
        let model = PottsModel(alphabet: .protein, fields: .normal([l, q], using: &rng), couplings: j)
        let gauged = model.zeroSumGauge()
        let x: [UInt8] = [0, 5, 20, 3, 3], y: [UInt8] = [7, 5, 1, 19, 0]
        #expect(Swift.abs((model.energy(x) - model.energy(y)) - (gauged.energy(x) - gauged.energy(y))) < 1e-3)
        let rowSum = (0..<q).reduce(Float(0)) { $0 + gauged.coupling(1, 3, 4, $1) }
        #expect(Swift.abs(rowSum) < 1e-4)
    }

    /// Sequences sampled (Gibbs) from a Potts model with planted couplings: the fitted model's
    /// top-ranked APC pairs are the planted ones.
    @Test func plantedCouplingsRankAtTheTop() {
        let l = 16
        let planted = [(0, 9), (2, 13), (4, 7), (5, 15), (10, 12), (1, 6)]
        let truth = PlantedPotts.model(length: l, pairs: planted, strength: 2.0, seed: 5)
        let codes = GibbsSampler(model: truth, burnIn: 12).sample(count: 1200, seed: 11)
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: (0..<1200).map { "s\($0)" }, codes: codes, length: l)
        let weights = SequenceWeights.compute(msa)
        let fit = PottsFit(maxIterations: 60).fit(msa, weights: weights)
        let map = ContactMap.frobeniusNorms(couplings: fit.model.couplings).apc()
        let top = map.rankedPairs().prefix(planted.count).map { [$0.i, $0.j] }
        let expected = Set(planted.map { [$0.0, $0.1] })
        #expect(Set(top) == expected, "top pairs \(top)")
        #expect(fit.stop == .function || fit.stop == .gradient, "L-BFGS stopped by \(fit.stop)")
    }

    /// plmc's physical-systems example in seqgen: a 1D chain of 3-state Potts spins written in the
    /// symbols `_*^` (J_{i,i+1}(a, a) = 1, nothing else), sampled, written as A2M, read back with
    /// `--alphabet '_*^'` and fitted with plmc's example settings (no weighting, λ_h = λ_J = 1): the
    /// top L − 1 pairs are the chain's neighbours.
    @Test func aSymbolAlphabetChainRecoversItsNeighbours() throws {
        let (l, n) = (30, 800)
        let alphabet = try Alphabet.custom("_*^")
        var j = Couplings(length: l, states: alphabet.size)
        for i in 0..<(l - 1) { for a in 0..<3 { j[i, i + 1, a, a] = 1; j[i + 1, i, a, a] = 1 } }
        var h = [Float](repeating: 0, count: l * alphabet.size)
        for i in 0..<l { h[i * alphabet.size + 3] = -8 }          // no gaps
        let truth = PottsModel(alphabet: alphabet, fields: Tensor(shape: [l, alphabet.size], scalars: h), couplings: j.tensor)
        let codes = GibbsSampler(model: truth, burnIn: 12).sample(count: n, seed: 3)
        let text = (0..<n).map { ">\($0 + 1)\n" + alphabet.decode(codes[($0 * l)..<(($0 + 1) * l)]) }.joined(separator: "\n") + "\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chain-\(UUID().uuidString).a2m").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let msa = try AlignmentReader(alphabet: alphabet).read(path)
        #expect(msa.codes == codes && msa.length == l)
        let fit = PottsFit(lambdaFields: 1, lambdaCouplings: 1).fit(msa, weights: [Float](repeating: 1, count: n))
        let top = ContactMap.frobeniusNorms(couplings: fit.model.couplings, block: 0..<3).apc().rankedPairs().prefix(l - 1)
        #expect(top.allSatisfy { $0.j - $0.i == 1 }, "top pairs \(top.map { ($0.i, $0.j) })")
    }

    @Test func lbfgsLowersThePseudolikelihoodMonotonically() {
        let (msa, weights) = randomAlignment(n: 60, l: 8, seed: 6)
        var values: [Double] = []
        let r = PottsFit(maxIterations: 30, relativeTolerance: 0).fit(msa, weights: weights) { _, f, _ in values.append(f); return true }
        #expect(values.count == r.iterations)
        #expect(zip(values, values.dropFirst()).allSatisfy { $1 <= $0 })
    }

    @Test func gibbsSamplerIsSeeded() {
        let model = PlantedPotts.model(length: 6, pairs: [(0, 3)], seed: 1)
        let s = GibbsSampler(model: model)
        #expect(s.sample(count: 20, seed: 3) == s.sample(count: 20, seed: 3))
        #expect(s.sample(count: 20, seed: 3) != s.sample(count: 20, seed: 4))
    }
}
