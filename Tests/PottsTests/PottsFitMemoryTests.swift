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

    /// The default history is 5 pairs until five pairs' vectors (14 with the preconditioner) pass
    /// 4 GiB, then 2: at L = 1000, q = 21 the optimizer then holds 8 vectors (7.05 GB), under
    /// CCMpred's formula for the same model and N = 10,000 (8.0 GB).
    @Test func defaultHistoryShrinksOnlyWhenFivePairsPassTheBudget() {
        let edge = PottsFit.historyBudget / (14 * 4)
        #expect(PottsFit.defaultMemory(parameters: edge) == 5 && PottsFit.defaultMemory(parameters: edge + 1) == 2)
        #expect(PottsFit.defaultMemory(parameters: PottsFit.parameterCount(length: 580, states: 21)) == 5)
        #expect(PottsFit.defaultMemory(parameters: PottsFit.parameterCount(length: 600, states: 21)) == 2)
        let p = PottsFit.parameterCount(length: 1000, states: 21)
        #expect(PottsFitMemory.optimizer(lbfgsMemory: nil, preconditioned: true, parameters: p) == 8 * p * 4)
        let ccmpred = 4 * (4 * (1000 * 1000 * 21 * 21 + 1000 * 20) + 23 * 10_000 * 1000 + 10_000 + 1000 * 1000) + 2 * 10_000 * 1000 + 1024
        #expect(PottsFit.memoryEstimate(sequences: 10_000, length: 1000, states: 21, lbfgsMemory: nil, threads: 2) < ccmpred)
        #expect(PottsFit.memoryEstimate(sequences: 10_000, length: 1000, states: 21, lbfgsMemory: 5, threads: 2) > ccmpred)
    }
}
