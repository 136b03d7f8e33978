import Testing
import Tensors
import Autodiff
import Potts
import Sequences
import Saliency

@Suite struct SaliencyCouplingsTests {
    func randomPotts(length l: Int, states q: Int, seed: UInt64) -> PottsModel {
        var rng = RandomGenerator(seed: seed)
        var j = [Float](repeating: 0, count: l * l * q * q)
        for i in 0..<l { for k in (i + 1)..<l { for a in 0..<q { for b in 0..<q {
            let v = rng.normal()
            j[((i * l + k) * q + a) * q + b] = v
            j[((k * l + i) * q + b) * q + a] = v
        } } } }
        return PottsModel(alphabet: .protein, fields: .normal([l, q], using: &rng), couplings: Tensor(shape: [l, l, q, q], scalars: j))
    }

    /// For a Potts model read through its conditionals, the saliency couplings are its couplings in
    /// the zero-sum gauge, whatever sequences the Jacobian is averaged over.
    @Test func pottsSaliencyCouplingsEqualItsZeroSumGaugedCouplings() {
        let (l, q) = (5, 21)
        let potts = randomPotts(length: l, states: q, seed: 3)
        let expected = potts.zeroSumGauge().couplings.scalars
        var rng = RandomGenerator(seed: 8)
        let inputs = (0..<3).map { _ in (0..<l).map { _ in UInt8(rng.int(below: q)) } }
        let j = SaliencyCouplings.couplings(PottsConditionals(potts), inputs: inputs, chunk: 37)
        #expect(j.shape == [l, l, q, q])
        var worst: Float = 0
        for (a, b) in zip(j.scalars, expected) { worst = Swift.max(worst, Swift.abs(a - b)) }
        #expect(worst < 1e-4, "largest difference \(worst)")
        // Symmetric, zero diagonal blocks.
        for i in 0..<l { for k in 0..<l { for a in 0..<q { for b in 0..<q {
            #expect(j.scalars[((i * l + k) * q + a) * q + b] == j.scalars[((k * l + i) * q + b) * q + a])
            if i == k { #expect(j.scalars[((i * l + k) * q + a) * q + b] == 0) }
        } } } }
    }

    /// The raw Jacobian of a model without couplings between columns (a PSSM-like model) is zero
    /// off the diagonal blocks, so its saliency couplings vanish.
    @Test func independentSitesHaveNoSaliencyCouplings() {
        let l = 4, q = 3
        var zero = randomPotts(length: l, states: q, seed: 1)
        zero.couplings = Tensor(zeros: [l, l, q, q])
        let j = SaliencyCouplings.couplings(PottsConditionals(zero), inputs: [[0, 1, 2, 0]])
        #expect(j.scalars.allSatisfy { $0 == 0 })
    }
}
