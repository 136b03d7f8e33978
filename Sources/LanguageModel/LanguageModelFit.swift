#if canImport(Glibc)
import Glibc
#endif
import Tensors
import Autodiff
import Optimizers

/// Masked-LM training of a `ProteinLanguageModel`:
/// - sequences split once (seeded) into training and validation (`validationFraction`, at most
///   `maximumValidation` sequences);
/// - each step: a weighted, length-bucketed batch (`LengthBuckets`), BERT masking
///   (`MaskedLanguageModelling`), cross-entropy of the masked residues, gradient clipping at
///   global norm 1, AdamW (β = 0.9, 0.98, ε = 1e-8 as ESM/RoBERTa; decoupled weight decay) with
///   linear warm-up then cosine decay to `learningRate/10`;
/// - every `evaluateEvery` steps: validation perplexity exp(Σ w·CE / Σ w) over masked residues
///   with masks drawn once (so evaluations are comparable); the best parameters are kept and
///   training stops after `patience` evaluations without improvement (early stopping).
/// Defaults follow ESM-2/RoBERTa's recipe scaled to a family: warm-up 5% of the steps, weight decay
/// 0.01, 32 sequences a batch (no dropout: see `LanguageModelConfiguration`), and a peak η of 3e-3,
/// raised for a small model and chosen by held-out perplexity, not by any scan (BLAT_ECOLX homologs,
/// 1,100 steps: 8.43 at 3e-3 against 9.22 at 1e-3; 3,000 steps: 6.45 against 6.86 at 6e-3). The
/// budget of 6,000 steps is held-out perplexity's choice too: on 8,403 BLAT_ECOLX homologs it still
/// fell at 3,000 steps (6.45 → 5.55 at 6,000), while a small family stops early either way.
public struct LanguageModelFit: Sendable {
    public var configuration = LanguageModelConfiguration()
    public var steps = 6000
    public var batchSize = 32
    public var learningRate: Float = 3e-3
    public var warmupFraction: Float = 0.05
    public var weightDecay: Float = 0.01
    public var maskRate: Float = 0.15
    public var validationFraction = 0.1
    public var maximumValidation = 500
    public var evaluateEvery = 100
    public var patience = 5
    public var seed: UInt64 = 0

    public init() {}

    /// Everything a resumed run needs (see `LanguageModelCheckpoint`).
    public struct State {
        public var step: Int
        public var parameters: [Tensor]
        public var firstMoments: [Tensor], secondMoments: [Tensor]
        public var adamSteps: Int
        public var sampler: [UInt64], dropout: [UInt64]
        public var best: [Tensor]
        public var bestPerplexity: Double
        public var badEvaluations: Int
        public var history: [Evaluation]
    }

    public struct Evaluation: Sendable {
        public var step: Int
        public var trainingLoss: Double
        public var validationPerplexity: Double
    }

    public struct Result {
        public var model: ProteinLanguageModel
        public var history: [Evaluation]
        public var steps: Int
        public var stoppedEarly: Bool
        public var interrupted: Bool
        /// The best perplexity: on the held-out sequences, or on the training batches (the mean of
        /// the last `evaluateEvery` steps) where none were held out (`heldOut` 0).
        public var bestPerplexity: Double
        /// Sequences held out for validation: 0 below 10 sequences or at `validationFraction` 0.
        public var heldOut: Int
    }

    /// Training/validation split of `count` sequences (validation indices sorted).
    public func split(count n: Int) -> (training: [Int], validation: [Int]) {
        guard n >= 10 else { return (Array(0..<n), []) }
        var rng = RandomGenerator(seed: seed &+ 0xA11D)
        let order = rng.permutation(n)
        let v = Swift.min(maximumValidation, Int(Double(n) * validationFraction))
        return (Array(order[v...]).sorted(), Array(order[..<v]).sorted())
    }

