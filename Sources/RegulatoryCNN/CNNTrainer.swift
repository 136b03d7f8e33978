import Autodiff
import DNAData
import Optimizers
import Statistics
import Tensors

/// Mean per-task AUROC and AUPR of logits (N, T) against labels (N, T) (tasks with one class only
/// are skipped), plus the per-task values.
public struct ClassificationScores: Sendable {
    public var auroc: [Double?], aupr: [Double?]
    public var meanAUROC: Double { mean(auroc) }
    public var meanAUPR: Double { mean(aupr) }
    func mean(_ v: [Double?]) -> Double { let f = v.compactMap { $0 }; return f.isEmpty ? .nan : f.reduce(0, +) / Double(f.count) }

    public init(logits: Tensor, labels: Tensor) {
        let (n, t) = (labels.shape[0], labels.shape[1])
        auroc = []; aupr = []
        for k in 0..<t {
            let s = (0..<n).map { Double(logits.scalars[$0 * t + k]) }, y = (0..<n).map { labels.scalars[$0 * t + k] > 0.5 }
            auroc.append(Statistics.auroc(scores: s, labels: y)); aupr.append(Statistics.aupr(scores: s, labels: y))
        }
    }
}

/// Mini-batch training with binary cross-entropy (multi-task), Adam, L2 on weights, early stopping
/// on validation mean AUROC (patience in epochs, best weights restored), and learning-rate
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

    public init() {}

    public struct Epoch: Sendable {
        public var epoch: Int, trainLoss: Double, validLoss: Double, valid: ClassificationScores, learningRate: Float, seconds: Double
    }

    /// `progress(epoch summary)` after each epoch; return false to stop.
    public func train(_ model: CNNModel, on data: DNASplits, progress: ((Epoch) -> Bool)? = nil) -> [Epoch] {
        let adam = Adam(model.parameters, learningRate: learningRate, weightDecay: l2)
        var rng = RandomGenerator(seed: seed)
        let train = DNADataset(x: data.train.x, y: data.train.y)     // batches need no ground truth
        let n = train.count
        var history: [Epoch] = []
        var best = -Double.infinity, bestWeights = model.parameters.map(\.value), bestBN = snapshotBN(model)
        var sinceBest = 0, sinceLR = 0
        for epoch in 1...Swift.max(epochs, 1) {
            let clock = ContinuousClock.now
            let order = rng.permutation(n)
            var total = 0.0, batches = 0
            var start = 0
            while start < n {
                let idx = Array(order[start..<Swift.min(n, start + batchSize)])
                start += batchSize
                let batch = train.subset(idx)
                adam.zeroGrad()
                let logits = model.logits(Variable(batch.x), training: true)
                let loss = binaryCrossEntropyWithLogits(logits, targets: batch.y)
                loss.backward()
                adam.step()
                total += Double(loss.item); batches += 1
            }
            let validLogits = model.predict(data.valid.x)
            let validLoss = Double(noGrad { binaryCrossEntropyWithLogits(Variable(validLogits), targets: data.valid.y).item })
            let scores = ClassificationScores(logits: validLogits, labels: data.valid.y)
            let elapsed = ContinuousClock.now - clock
            let summary = Epoch(epoch: epoch, trainLoss: total / Double(Swift.max(batches, 1)), validLoss: validLoss, valid: scores,
                                learningRate: adam.learningRate, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
            history.append(summary)
            let metric = scores.meanAUROC.isFinite ? scores.meanAUROC : -validLoss
            if metric > best {
                best = metric; bestWeights = model.parameters.map(\.value); bestBN = snapshotBN(model)
                sinceBest = 0; sinceLR = 0
            } else {
                sinceBest += 1; sinceLR += 1
                if sinceLR >= lrPatience { adam.learningRate *= lrFactor; sinceLR = 0 }
            }
            if let progress, !progress(summary) { break }
            if sinceBest >= patience || !summary.trainLoss.isFinite { break }
        }
        for (p, v) in zip(model.parameters, bestWeights) { p.value = v }
        for ((_, bn), (m, v)) in zip(model.batchNorms, bestBN) { bn.setRunningStatistics(mean: m, variance: v) }
        return history
    }

    func snapshotBN(_ model: CNNModel) -> [(Tensor, Tensor)] { model.batchNorms.map { ($0.1.runningMean, $0.1.runningVariance) } }
}
