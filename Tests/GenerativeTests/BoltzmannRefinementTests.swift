import Testing
import Tensors
import Sequences
import Potts
import Generative
#if canImport(Glibc)
import Glibc
#endif

/// Exact one- and two-site frequencies of a Potts model over the states 0..<k of every site (the
/// others must have negligible probability), by enumerating all k^L sequences.
func exactMoments(_ model: PottsModel, states k: Int) -> (single: [Double], pair: [Double], sequences: [[UInt8]], probabilities: [Double]) {
    let (l, q) = (model.length, model.states)
    var sequences: [[UInt8]] = [[]]
    for _ in 0..<l { sequences = sequences.flatMap { s in (0..<k).map { s + [UInt8($0)] } } }
    let energies = sequences.map { model.energy($0) }
    let m = energies.max()!
    let weights = energies.map { Glibc.exp($0 - m) }
    let z = weights.reduce(0, +)
    let p = weights.map { $0 / z }
    var f1 = [Double](repeating: 0, count: l * q), f2 = [Double](repeating: 0, count: l * l * q * q)
    for (s, x) in sequences.enumerated() { for i in 0..<l {
        f1[i * q + Int(x[i])] += p[s]
        for j in 0..<l { f2[((i * l + j) * q + Int(x[i])) * q + Int(x[j])] += p[s] }
    } }
    return (f1, f2, sequences, p)
}

