import Tensors
import Sequences
import Potts
import Statistics

/// Boltzmann-machine refinement of a Potts model by moment matching (bmDCA, Figliuzzi et al. 2018;
/// the adabmDCA recipe, Muntoni et al. 2021), started from a pseudolikelihood fit.
///
/// P(x) ∝ exp(Σ_i h_i(x_i) + Σ_{i<j} J_ij(x_i, x_j)). The gradient of the weighted mean
/// log-likelihood is the difference of moments,
///
///   ∂ℓ/∂h_i(a)    = f_i(a) − ⟨δ(x_i, a)⟩_P,
///   ∂ℓ/∂J_ij(a,b) = f_ij(a,b) − ⟨δ(x_i, a) δ(x_j, b)⟩_P − λ J_ij(a,b),
///
/// with f the data's one- and two-site frequencies under the fitting weights (θ as for the fit) and
/// ⟨·⟩_P estimated from `chains` persistent Gibbs chains (`GibbsSweep`, the sampler of
/// `seqgen sample`). Each epoch runs `sweepsPerEpoch` sweeps of every chain (the first epoch
/// `burnIn` more, from uniformly random sequences), measures the chains' statistics against the
/// data (`ColumnStatistics.comparePairs`, the comparison of `seqgen eval generative`), stops when
/// the Pearson r of the connected correlations C_ij(a,b) = f_ij(a,b) − f_i(a) f_j(b) reaches
/// `targetPearson`, and otherwise takes one gradient-ascent step of size `learningRate` on h and J
/// (both stored orientations of each J_ij block, so the model stays symmetric).
///
/// The stopping r comes from the `chains` current chain states, not from an independent long run:
/// with 1,000 chains its sampling noise lowers it below what 10,000 samples give.
///
/// Cost per epoch: chains · sweepsPerEpoch · L² q flops for the sweeps (threaded over chains)
/// plus O(L²/2 · (N + chains + q²)) for the moments (threaded over rows). Each chain has its own
/// generator seeded from (seed, chain), and every sum is merged in a fixed order, so a seeded run
/// gives the same model whatever the thread count.
public struct BoltzmannRefinement: Sendable {
    /// Persistent chains (adabmDCA defaults to 10,000; seqgen to 1,000 for cost: see the README).
    public var chains = 1000
    /// Gibbs sweeps of every chain between updates (adabmDCA's default 10).
    public var sweepsPerEpoch = 10
    /// Sweeps from the random start before the first update.
    public var burnIn = 100
    /// Gradient-ascent step on h and J (adabmDCA's default 0.05).
    public var learningRate = 0.05
    /// L2 penalty λ on the couplings (default 0, as adabmDCA).
    public var l2 = 0.0
    /// Stop once the chains' C_ij Pearson r reaches this.
    public var targetPearson = 0.95
    /// Stop after this many parameter updates.
    public var maxEpochs = 200
    public var seed: UInt64 = 0

    public init() {}

    /// One epoch's measurement, taken before its update.
    public struct Epoch: Sendable {
        public var epoch: Int
        public var singlePearson: Double?
        public var pairPearson: Double?
        public var connectedPearson: Double?
        /// max over (i, a) and (i, j, a, b) of |data − model| moment.
        public var largestGap: Double
    }

    public enum Stop: String, Sendable { case target = "target C_ij r reached", epochs = "maximum epochs", interrupted }

    public struct Result: Sendable {
        public var model: PottsModel
        /// Parameter updates taken.
        public var updates: Int
        public var epochs: [Epoch]
        public var stop: Stop
    }

    /// Settings no refinement accepts.
    public func check() throws {
        guard chains >= 2 else { throw SamplingError("--refine-chains must be ≥ 2 (got \(chains))") }
        guard sweepsPerEpoch >= 1 else { throw SamplingError("--refine-sweeps must be ≥ 1 (got \(sweepsPerEpoch))") }
        guard burnIn >= 0 else { throw SamplingError("--refine-burn-in must be ≥ 0 (got \(burnIn))") }
        guard learningRate > 0, learningRate.isFinite else { throw SamplingError("--refine-rate must be a positive number (got \(learningRate))") }
        guard l2 >= 0, l2.isFinite else { throw SamplingError("--refine-l2 must be ≥ 0 (got \(l2))") }
        guard targetPearson > 0, targetPearson <= 1 else { throw SamplingError("--refine-target must be in (0, 1] (got \(targetPearson))") }
        guard maxEpochs >= 0 else { throw SamplingError("--refine-epochs must be ≥ 0 (got \(maxEpochs))") }
    }

