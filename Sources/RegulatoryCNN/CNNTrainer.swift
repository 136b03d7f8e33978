import Autodiff
import Layers
import DNAData
import Optimizers
import Statistics
import Tensors

extension ClassificationScores {
    /// Per-task AUROC and AUPR of logits (N, T) against labels (N, T).
    public init(logits: Tensor, labels: Tensor) {
        self.init(scores: logits.scalars, labels: labels.scalars, tasks: labels.shape[1])
    }
}

extension RegressionScores {
    /// Per-task Pearson r, Spearman ρ and MSE of predictions (N, T) against labels (N, T).
    public init(predictions: Tensor, labels: Tensor) {
        self.init(predictions: predictions.scalars, labels: labels.scalars, tasks: labels.shape[1])
    }
}

/// Mini-batch training on the model's loss (binary cross-entropy over the tasks, or mean squared
/// error for a regression), Adam, L2 on weights, early stopping on validation mean AUROC or AUPR
/// (`monitor`; a regression: validation loss; patience in epochs, best weights restored), and learning-rate
/// reduction on plateau (×`lrFactor` after `lrPatience` epochs without improvement). Shuffling and
/// dropout are seeded.
public struct CNNTrainer: Sendable {
    public var epochs = 100
    public var batchSize = 100
    public var learningRate: Float = 1e-3
    public var l2: Float = 1e-6
    public var patience = 10
    public var lrPatience = 3
    public var lrFactor: Float = 0.2
    public var seed: UInt64 = 0
    /// The validation score early stopping and the learning-rate schedule follow (validation loss
    /// when no task has both classes, and for a regression).
    public var monitor: Monitor = .auroc
    public enum Monitor: String, Sendable, CaseIterable { case auroc, aupr }
    /// Applied in order to each training batch's inputs (augmentation, noise, adversarial examples;
    /// see `BatchPerturbation`); validation always sees the clean data.
    public var perturbations: [any BatchPerturbation] = []
    /// Epochs trained on clean data before the perturbations start (Koo et al. 2019 train 20 clean
    /// epochs before adversarial training). The first perturbed epoch restarts early stopping's
    /// bookkeeping, so the weights kept are those of a perturbed epoch.
    public var cleanEpochs = 0
    /// With `mixedEpochs` = M, the perturbations act on their fraction of each batch for the M
    /// epochs after the clean ones and on every sequence after that — the Koo lab's robust-training
    /// loop (tfomics `fit_robust`: 10 clean epochs, 25 mixed, then adversarial examples only). The
    /// first all-perturbed epoch restarts early stopping again (its `es_start_epoch`), so the weights
    /// kept are an all-perturbed epoch's. nil: each perturbation's fraction throughout.
    public var mixedEpochs: Int? = nil

    public init() {}

    public struct Epoch: Sendable {
        public var epoch: Int, trainLoss: Double, validLoss: Double, valid: ClassificationScores, learningRate: Float, seconds: Double
        /// A regression's mean validation Pearson r over the tasks (NaN for a classifier).
        public var validPearson = Double.nan
    }

    /// Everything a run needs to continue after an epoch besides the model's own parameters and
    /// BatchNorm statistics: the epoch reached, the shuffling and dropout generators, Adam's state,
    /// the best weights so far and the plateau counters, and the history.
    public struct State {
        public var epoch: Int
        public var shuffle: RandomGenerator
        public var dropout: [RandomGenerator]
        public var firstMoments: [Tensor], secondMoments: [Tensor], adamStep: Int, learningRate: Float
        public var best: Double, bestWeights: [Tensor], bestStatistics: [(Tensor, Tensor)]
        public var sinceBest: Int, sinceLearningRateChange: Int
        public var history: [Epoch]
    }