@Suite struct BoltzmannRefinementTests {
    /// The data: every sequence of the planted model's 3 states, weighted by its exact probability.
    func plantedData() -> (MultipleSequenceAlignment, [Float], (single: [Double], pair: [Double])) {
        let planted = plantedTinyPotts()
        let exact = exactMoments(planted, states: 3)
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: exact.sequences.indices.map { "s\($0)" },
                                            codes: exact.sequences.flatMap { $0 }, length: planted.length)
        return (msa, exact.probabilities.map { Float($0) }, (exact.single, exact.pair))
    }

    /// The start: the planted fields, no couplings (an independent-site model).
    func independentStart() -> PottsModel {
        let planted = plantedTinyPotts()
        return PottsModel(alphabet: planted.alphabet, fields: planted.fields,
                          couplings: Tensor(shape: planted.couplings.shape, scalars: [Float](repeating: 0, count: planted.couplings.count)))
    }

    func settings(seed: UInt64 = 3) -> BoltzmannRefinement {
        var bm = BoltzmannRefinement()
        (bm.chains, bm.sweepsPerEpoch, bm.burnIn, bm.learningRate, bm.maxEpochs, bm.targetPearson, bm.seed) = (400, 2, 10, 0.2, 150, 5, seed)
        return bm
    }

    /// The largest |f_ij^data − f_ij^model| over pairs i ≠ j and states, with the model's moments by enumeration.
    func largestPairGap(_ model: PottsModel, _ data: (single: [Double], pair: [Double])) -> Double {
        let exact = exactMoments(model, states: 3)
        let (l, q) = (model.length, model.states)
        var gap = 0.0
        for i in 0..<l { for j in 0..<l where j != i { for a in 0..<3 { for b in 0..<3 {
            let k = ((i * l + j) * q + a) * q + b
            gap = Swift.max(gap, Swift.abs(exact.pair[k] - data.pair[k]))
        } } } }
        return gap
    }

    @Test func refinementMovesPairStatisticsTowardTheData() throws {
        let (msa, weights, data) = plantedData()
        let start = independentStart()
        let before = largestPairGap(start, data)
        let result = try settings().refine(start, data: msa, weights: weights)
        let after = largestPairGap(result.model, data)
        #expect(before > 0.05)
        #expect(after < before / 3, "largest exact pair-frequency gap \(before) → \(after)")
        #expect(result.updates == 150 && result.stop == .epochs)
        // Both stored orientations of every block move together: the model stays symmetric.
        let (l, q) = (start.length, start.states)
        for i in 0..<l { for j in 0..<l { for a in 0..<q { for b in 0..<q {
            #expect(result.model.coupling(i, j, a, b) == result.model.coupling(j, i, b, a))
        } } } }
    }

    @Test func plainGradientStepsAlsoMatchTheMoments() throws {
        let (msa, weights, data) = plantedData()
        let start = independentStart()
        var bm = settings()
        bm.centered = false
        let result = try bm.refine(start, data: msa, weights: weights)
        let (before, after) = (largestPairGap(start, data), largestPairGap(result.model, data))
        #expect(after < before / 3, "largest exact pair-frequency gap \(before) → \(after)")
        // Centred and plain steps take different paths.
        let centred = try settings().refine(start, data: msa, weights: weights)
        #expect(centred.model.fields.scalars != result.model.fields.scalars)
    }

    /// Stopped after 7 updates (as SIGINT does), continued from the state offered at the stop: the
    /// same model, updates and measurements as one uninterrupted run.
    @Test func anInterruptedRefinementResumesToTheSameModel() throws {
        let (msa, weights, _) = plantedData()
        var bm = settings()
        bm.maxEpochs = 15
        let start = bm.initialState(independentStart())
        let whole = try bm.refine(from: start, data: msa, weights: weights)
        nonisolated(unsafe) var saved: BoltzmannRefinement.State?
        let stopped = try bm.refine(from: start, data: msa, weights: weights, progress: { $0.epoch < 7 }, checkpoint: { _, state in saved = state() })
        #expect(stopped.stop == .interrupted && stopped.updates == 7)
        let state = try #require(saved)
        #expect(state.updates == 7 && state.history.count == 7)
        let resumed = try bm.refine(from: state, data: msa, weights: weights)
        #expect(resumed.model.fields.scalars == whole.model.fields.scalars)
        #expect(resumed.model.couplings.scalars == whole.model.couplings.scalars)
        #expect(resumed.updates == whole.updates && resumed.stop == whole.stop)
        #expect(resumed.epochs.map(\.connectedPearson) == whole.epochs.map(\.connectedPearson))
        // A saved state with another chain count is refused.
        var other = bm
        other.chains = 10
        #expect(throws: SamplingError.self) { try other.refine(from: state, data: msa, weights: weights) }
    }

    @Test func refinementStopsAtTheTargetPearson() throws {
        let (msa, weights, _) = plantedData()
        var bm = settings()
        bm.targetPearson = 0.5
        let result = try bm.refine(independentStart(), data: msa, weights: weights)
        #expect(result.stop == .target)
        let ceiling = try #require(result.noiseCeiling)
        #expect((result.epochs.last!.connectedPearson ?? 0) >= 0.5 * ceiling)
        // The stop before it did not reach the disattenuated target.
        if result.epochs.count > 1 { #expect((result.epochs[result.epochs.count - 2].connectedPearson ?? 0) < 0.5 * ceiling) }
        #expect(result.updates < 150)
    }

    /// The noise ceiling is the C_ij r of `chains` draws from the data: below 1, higher with more
    /// chains, and reproducible for a seed.
    @Test func noiseCeilingGrowsWithTheChainCount() throws {
        let (msa, weights, _) = plantedData()
        var few = settings(), many = settings()
        (few.chains, many.chains) = (30, 3000)
        let (a, b) = (try #require(few.noiseCeiling(msa, weights: weights)), try #require(many.noiseCeiling(msa, weights: weights)))
        #expect(a < b && b < 1 && b > 0.9, "ceiling \(a) at 30 chains, \(b) at 3000")
        #expect(few.noiseCeiling(msa, weights: weights) == a)
    }

    @Test func seededRefinementsAreIdenticalAndSeedsDiffer() throws {
        let (msa, weights, _) = plantedData()
        var bm = settings()
        bm.maxEpochs = 20
        let a = try bm.refine(independentStart(), data: msa, weights: weights)
        let b = try bm.refine(independentStart(), data: msa, weights: weights)
        bm.seed = 4
        let c = try bm.refine(independentStart(), data: msa, weights: weights)
        #expect(a.model.couplings.scalars == b.model.couplings.scalars && a.model.fields.scalars == b.model.fields.scalars)
        #expect(a.model.couplings.scalars != c.model.couplings.scalars)
    }

    @Test func badSettingsAreRejected() throws {
        let (msa, weights, _) = plantedData()
        var cases: [BoltzmannRefinement] = []
        var bm = settings(); bm.chains = 1; cases.append(bm)
        bm = settings(); bm.sweepsPerEpoch = 0; cases.append(bm)
        bm = settings(); bm.learningRate = 0; cases.append(bm)
        bm = settings(); bm.learningRate = .nan; cases.append(bm)
        bm = settings(); bm.l2 = -1; cases.append(bm)
        bm = settings(); bm.targetPearson = 0; cases.append(bm)
        bm = settings(); bm.maxEpochs = -1; cases.append(bm)
        for bad in cases { #expect(throws: SamplingError.self) { try bad.refine(independentStart(), data: msa, weights: weights) } }
        // An alignment over other columns than the model's.
        let short = MultipleSequenceAlignment(alphabet: .protein, names: ["a"], codes: [0, 1], length: 2)
        #expect(throws: SamplingError.self) { try settings().refine(independentStart(), data: short, weights: [1]) }
    }
}