    /// Refines `model` towards the moments of `data` (weights `weights`, one per sequence).
    /// `progress(epoch)` is called after each measurement; returning false stops the run (the
    /// model is then the last updated one and `stop` is `.interrupted`).
    public func refine(_ model: PottsModel, data: MultipleSequenceAlignment, weights: [Float],
                       progress: ((Epoch) -> Bool)? = nil) throws -> Result {
        try check()
        let (l, q) = (model.length, model.states)
        guard data.length == l, data.alphabet.size == q else {
            throw SamplingError("the alignment has \(data.length) columns over \(data.alphabet.size) states, the model \(l) over \(q)")
        }
        guard weights.count == data.count, weights.contains(where: { $0 > 0 }) else { throw SamplingError("refinement needs a positive weight for at least one sequence") }
        let reference = ColumnStatistics(data, weights: weights)
        var current = model
        var states = [UInt8](repeating: 0, count: chains * l)
        var generators = (0..<chains).map { c in RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(c) &* 0xBF58_476D_1CE4_E5B9 &+ 11) }
        for c in 0..<chains { for i in 0..<l { states[c * l + i] = UInt8(generators[c].int(below: q)) } }
        var history: [Epoch] = []
        var updates = 0
        let unit = [Float](repeating: 1, count: chains)
        while true {
            advance(current, &states, &generators, sweeps: updates == 0 ? burnIn + sweepsPerEpoch : sweepsPerEpoch)
            let sampled = ColumnStatistics(codes: states, length: l, states: q, weights: unit)
            // One pass: the Pearson sums, and per row i the largest |f_ij − ⟨δδ⟩|.
            var rowGaps = [Double](repeating: 0, count: l)
            let sums = rowGaps.withUnsafeMutableBufferPointer { rb in
                nonisolated(unsafe) let rp = rb.baseAddress!
                return ColumnStatistics.comparePairs(reference, sampled) { i, _, fr, fs in
                    var m = rp[i]
                    for k in 0..<(q * q) { m = Swift.max(m, Swift.abs(fr[k] - fs[k])) }
                    rp[i] = m
                }
            }
            var gap = rowGaps.max() ?? 0
            for k in 0..<(l * q) { gap = Swift.max(gap, Swift.abs(reference.single[k] - sampled.single[k])) }
            let epoch = Epoch(epoch: updates, singlePearson: pearson(reference.single, sampled.single), pairPearson: sums.pair.r,
                              connectedPearson: sums.connected.r, largestGap: gap)
            history.append(epoch)
            let proceed = progress?(epoch) ?? true
            if let r = epoch.connectedPearson, r >= targetPearson { return Result(model: current, updates: updates, epochs: history, stop: .target) }
            if !proceed { return Result(model: current, updates: updates, epochs: history, stop: .interrupted) }
            if updates >= maxEpochs { return Result(model: current, updates: updates, epochs: history, stop: .epochs) }
            current = step(current, reference, sampled)
            updates += 1
        }
    }

    /// `sweeps` Gibbs sweeps of every chain, threaded over chains (each with its own generator).
    func advance(_ model: PottsModel, _ states: inout [UInt8], _ generators: inout [RandomGenerator], sweeps: Int) {
        let (l, q, count) = (model.length, model.states, chains)
        states.withUnsafeMutableBufferPointer { sb in
            generators.withUnsafeMutableBufferPointer { gb in
                nonisolated(unsafe) let (sp, gp) = (sb.baseAddress!, gb.baseAddress!)
                Parallel.forEachWorker(count) { _, range in
                    var logits = [Double](repeating: 0, count: q)
                    var cache: Void = ()
                    logits.withUnsafeMutableBufferPointer { lb in
                        for c in range {
                            var x = Array(UnsafeBufferPointer(start: sp + c * l, count: l))
                            var rng = gp[c]
                            for _ in 0..<sweeps { GibbsSweep.sweep(model, &x, &cache, [:], 1, q, lb.baseAddress!, &rng) }
                            for i in 0..<l { sp[c * l + i] = x[i] }
                            gp[c] = rng
                        }
                    }
                }
            }
        }
    }

    /// h += η (f_i − ⟨δ⟩), J_ij += η (f_ij − ⟨δδ⟩ − λ J_ij), both orientations of each block.
    func step(_ model: PottsModel, _ reference: ColumnStatistics, _ sampled: ColumnStatistics) -> PottsModel {
        let (l, q) = (model.length, model.states)
        let (eta, lambda) = (learningRate, l2)
        var h = model.fields.scalars
        for k in 0..<(l * q) { h[k] += Float(eta * (reference.single[k] - sampled.single[k])) }
        var j = model.couplings.scalars
        j.withUnsafeMutableBufferPointer { jb in
            nonisolated(unsafe) let jp = jb.baseAddress!
            _ = ColumnStatistics.comparePairs(reference, sampled) { a0, b0, fr, fs in
                let forward = jp + Couplings.blockOffset(a0, b0, length: l, states: q)
                let backward = jp + Couplings.blockOffset(b0, a0, length: l, states: q)
                for a in 0..<q { for b in 0..<q {
                    let value = forward[a * q + b]
                    let updated = value + Float(eta * (fr[a * q + b] - fs[a * q + b] - lambda * Double(value)))
                    forward[a * q + b] = updated
                    backward[b * q + a] = updated
                } }
            }
        }
        return PottsModel(alphabet: model.alphabet, fields: Tensor(shape: [l, q], scalars: h), couplings: Tensor(shape: [l, l, q, q], scalars: j))
    }
}
