import Tensors
import Autodiff
import Optimizers
import Sequences

/// Trains a `VAEModel` with Adam on minibatches drawn with replacement in proportion to the sequence
/// weights (DeepSequence's sampler; weights at θ = 0.2 as for every seqgen model), maximising the
/// ELBO of `VAEModel` with the decoder KL divided by the training Neff.
///
/// Held-out validation: about `validationFraction` of the sequences is kept out of training, as whole
/// clusters at the weights' identity when the caller gives them (`ClusterHoldout`: no held-out
/// sequence has a neighbour in training, so the held-out ELBO measures generalisation to unseen
/// family members rather than to near-copies of training rows; the pipeline always gives them), a
/// seeded random fraction otherwise or when no cluster but the focus's fits; every
/// `evaluateEvery` steps the weighted mean ELBO of those sequences is estimated (decoder means, one
/// latent draw from a generator reset to the same seed each time, so successive estimates differ only
/// by the model); training stops after `patience` evaluations without improvement and keeps the best
/// evaluation's parameters (early stopping, the principle that sets the step count without a scan).
///
/// KL annealing: β = min(1, step / klWarmup) (1 throughout when `klWarmup` = 0, as in DeepSequence
/// and EVE).
///
/// Defaults: batch 128, learning rate 10⁻³ (DeepSequence's; EVE's 10⁻⁴ is for 400,000 steps),
/// at most 3,000 steps (≈ 45 passes over BLAT_ECOLX's Neff; minutes on 2 cores), 5% held out, evaluation every 200 steps, patience 5.
public struct VAEFit: Sendable {
    public var architecture = VAEArchitecture.standard
    public var batchSize = 128
    public var learningRate: Float = 1e-3
    public var steps = 3000
    public var klWarmup = 0
    public var validationFraction = 0.05
    public var evaluateEvery = 200
    public var patience = 5
    public var seed: UInt64 = 0

    public init(architecture: VAEArchitecture = .standard, steps: Int = 3000, seed: UInt64 = 0) {
        self.architecture = architecture; self.steps = steps; self.seed = seed
    }

    /// Bytes a fit needs: parameters P with gradient and two Adam moments and the best copy (5P floats),
    /// the training one-hot rows (N·L·q floats, built per batch: B·L·q), activations of a batch
    /// (≈ 8·B·(L·q + Σ hidden) floats), a Bayesian decoder's sampled-weight temporaries and those of
    /// composed output weights. Measured peak / estimate 0.98–1.01 for L = 50–300 (standard preset;
    /// `MODEL=vae bash Benchmarks/memory.sh`, README).
    public static func memoryEstimate(sequences n: Int, length l: Int, states q: Int, architecture a: VAEArchitecture, batch: Int) -> Int {
        let d = l * q
        var p = 0, w = d
        for h in a.encoder { p += w * h + h; w = h }
        p += 2 * (w * a.latent + a.latent)
        w = a.latent
        var dec = 0
        for h in a.decoder { dec += w * h + h; w = h }
        dec += w * l * (a.dictionary > 0 ? a.dictionary : q) + d + a.dictionary * q + (a.sparsityTiles > 0 ? w / a.sparsityTiles * l : 0)
        p += a.bayesianDecoder ? 2 * dec : dec
        // A Bayesian decoder's step also holds about six decoder-sized temporaries on the tape
        // (ε, σ = exp(log σ), σ·ε, the sampled weights and their gradients), measured.
        let sampled = a.bayesianDecoder ? 6 * dec : 0
        // Composed output weights (W̃·D and/or the sparsity gate) hold about six H × L·q
        // temporaries (the product, the gated weights and their gradients), measured.
        let composed = a.dictionary > 0 || a.sparsityTiles > 0 ? 6 * w * d : 0
        return 4 * (5 * p + sampled + composed + 8 * batch * (d + (a.encoder + a.decoder).reduce(0, +))) + n * l
    }

