import Testing
import Tensors
import Sequences
@testable import Potts

@Suite struct PottsFitMemoryTests {
    /// The objective's arrays, as allocated, have the sizes the estimate counts — over a range of
    /// L and N (the estimate is this plus `LBFGS.vectorCount` vectors, tested in OptimizersTests).
    @Test(arguments: [(2, 3), (9, 40), (50, 7), (120, 25)])
    func objectiveHoldsWhatTheEstimateCounts(length l: Int, sequences n: Int) {
        var rng = RandomGenerator(seed: UInt64(l * 1000 + n))
        let codes = (0..<(n * l)).map { _ in UInt8(rng.int(below: 21)) }
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: (0..<n).map { "s\($0)" }, codes: codes, length: l)
        let objective = PseudoLikelihood(msa, weights: [Float](repeating: 1, count: n))
        let slots = KernelLayouts.slotCount(msa, gapsAsMissing: false)
        #expect(objective.layouts.slots == slots)
        #expect(objective.heldBytes == PottsFitMemory.objectiveHeld(sequences: n, length: l, states: 21, slots: slots))
        #expect(objective.heldBytes <= PottsFitMemory.objectiveHeld(sequences: n, length: l, states: 21))   // the size-only bound
    }
}