    /// Trains from scratch, or from `resume` (the model must already hold that run's current
    /// parameters and statistics: see `Checkpoint.restoreCNN`). After each epoch `checkpoint(state)`
    /// may save the run, then `progress(epoch summary)` may stop it (return false); `batchProgress`
    /// gets (batches done, batches per epoch). The best epoch's weights are left in the model.
    public func train(_ model: CNNModel, on data: DNASplits, resume: State? = nil,
                      batchProgress: ((Int, Int) -> Void)? = nil,
                      checkpoint: ((State) -> Void)? = nil,
                      progress: ((Epoch) -> Bool)? = nil) -> [Epoch] {
        let adam = Adam(model.parameters, learningRate: learningRate, weightDecay: l2)
        let dropouts = model.network.layers.compactMap { $0 as? Dropout }
        let train = DNADataset(x: data.train.x, y: data.train.y)     // batches need no ground truth
        let n = train.count
        let batchesPerEpoch = (n + batchSize - 1) / Swift.max(batchSize, 1)
        var state = resume ?? State(epoch: 0, shuffle: RandomGenerator(seed: seed), dropout: dropouts.map(\.rng),
                                    firstMoments: adam.firstMoments, secondMoments: adam.secondMoments, adamStep: 0, learningRate: learningRate,
                                    best: -Double.infinity, bestWeights: model.parameters.map(\.value), bestStatistics: snapshotBN(model),
                                    sinceBest: 0, sinceLearningRateChange: 0, history: [])
        if resume != nil {
            adam.restore(firstMoments: state.firstMoments, secondMoments: state.secondMoments, stepCount: state.adamStep)
            adam.learningRate = state.learningRate
            for (d, g) in zip(dropouts, state.dropout) { d.rng = g }
        }
        let stopped = state.history.last.map { !$0.trainLoss.isFinite } ?? false
        var epoch = state.epoch
        // Early stopping waits for the clean (and mixed) epochs: the first epoch of each new phase restarts it.
        let warmup = warmupEpochs, everyRowFrom = mixedEpochs == nil ? nil : firstCandidateEpoch
        let onEveryRow = perturbations.map { $0.onEveryRow() }
        while epoch < Swift.max(epochs, 1) && (state.sinceBest < patience || epoch < firstCandidateEpoch) && !stopped {
            epoch += 1
            let perturbed = !perturbations.isEmpty && epoch > warmup
            let everyRow = everyRowFrom.map { epoch >= $0 } ?? false
            let active = everyRow ? onEveryRow : perturbations
            if perturbed && ((warmup > 0 && epoch == warmup + 1) || epoch == everyRowFrom) {
                state.best = -Double.infinity; state.sinceBest = 0; state.sinceLearningRateChange = 0
            }
            let clock = ContinuousClock.now
            let order = state.shuffle.permutation(n)
            var total = 0.0, batches = 0
            var start = 0
            while start < n {
                let idx = Array(order[start..<Swift.min(n, start + batchSize)])
                start += batchSize
                let batch = train.subset(idx)
                var x = batch.x
                if perturbed {
                    var rng = RandomGenerator(seed: seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(batches + 1) &* 0xBF58_476D_1CE4_E5B9))
                    for p in active { x = p.perturb(x, labels: batch.y, model: model, using: &rng) }
                }
                adam.zeroGrad()
                let logits = model.logits(Variable(x), training: true)
                let loss = model.loss(logits, labels: batch.y)
                loss.backward()
                adam.step()
                total += Double(loss.item); batches += 1
                batchProgress?(batches, batchesPerEpoch)
            }
            let validLogits = model.predict(data.valid.x)
            let validLoss = Double(noGrad { model.loss(Variable(validLogits), labels: data.valid.y).item })
            let scores = model.objective == .classification ? ClassificationScores(logits: validLogits, labels: data.valid.y)
                : ClassificationScores(auroc: Array(repeating: nil, count: model.tasks), aupr: Array(repeating: nil, count: model.tasks))
            let elapsed = ContinuousClock.now - clock
            var summary = Epoch(epoch: epoch, trainLoss: total / Double(Swift.max(batches, 1)), validLoss: validLoss, valid: scores,
                                learningRate: adam.learningRate, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            if model.objective == .regression {
                summary.validPearson = RegressionScores(predictions: validLogits, labels: data.valid.y).meanPearson
            }
            state.history.append(summary)
            let metric = score(summary)
            if metric > state.best {
                state.best = metric; state.bestWeights = model.parameters.map(\.value); state.bestStatistics = snapshotBN(model)
                state.sinceBest = 0; state.sinceLearningRateChange = 0
            } else {
                state.sinceBest += 1; state.sinceLearningRateChange += 1
                if state.sinceLearningRateChange >= lrPatience { adam.learningRate *= lrFactor; state.sinceLearningRateChange = 0 }
            }
            state.epoch = epoch
            if let checkpoint {
                state.dropout = dropouts.map(\.rng)
                (state.firstMoments, state.secondMoments, state.adamStep, state.learningRate) = (adam.firstMoments, adam.secondMoments, adam.stepCount, adam.learningRate)
                checkpoint(state)
            }
            if let progress, !progress(summary) { break }
            if !summary.trainLoss.isFinite { break }
        }
        for (p, v) in zip(model.parameters, state.bestWeights) { p.value = v }
        for ((_, bn), (m, v)) in zip(model.batchNorms, state.bestStatistics) { bn.setRunningStatistics(mean: m, variance: v) }
        return state.history
    }

    /// The clean epochs that actually come first: `cleanEpochs`, or 0 without perturbations.
    var warmupEpochs: Int { perturbations.isEmpty ? 0 : cleanEpochs }

    /// The first epoch early stopping may keep: after the clean epochs, and after the mixed ones
    /// when `mixedEpochs` is set (1 without perturbations).
    var firstCandidateEpoch: Int { perturbations.isEmpty ? 1 : cleanEpochs + (mixedEpochs ?? 0) + 1 }

    /// The epochs whose weights early stopping chose among: with perturbations, those after the
    /// clean (and mixed) epochs.
    public func candidates(_ history: [Epoch]) -> [Epoch] {
        let after = history.filter { $0.epoch >= firstCandidateEpoch }
        return after.isEmpty ? history : after
    }

    /// The monitored validation score of an epoch (higher is better): mean AUROC or AUPR, or minus
    /// the validation loss when no task has both classes (a regression's epochs hold no AUROC).
    public func score(_ e: Epoch) -> Double {
        let v = monitor == .auroc ? e.valid.meanAUROC : e.valid.meanAUPR
        return v.isFinite ? v : -e.validLoss
    }

    func snapshotBN(_ model: CNNModel) -> [(Tensor, Tensor)] { model.batchNorms.map { ($0.1.runningMean, $0.1.runningVariance) } }
}