    /// Everything a run carries between steps (checkpoints hold it; resuming restores it exactly).
    public struct State: Sendable {
        public var step: Int
        public var parameters: [Tensor], firstMoments: [Tensor], secondMoments: [Tensor]
        public var adamSteps: Int
        /// Generators: minibatch draws, latent noise, decoder-weight noise, dropout masks.
        public var generators: [[UInt64]]
        /// Training loss per step; validation (step, ELBO) per evaluation.
        public var losses: [Double]
        public var validation: [(step: Int, elbo: Double)]
        public var best: [Tensor]
        public var bestStep: Int
    }

    public struct Result {
        public var model: VAEModel
        public var steps: Int
        /// The step whose parameters were kept (the best validation ELBO; the last step without validation).
        public var bestStep: Int
        public var losses: [Double]
        public var validation: [(step: Int, elbo: Double)]
        public var trainingSequences: Int
        public var validationSequences: Int
        /// The held-out sequences are whole clusters (false: drawn at random, or none).
        public var validationWholeClusters: Bool
        public var neff: Double
        /// Why the fit failed ("step 12: non-finite gradient in encoder.0.weight"); nil when it did not.
        public var failure: String?
        /// Why training ended: "early stopping", "step limit", "interrupted".
        public var stopReason: String
    }

    /// The held-out rows (sorted) for N sequences, from the seed: whole `clusters` (each row's
    /// cluster) of about N·`validationFraction` rows in all, never the cluster of row `focus`, or
    /// with no clusters or none that fits, N·`validationFraction` rows at random (`wholeClusters`
    /// false). None below 10 sequences or at fraction 0.
    public func validationRows(count n: Int, clusters: [Int]? = nil, focus: Int = 0) -> (rows: [Int], wholeClusters: Bool) {
        guard validationFraction > 0, n >= 10 else { return ([], false) }
        let k = Swift.max(1, Int((Double(n) * validationFraction).rounded()))
        if let clusters {
            precondition(clusters.count == n, "one cluster per sequence")
            let rows = ClusterHoldout.rows(clusters: clusters, keeping: focus, target: k, seed: seed &+ 0x5EED)
            if !rows.isEmpty { return (rows, true) }
        }
        var rng = RandomGenerator(seed: seed &+ 0x5EED)
        return (Array(rng.permutation(n).prefix(k)).sorted(), false)
    }

