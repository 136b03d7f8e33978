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
/// The stopping r comes from the `chains` current chain states, and sampling noise alone keeps it
/// below 1 even for a perfect model (on dhfr, 500 sequences drawn from the weighted alignment itself
/// reach C_ij r 0.82, 1,000 reach 0.90). So the stop is disattenuated (Spearman's correction): before
/// the first update the run draws `chains` sequences from the alignment in proportion to their
/// weights (seeded) and measures their C_ij r against the whole, the noise ceiling r₀ — what a model
/// equal to the data would score at this chain count — and stops once r / r₀ reaches
/// `targetPearson`.
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
    /// Take the step in centred variables (see `step`; bmDCA's default), or the plain gradient step.
    public var centered = true
    /// Stop once the chains' C_ij Pearson r, divided by the noise ceiling at this chain count, reaches this.
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
        public init(epoch: Int, singlePearson: Double?, pairPearson: Double?, connectedPearson: Double?, largestGap: Double) {
            self.epoch = epoch; self.singlePearson = singlePearson; self.pairPearson = pairPearson
            self.connectedPearson = connectedPearson; self.largestGap = largestGap
        }
    }

    public enum Stop: String, Sendable { case target = "target C_ij r reached", epochs = "maximum epochs", interrupted }

    public struct Result: Sendable {
        public var model: PottsModel
        /// Parameter updates taken.
        public var updates: Int
        public var epochs: [Epoch]
        public var stop: Stop
        /// C_ij r of `chains` sequences drawn from the weighted alignment (nil: undefined).
        public var noiseCeiling: Double?
    }

    /// Settings no refinement accepts.
    public func check() throws {
        guard chains >= 2 else { throw SamplingError("--refine-chains must be ≥ 2 (got \(chains))") }
        guard sweepsPerEpoch >= 1 else { throw SamplingError("--refine-sweeps must be ≥ 1 (got \(sweepsPerEpoch))") }
        guard burnIn >= 0 else { throw SamplingError("--refine-burn-in must be ≥ 0 (got \(burnIn))") }
        guard learningRate > 0, learningRate.isFinite else { throw SamplingError("--refine-rate must be a positive number (got \(learningRate))") }
        guard l2 >= 0, l2.isFinite else { throw SamplingError("--refine-l2 must be ≥ 0 (got \(l2))") }
        // r / r₀ may exceed 1 (the chains can beat as many draws from the data by chance): any positive target.
        guard targetPearson > 0, targetPearson.isFinite else { throw SamplingError("--refine-target must be a positive number (got \(targetPearson))") }
        guard maxEpochs >= 0 else { throw SamplingError("--refine-epochs must be ≥ 0 (got \(maxEpochs))") }
    }

    /// Everything a refinement needs to continue exactly where it stopped (checkpoints): the
    /// current model, the persistent chains (chains × L codes) and their generators, the
    /// updates taken and the measurements so far.
    public struct State: Sendable {
        public var model: PottsModel
        public var chains: [UInt8]
        public var generators: [[UInt64]]
        public var updates: Int
        public var history: [Epoch]
        public init(model: PottsModel, chains: [UInt8], generators: [[UInt64]], updates: Int, history: [Epoch]) {
            self.model = model; self.chains = chains; self.generators = generators; self.updates = updates; self.history = history
        }
    }

    /// The state before the first update: `model`, and every chain at a uniformly random
    /// sequence drawn by its own generator (seeded from (seed, chain)).
    public func initialState(_ model: PottsModel) -> State {
        let (l, q) = (model.length, model.states)
        var generators = (0..<chains).map { c in RandomGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(c) &* 0xBF58_476D_1CE4_E5B9 &+ 11) }
        var states = [UInt8](repeating: 0, count: chains * l)
        for c in 0..<chains { for i in 0..<l { states[c * l + i] = UInt8(generators[c].int(below: q)) } }
        return State(model: model, chains: states, generators: generators.map(\.state), updates: 0, history: [])
    }

    /// Refines `model` towards the moments of `data` (weights `weights`, one per sequence).
    /// `progress(epoch)` is called after each measurement; returning false stops the run (the
    /// model is then the last updated one and `stop` is `.interrupted`).
    public func refine(_ model: PottsModel, data: MultipleSequenceAlignment, weights: [Float],
                       progress: ((Epoch) -> Bool)? = nil) throws -> Result {
        try refine(from: initialState(model), data: data, weights: weights, progress: progress)
    }

    /// Continues a refinement from `start` (`initialState` or a checkpoint). `checkpoint(updates,
    /// state)` is offered the state at the top of every epoch (before its sweeps) and, when
    /// `progress` stops the run, the state that epoch started from — so a run continued from a
    /// saved state repeats exactly what the uninterrupted run would have done.
    public func refine(from start: State, data: MultipleSequenceAlignment, weights: [Float],
                       progress: ((Epoch) -> Bool)? = nil, checkpoint: ((Int, () -> State) -> Void)? = nil) throws -> Result {
        try check()
        let (l, q) = (start.model.length, start.model.states)
        guard data.length == l, data.alphabet.size == q else {
            throw SamplingError("the alignment has \(data.length) columns over \(data.alphabet.size) states, the model \(l) over \(q)")
        }
        guard weights.count == data.count, weights.contains(where: { $0 > 0 }) else { throw SamplingError("refinement needs a positive weight for at least one sequence") }
        guard start.chains.count == chains * l, start.generators.count == chains, start.generators.allSatisfy({ $0.count == 4 }) else {
            throw SamplingError("the saved refinement has \(start.generators.count) chains of \(start.chains.count / Swift.max(start.generators.count, 1)) columns; this run has \(chains) of \(l)")
        }
        let reference = ColumnStatistics(data, weights: weights)
        let ceiling = noiseCeiling(data, weights: weights, reference: reference)
        let goal = targetPearson * (ceiling ?? 1)
        var current = start.model
        var states = start.chains
        var generators = start.generators.map { RandomGenerator(state: $0) }
        var history = start.history
        var updates = start.updates
        let unit = [Float](repeating: 1, count: chains)
        while true {
            let before = State(model: current, chains: states, generators: generators.map(\.state), updates: updates, history: history)
            checkpoint?(updates, { before })
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
            let proceed = progress?(epoch) ?? true
            if !proceed { checkpoint?(updates, { before }) }
            history.append(epoch)
            if let r = epoch.connectedPearson, r >= goal { return Result(model: current, updates: updates, epochs: history, stop: .target, noiseCeiling: ceiling) }
            if !proceed { return Result(model: current, updates: updates, epochs: history, stop: .interrupted, noiseCeiling: ceiling) }
            if updates >= maxEpochs { return Result(model: current, updates: updates, epochs: history, stop: .epochs, noiseCeiling: ceiling) }
            current = step(current, reference, sampled)
            updates += 1
        }
    }

    /// The C_ij r against `reference` of `chains` rows of `data` drawn with replacement in
    /// proportion to `weights` (generator seeded from `seed`): the score of a perfect model at this
    /// chain count.
    public func noiseCeiling(_ data: MultipleSequenceAlignment, weights: [Float]) -> Double? {
        noiseCeiling(data, weights: weights, reference: ColumnStatistics(data, weights: weights))
    }

    func noiseCeiling(_ data: MultipleSequenceAlignment, weights: [Float], reference: ColumnStatistics) -> Double? {
        let l = data.length
        var cumulative = [Double](repeating: 0, count: weights.count)
        var total = 0.0
        for (n, w) in weights.enumerated() { total += Double(Swift.max(w, 0)); cumulative[n] = total }
        var rng = RandomGenerator(seed: seed &* 0xD1B5_4A32_D192_ED03 &+ 5)
        var codes = [UInt8](repeating: 0, count: chains * l)
        for c in 0..<chains {
            let u = rng.uniformDouble() * total
            var lo = 0, hi = cumulative.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > u { hi = mid } else { lo = mid + 1 } }
            for i in 0..<l { codes[c * l + i] = data.codes[lo * l + i] }
        }
        let drawn = ColumnStatistics(codes: codes, length: l, states: data.alphabet.size, weights: [Float](repeating: 1, count: chains))
        return ColumnStatistics.comparePairs(reference, drawn).connected.r
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

    /// One gradient-ascent step. Plain: h += η (f_i − ⟨δ⟩), J_ij += η (f_ij − ⟨δδ⟩ − λ J_ij).
    /// Centred (`centered`, the default): the step of the same likelihood in the parametrisation
    /// with centred one-hot variables δ_{x_i,a} − f_i(a) (bmDCA's reparametrisation; Melchior et
    /// al. 2016 for Boltzmann machines), written back in (h, J):
    ///
    ///   ΔJ_ij(a,b) = η [(f_ij − ⟨δδ⟩) − f_i(a)(f_j(b) − ⟨δ_j⟩) − f_j(b)(f_i(a) − ⟨δ_i⟩) − λ J_ij(a,b)],
    ///   Δh_i(a)    = η (f_i(a) − ⟨δ_i⟩) − Σ_{j≠i} Σ_b ΔJ_ij(a,b) f_j(b),
    ///
    /// so a coupling step does not also shift site i's marginal through the Σ_j J_ij(a, x_j) it adds
    /// to the local field: the fixed point is the same (matched one- and two-site moments), the
    /// steps are better conditioned. Both stored orientations of each J_ij block are written.
    func step(_ model: PottsModel, _ reference: ColumnStatistics, _ sampled: ColumnStatistics) -> PottsModel {
        let (l, q) = (model.length, model.states)
        let (eta, lambda, centred) = (learningRate, l2, centered)
        var h = model.fields.scalars
        for k in 0..<(l * q) { h[k] += Float(eta * (reference.single[k] - sampled.single[k])) }
        let old = model.couplings.scalars
        var j = old
        let (fd, fm) = (reference.single, sampled.single)
        j.withUnsafeMutableBufferPointer { jb in
            nonisolated(unsafe) let jp = jb.baseAddress!
            _ = ColumnStatistics.comparePairs(reference, sampled) { a0, b0, fr, fs in
                let forward = jp + Couplings.blockOffset(a0, b0, length: l, states: q)
                let backward = jp + Couplings.blockOffset(b0, a0, length: l, states: q)
                for a in 0..<q { for b in 0..<q {
                    let value = forward[a * q + b]
                    var g = fr[a * q + b] - fs[a * q + b] - lambda * Double(value)
                    if centred {
                        let (fa, fb) = (fd[a0 * q + a], fd[b0 * q + b])
                        g -= fa * (fb - fm[b0 * q + b]) + fb * (fa - fm[a0 * q + a])
                    }
                    let updated = value + Float(eta * g)
                    forward[a * q + b] = updated
                    backward[b * q + a] = updated
                } }
            }
        }
        if centred {
            // Δh_i(a) −= Σ_{j≠i} Σ_b ΔJ_ij(a,b) f_j(b), rows i in parallel (each writes its own row of h).
            h.withUnsafeMutableBufferPointer { hb in
                j.withUnsafeBufferPointer { nb in
                    old.withUnsafeBufferPointer { ob in
                        nonisolated(unsafe) let (hp, np, op) = (hb.baseAddress!, nb.baseAddress!, ob.baseAddress!)
                        Parallel.forEachWorker(l) { _, range in
                            for i in range {
                                var shift = [Double](repeating: 0, count: q)
                                for k in 0..<l where k != i {
                                    let offset = Couplings.blockOffset(i, k, length: l, states: q)
                                    for a in 0..<q { for b in 0..<q {
                                        shift[a] += Double(np[offset + a * q + b] - op[offset + a * q + b]) * fd[k * q + b]
                                    } }
                                }
                                for a in 0..<q { hp[i * q + a] -= Float(shift[a]) }
                            }
                        }
                    }
                }
            }
        }
        return PottsModel(alphabet: model.alphabet, fields: Tensor(shape: [l, q], scalars: h), couplings: Tensor(shape: [l, l, q, q], scalars: j))
    }
}
