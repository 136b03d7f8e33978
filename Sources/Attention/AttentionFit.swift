import Tensors
import Autodiff
import Optimizers
import Sequences
import Potts

/// Trains a factored-attention model with Adam on the full-batch objective (each step is one fused
/// pseudolikelihood evaluation over all sequences, scaled by 1/Neff).
/// Defaults (the paper's appendix, scaled to 2 cores and to full-batch steps): H = 64 heads (the
/// paper's best used 256), d = 64, value matrices initialised N(0, 0.1²), Adam with learning rate
/// 0.02 (measured on 1atzA: 5·10⁻³ had not converged in 400 steps, P@L 0.41; 0.02 gave 0.49),
/// λ_J and λ_b as for Potts, at most 800 steps, stopping when the objective has improved by less
/// than 2·10⁻³ (relative) over the last 20 steps: the Potts fit's tolerance of 10⁻⁴ per iteration,
/// summed over the window (Adam's single steps are too noisy to test one by one).
public struct AttentionFit: Sendable {
    public var heads = 64
    public var headDimension = 64
    public var learningRate: Float = 0.02
    public var steps = 800
    /// The stop: F fell by less than this fraction of |F| over the last 20 steps (20 × PottsFit's 10⁻⁴).
    public var relativeTolerance = 2e-3
    public var seed: UInt64 = 0
    public var lambdaFields: Float = 0.01
    public var lambdaCouplings: Float?
    /// Standard deviation of the initial value matrices.
    public var valueScale: Float = 0.1
    public enum Optimizer: String, Sendable, CaseIterable { case adam, lbfgs }
    /// Adam as in the paper, or L-BFGS on the same full-batch objective (converges in fewer passes).
    public var optimizer = Optimizer.adam
    /// Adam: minibatches per epoch. The sequences are dealt (seeded) into this many shards and each
    /// step takes one shard's objective, its weights scaled by Neff / Neff_shard so that it estimates
    /// F (1 = full batch).
    public var shards = 1

    public init(heads: Int = 64, headDimension: Int = 64, learningRate: Float = 0.02, steps: Int = 800, seed: UInt64 = 0) {
        self.heads = heads; self.headDimension = headDimension; self.learningRate = learningRate; self.steps = steps; self.seed = seed
    }

    /// On a non-finite loss or gradient: stop (nothing is returned as fitted), or restore the last
    /// finite step, halve the learning rate and go on (at most `maxBackoffs` times).
    public enum NonFinitePolicy: String, Sendable, CaseIterable { case stop, backoff }

    /// Bytes a fit needs, from its largest arrays: parameters P = 2HLd + Hq² + Lq with their
    /// gradients and Adam's two moments (4P floats); attention scores, maps and their gradients
    /// (4·H·L²); the packed couplings, θ, ∂F/∂θ and the couplings' slice of it (4 · L(L−1)/2 · q²); and the
    /// fused pseudolikelihood kernel's two blocks per thread (at most 2·(L·q + 1)·24 floats each:
    /// `KernelLayouts`) and its per-pair state (L(L−1)/2 × 16 bytes, `PairBlocks`); and the Potts-form model's full couplings
    /// (L²q²), built beside them at the end.
    public static func memoryEstimate(length l: Int, states q: Int, heads h: Int, headDimension d: Int, threads t: Int) -> Int {
        let p = 2 * h * l * d + h * q * q + l * q
        return 4 * (4 * p + 4 * h * l * l + 2 * l * (l - 1) * q * q + l * l * q * q + 2 * t * (l * q + 1) * PseudoLikelihood.pad + 2 * l * (l - 1))
    }
    public var onNonFinite = NonFinitePolicy.stop
    public var maxBackoffs = 5
    /// The BLAS thread count the fit holds at one while it runs (a recorder in tests).
    public var blasThreads = BLASThreads.openBLAS

    public struct Result {
        public var model: FactoredAttention
        public var objective: Double
        public var steps: Int
        /// Why the fit failed ("step 12: non-finite gradient in value"); nil when it did not.
        public var failure: String?
        /// Learning-rate back-offs taken (with `.backoff`).
        public var backoffs: [String] = []
    }