    /// `clusters`: each sequence's cluster at the weights' identity (`SequenceWeights.clusters`), for
    /// a held-out part of whole clusters. `progress(step, loss, validation ELBO?)`: return false to
    /// stop (the current state is then kept). `checkpoint(step, state)` runs after each step.
    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], clusters: [Int]? = nil, resume: State? = nil,
                    progress: ((Int, Double, Double?) -> Bool)? = nil,
                    checkpoint: ((Int, () -> State) -> Void)? = nil) -> Result {
        let (l, q) = (msa.length, msa.alphabet.size)
        var initialRNG = RandomGenerator(seed: seed)
        let model = VAEModel(architecture: architecture, length: l, states: q, using: &initialRNG)
        let split = validationRows(count: msa.count, clusters: clusters, focus: msa.focus)
        let held = Set(split.rows)
        let trainRows = (0..<msa.count).filter { !held.contains($0) }
        let validRows = held.sorted()
        let neff = trainRows.reduce(0.0) { $0 + Double(weights[$1]) }
        // Cumulative weights for drawing rows ∝ w.
        var cumulative = [Double](repeating: 0, count: trainRows.count)
        var acc = 0.0
        for (k, r) in trainRows.enumerated() { acc += Double(weights[r]); cumulative[k] = acc }
        let params = model.parameters
        let adam = Adam(params, learningRate: learningRate)
        var batchRNG = RandomGenerator(seed: seed &+ 1), latentRNG = RandomGenerator(seed: seed &+ 2)
        var weightRNG = RandomGenerator(seed: seed &+ 3), dropoutRNG = RandomGenerator(seed: seed &+ 4)
        var losses: [Double] = [], validation: [(step: Int, elbo: Double)] = []
        var best = params.map(\.value), bestStep = 0
        var step = 0
        if let s = resume {
            for (p, v) in zip(params, s.parameters) { p.value = v }
            adam.restore(firstMoments: s.firstMoments, secondMoments: s.secondMoments, stepCount: s.adamSteps)
            batchRNG = RandomGenerator(state: s.generators[0]); latentRNG = RandomGenerator(state: s.generators[1])
            weightRNG = RandomGenerator(state: s.generators[2]); dropoutRNG = RandomGenerator(state: s.generators[3])
            losses = s.losses; validation = s.validation; best = s.best; bestStep = s.bestStep; step = s.step
        }
        let validX = model.oneHot(validRows.map { msa.row($0) })
        let validW = validRows.map { Double(weights[$0]) }
        func validate() -> Double {
            var noise = RandomGenerator(seed: seed &+ 5), unused = RandomGenerator(seed: 0)
            var means: RandomGenerator? = nil
            let t = noGrad { model.terms(validX, training: false, latentNoise: &noise, weightNoise: &means, dropout: &unused) }
            let e = t.elbo.value.scalars
            let wsum = validW.reduce(0, +)
            return zip(e, validW).reduce(0.0) { $0 + Double($1.0) * $1.1 } / Swift.max(wsum, 1e-12)
        }
        func sinceBest() -> Int {
            guard let b = validation.firstIndex(where: { $0.step == bestStep }) else { return validation.count }
            return validation.count - 1 - b
        }
        var failure: String?
        var reason = "step limit"
        let bayes = architecture.bayesianDecoder
        while step < steps {
            if !validRows.isEmpty && sinceBest() >= patience { reason = "early stopping"; break }
            step += 1
            let rows: [Int] = (0..<batchSize).map { _ in
                let u = batchRNG.uniformDouble() * acc
                var lo = 0, hi = cumulative.count - 1
                while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] <= u { lo = mid + 1 } else { hi = mid } }
                return trainRows[lo]
            }
            let x = model.oneHot(rows.map { msa.row($0) })
            adam.zeroGrad()
            var wn: RandomGenerator? = bayes ? weightRNG : nil
            let terms = model.terms(x, training: true, latentNoise: &latentRNG, weightNoise: &wn, dropout: &dropoutRNG)
            if let wn { weightRNG = wn }
            let beta: Float = klWarmup > 0 ? Swift.min(1, Float(step) / Float(klWarmup)) : 1
            let loss = VAEModel.loss(terms, beta: beta, neff: Float(neff))
            loss.backward()
            if let problem = VAEFit.nonFiniteReport(Double(loss.item), model) {
                failure = "step \(step): \(problem)"
                break
            }
            adam.step()
            losses.append(Double(loss.item))
            var validElbo: Double?
            if !validRows.isEmpty && (step % evaluateEvery == 0 || step == steps) {
                let v = validate()
                validation.append((step, v))
                validElbo = v
                if bestStep == 0 || v > validation.first(where: { $0.step == bestStep })!.elbo {
                    best = params.map(\.value); bestStep = step
                }
            }
            if validRows.isEmpty { bestStep = step }
            let current = step
            checkpoint?(step) {
                State(step: current, parameters: params.map(\.value), firstMoments: adam.firstMoments, secondMoments: adam.secondMoments,
                      adamSteps: adam.stepCount, generators: [batchRNG.state, latentRNG.state, weightRNG.state, dropoutRNG.state],
                      losses: losses, validation: validation, best: best, bestStep: bestStep)
            }
            if let progress, !progress(step, Double(loss.item), validElbo) { reason = "interrupted"; break }
        }
        if !validRows.isEmpty && bestStep > 0 { for (p, v) in zip(params, best) { p.value = v } }
        return Result(model: model, steps: step, bestStep: bestStep, losses: losses, validation: validation,
                      trainingSequences: trainRows.count, validationSequences: validRows.count,
                      validationWholeClusters: split.wholeClusters, neff: neff,
                      failure: failure, stopReason: failure == nil ? reason : "non-finite")
    }

    /// Names the first non-finite quantity: the loss, or the gradient of a parameter tensor.
    public static func nonFiniteReport(_ loss: Double, _ model: VAEModel) -> String? {
        if !loss.isFinite { return "non-finite loss (\(loss))" }
        for (name, p) in model.namedParameters where !(p.grad?.isFinite ?? true) { return "non-finite gradient in \(name)" }
        return nil
    }
}