    /// Trains on `sequences` (residue tokens) with sampling weights `weights`. `progress(step,
    /// loss, latest evaluation)` returns false to stop (signals); `checkpoint` gets the state
    /// on demand. Same inputs and seed → same model.
    public func fit(_ sequences: [[UInt8]], weights: [Float], resume: State? = nil,
                    progress: (Int, Double, Evaluation?) -> Bool = { _, _, _ in true },
                    checkpoint: ((Int, () -> State) -> Void)? = nil) throws -> Result {
        try configuration.validate()
        precondition(weights.count == sequences.count, "one weight per sequence")
        let longest = (sequences.map(\.count).max() ?? 0) + 2
        guard longest <= configuration.maxPositions else {
            throw LanguageModelError(path: "input", "the longest sequence needs \(longest) positions; the model has \(configuration.maxPositions)")
        }
        let model = ProteinLanguageModel(configuration, seed: seed)
        let parameters = model.parameters
        let optimizer = Adam(parameters, learningRate: learningRate, beta1: 0.9, beta2: 0.98, epsilon: 1e-8,
                             weightDecay: weightDecay, decoupledWeightDecay: true)
        let (training, validation) = split(count: sequences.count)
        let buckets = LengthBuckets(indices: training, lengths: sequences.map(\.count), weights: weights)
        var validationRNG = RandomGenerator(seed: seed &+ 0x7A11)
        let validationBatches = stride(from: 0, to: validation.count, by: batchSize).map { start -> (MaskedLanguageModelling.MaskedBatch, [Float]) in
            let rows = Array(validation.sorted { sequences[$0].count < sequences[$1].count }[start..<Swift.min(start + batchSize, validation.count)])
            return (MaskedLanguageModelling.mask(rows.map { sequences[$0] }, rate: maskRate, using: &validationRNG), rows.map { weights[$0] })
        }
        let schedule = LearningRateSchedule.cosine(initial: learningRate, minimum: learningRate / 10,
                                                   warmup: Swift.max(1, Int(Float(steps) * warmupFraction)), total: steps)
        var sampler = RandomGenerator(seed: seed &+ 0xBA7C)
        var step = 0, history: [Evaluation] = [], best = parameters.map(\.value)
        var bestPerplexity = Double.infinity, bad = 0
        if let r = resume {
            for (p, v) in zip(parameters, r.parameters) { p.value = v }
            optimizer.restore(firstMoments: r.firstMoments, secondMoments: r.secondMoments, stepCount: r.adamSteps)
            sampler = RandomGenerator(state: r.sampler); model.dropoutGenerator = RandomGenerator(state: r.dropout)
            step = r.step; best = r.best; bestPerplexity = r.bestPerplexity; bad = r.badEvaluations; history = r.history
        }
        var stoppedEarly = false, interrupted = false, recent: [Double] = []
        func state() -> State {
            State(step: step, parameters: parameters.map(\.value), firstMoments: optimizer.firstMoments, secondMoments: optimizer.secondMoments,
                  adamSteps: optimizer.stepCount, sampler: sampler.state, dropout: model.dropoutGenerator.state, best: best,
                  bestPerplexity: bestPerplexity, badEvaluations: bad, history: history)
        }
        while step < steps {
            let rows = buckets.sample(batchSize, using: &sampler)
            let batch = MaskedLanguageModelling.mask(rows.map { sequences[$0] }, rate: maskRate, using: &sampler)
            optimizer.zeroGrad()
            let out = model(tokens: batch.tokens, lengths: batch.lengths, training: true)
            let loss = crossEntropy(logits: out.logits, targets: batch.targets)
            guard loss.item.isFinite else {
                throw LanguageModelError(path: "training", "step \(step + 1): non-finite loss; fit stopped, no model written (try a smaller learning rate, --lm-learning-rate)")
            }
            loss.backward()
            clipGradientNorm(parameters, maxNorm: 1)
            optimizer.learningRate = schedule.rate(at: step)
            optimizer.step()
            step += 1
            recent.append(Double(loss.item)); if recent.count > evaluateEvery { recent.removeFirst() }
            var evaluation: Evaluation?
            if step % evaluateEvery == 0 || step == steps {
                let perplexity = validationBatches.isEmpty ? exp(recent.reduce(0, +) / Double(recent.count))
                                                            : Self.perplexity(model, validationBatches)
                let e = Evaluation(step: step, trainingLoss: recent.reduce(0, +) / Double(recent.count), validationPerplexity: perplexity)
                history.append(e); evaluation = e
                if perplexity < bestPerplexity { bestPerplexity = perplexity; best = parameters.map(\.value); bad = 0 } else { bad += 1 }
                if bad >= patience { stoppedEarly = true }
            }
            checkpoint?(step, state)
            if !progress(step, Double(loss.item), evaluation) { interrupted = step < steps && !stoppedEarly; break }
            if stoppedEarly { break }
        }
        if bestPerplexity.isFinite { for (p, v) in zip(parameters, best) { p.value = v } }
        return Result(model: model, history: history, steps: step, stoppedEarly: stoppedEarly, interrupted: interrupted, bestPerplexity: bestPerplexity,
                      heldOut: validation.count)
    }

    /// exp of the weighted mean cross-entropy of the masked residues of fixed batches.
    public static func perplexity(_ model: ProteinLanguageModel, _ batches: [(MaskedLanguageModelling.MaskedBatch, [Float])]) -> Double {
        var total = 0.0, weight = 0.0
        noGrad {
            for (batch, w) in batches {
                let logits = model(tokens: batch.tokens, lengths: batch.lengths, training: false).logits.value
                let lse = logits.logSumExp(alongAxis: 1)
                let v = ProteinTokens.count
                for (i, target) in batch.targets.enumerated() where target >= 0 {
                    let wi = Double(w[batch.rowOfPosition[i]])
                    total += wi * Double(lse.scalars[i] - logits.scalars[i * v + target]); weight += wi
                }
            }
        }
        return exp(total / Swift.max(weight, 1e-12))
    }
}