    /// The state an Adam run carries between steps (parameters in `FactoredAttention.parameters`
    /// order, Adam's moments, the step count and the objective history its stopping rule reads).
    public struct AdamState: Sendable {
        public var step: Int
        public var parameters: [Tensor], firstMoments: [Tensor], secondMoments: [Tensor]
        public var history: [Double]
        public init(step: Int, parameters: [Tensor], firstMoments: [Tensor], secondMoments: [Tensor], history: [Double]) {
            self.step = step; self.parameters = parameters; self.firstMoments = firstMoments; self.secondMoments = secondMoments; self.history = history
        }
    }

    public enum State: Sendable {
        case adam(AdamState)
        case lbfgs(LBFGS.State)
    }

    /// `progress(step, F)`; return false to stop. `checkpoint(step, state)` runs after each step,
    /// before `progress`; `state()` copies the full optimizer state. `resume` continues a saved run
    /// of the same optimizer bit for bit. Adam polls `stop()` between the sites of a step's
    /// evaluation (a full-batch step takes ≈ 30 s at L = 400): once it is true the step is dropped
    /// — parameters and moments stay as the last step left them — that step's `checkpoint` runs
    /// again, and the fit returns. (L-BFGS stops between iterations, through `progress`.)
    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], resume: State? = nil,
                    progress: ((Int, Double) -> Bool)? = nil,
                    checkpoint: ((Int, () -> State) -> Void)? = nil,
                    abandoningStepWhen stop: (@Sendable () -> Bool)? = nil) -> Result {
        // Small matrices on one thread: OpenBLAS gets one thread meanwhile (its idle pool would spin).
        blasThreads.holdingOne { fitHoldingBLAS(msa, weights: weights, resume: resume, progress: progress, checkpoint: checkpoint, stop: stop) }
    }

    private func fitHoldingBLAS(_ msa: MultipleSequenceAlignment, weights: [Float], resume: State?,
                    progress: ((Int, Double) -> Bool)?,
                    checkpoint: ((Int, () -> State) -> Void)?, stop: (@Sendable () -> Bool)?) -> Result {
        let (l, q) = (msa.length, msa.alphabet.size)
        let pssm = PSSM(msa, weights: weights, pseudocount: 1)
        var b = pssm.fields
        for i in 0..<l {
            let mean = (0..<q).reduce(Float(0)) { $0 + pssm.fields.scalars[i * q + $1] } / Float(q)
            for a in 0..<q { b.scalars[i * q + a] -= mean }
        }
        var rng = RandomGenerator(seed: seed)
        let model = FactoredAttention(length: l, states: q, heads: heads, headDimension: headDimension, fields: b, valueScale: valueScale, using: &rng)
        let neff = Float(weights.reduce(0.0) { $0 + Double($1) })
        let batches = optimizer == .adam && shards > 1 ? shardObjectives(model, msa, weights: weights, neff: neff)
            : [AttentionObjective(model: model, msa: msa, weights: weights, lambdaFields: lambdaFields, lambdaCouplings: lambdaCouplings)]
        if optimizer == .lbfgs {
            let params = model.parameters
            let sizes = params.map(\.value.count)
            // No per-iteration stop: the start (V ≈ 0) is a flat region where single steps gain little.
            let solver = LBFGS(memory: 10, maxIterations: steps, gradientTolerance: 1e-7, functionTolerance: 0)
            var iteration = 0
            var saved: LBFGS.State?
            if case .lbfgs(let state)? = resume { saved = state; iteration = state.iteration }
            let r = solver.minimize(params.flatMap(\.value.scalars), resumingFrom: saved, callback: { it, f, _ in
                iteration = it
                return progress?(it, f) ?? true
            }, checkpoint: checkpoint.map { save in { it, state in save(it) { .lbfgs(state()) } } }) { x, gradient in
                var o = 0
                for (p, n) in zip(params, sizes) { p.value.scalars = Array(x[o..<(o + n)]); p.zeroGrad(); o += n }
                let f = batches[0].lossAndGradients()
                o = 0
                for (p, n) in zip(params, sizes) {
                    let g = p.grad ?? Tensor(zeros: p.shape)
                    for k in 0..<n { gradient[o + k] = g.scalars[k] }
                    o += n
                }
                return f
            }
            var o = 0
            for (p, n) in zip(params, sizes) { p.value.scalars = Array(r.x[o..<(o + n)]); o += n }
            return Result(model: model, objective: r.value, steps: iteration)
        }
        let adam = Adam(model.parameters, learningRate: learningRate)
        var history: [Double] = []
        var done = 0
        if case .adam(let state)? = resume {
            for (p, v) in zip(model.parameters, state.parameters) { p.value = v }
            adam.restore(firstMoments: state.firstMoments, secondMoments: state.secondMoments, stepCount: state.step)
            history = state.history; done = state.step
        }
        // With shards the test reads the mean over the last epoch (one step per shard).
        let k = batches.count
        func smoothed(_ end: Int) -> Double { history[(end - k)..<end].reduce(0, +) / Double(k) }
        func converged() -> Bool {
            guard history.count >= 20 + k else { return false }
            let last = smoothed(history.count)
            return (smoothed(history.count - 20) - last) <= relativeTolerance * abs(last)
        }
        var failure: String?
        var backoffs: [String] = []
        var good = (parameters: model.parameters.map(\.value), m: adam.firstMoments, v: adam.secondMoments, t: adam.stepCount)
        func state() -> State {
            .adam(AdamState(step: done, parameters: model.parameters.map(\.value), firstMoments: adam.firstMoments,
                            secondMoments: adam.secondMoments, history: history))
        }
        var step = done
        while step < max(steps, 1) && !converged() {
            step += 1
            adam.zeroGrad()
            guard let loss = batches[(step - 1) % k].lossAndGradients(abandoningWhen: stop) else {
                if done > 0 { checkpoint?(done, state) }
                break
            }
            for p in model.parameters { p.grad = p.grad.map { $0 / neff } }
            if let problem = AttentionFit.nonFiniteReport(loss, model) {
                let report = "step \(step): \(problem)"
                guard onNonFinite == .backoff, backoffs.count < maxBackoffs else { failure = report; break }
                for (p, v) in zip(model.parameters, good.parameters) { p.value = v }
                adam.restore(firstMoments: good.m, secondMoments: good.v, stepCount: good.t)
                adam.learningRate /= 2
                backoffs.append("\(report); learning rate halved to \(adam.learningRate)")
                step -= 1
                continue
            }
            adam.step()
            if onNonFinite == .backoff { good = (model.parameters.map(\.value), adam.firstMoments, adam.secondMoments, adam.stepCount) }
            history.append(loss)
            done = step
            checkpoint?(step, state)
            if let progress, !progress(step, loss) { break }
        }
        if failure != nil { return Result(model: model, objective: .nan, steps: done, failure: failure, backoffs: backoffs) }
        let final = history.count >= k ? smoothed(history.count) : history.last ?? .nan
        return Result(model: model, objective: final, steps: done, backoffs: backoffs)
    }

    /// The sequences of each shard: a seeded random order dealt into `shards` contiguous groups.
    func shardRows(_ n: Int) -> [[Int]] {
        var rng = RandomGenerator(seed: seed &+ 0x5EED)
        let order = rng.permutation(n), k = Swift.min(shards, n)
        return (0..<k).map { s in Array(order[(s * n / k)..<((s + 1) * n / k)]) }
    }

    /// One objective per shard, its weights scaled by Neff / Neff_shard so that it estimates F.
    func shardObjectives(_ model: FactoredAttention, _ msa: MultipleSequenceAlignment, weights: [Float], neff: Float) -> [AttentionObjective] {
        return shardRows(msa.count).map { rows in
            let w = rows.map { weights[$0] }
            let scale = neff / Swift.max(w.reduce(0, +), .leastNormalMagnitude)
            return AttentionObjective(model: model, msa: msa.selectingRows(rows), weights: w.map { $0 * scale },
                                      lambdaFields: lambdaFields, lambdaCouplings: lambdaCouplings)
        }
    }

    /// Names the first non-finite quantity: the loss, or the gradient of a parameter tensor.
    public static func nonFiniteReport(_ loss: Double, _ model: FactoredAttention) -> String? {
        if !loss.isFinite { return "non-finite loss (\(loss))" }
        for (name, p) in model.namedParameters where !(p.grad?.isFinite ?? true) { return "non-finite gradient in \(name)" }
        return nil
    }
}
