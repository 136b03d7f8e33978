import FileIO
import Layers
import NumPyIO
import Optimizers
import Statistics
import Tensors

// A CNN training checkpoint ("cnn-adam"): the model's current parameters (`param_k`) and BatchNorm
// statistics (`bn_k_mean`, `bn_k_variance`), Adam's moments (`m_k`, `v_k`, `adam_step`,
// `learning_rate`), the best epoch's weights and statistics (`best_k`, `best_bn_k_…`, `best`),
// the plateau counters, the shuffling and dropout generators' state words, and the history
// (`history`: epoch, train loss, valid loss, learning rate, seconds; per-task `history_auroc`,
// `history_aupr`, NaN where a task had one class; a regression's `history_pearson`, its mean
// validation r per epoch).

extension Checkpoint {
    public static let cnnKind = "cnn-adam"

    public init(fingerprint: String, cnn model: CNNModel, state s: CNNTrainer.State) {
        self.init(kind: Checkpoint.cnnKind, fingerprint: fingerprint)
        for (k, p) in model.parameters.enumerated() {
            arrays["param_\(k)"] = NumPyArray(p.value)
            arrays["m_\(k)"] = NumPyArray(s.firstMoments[k]); arrays["v_\(k)"] = NumPyArray(s.secondMoments[k])
            arrays["best_\(k)"] = NumPyArray(s.bestWeights[k])
        }
        for (k, (_, bn)) in model.batchNorms.enumerated() {
            arrays["bn_\(k)_mean"] = NumPyArray(bn.runningMean); arrays["bn_\(k)_variance"] = NumPyArray(bn.runningVariance)
            arrays["best_bn_\(k)_mean"] = NumPyArray(s.bestStatistics[k].0); arrays["best_bn_\(k)_variance"] = NumPyArray(s.bestStatistics[k].1)
        }
        arrays["adam_step"] = NumPyArray(ints: [s.adamStep], shape: [])
        arrays["learning_rate"] = NumPyArray(doubles: [Double(s.learningRate)], shape: [])
        arrays["epoch"] = NumPyArray(ints: [s.epoch], shape: [])
        arrays["best"] = NumPyArray(doubles: [s.best], shape: [])
        arrays["since_best"] = NumPyArray(ints: [s.sinceBest], shape: [])
        arrays["since_lr"] = NumPyArray(ints: [s.sinceLearningRateChange], shape: [])
        let words = ([s.shuffle] + s.dropout).flatMap(\.state).map { Int(Int64(bitPattern: $0)) }
        arrays["generators"] = NumPyArray(ints: words, shape: [1 + s.dropout.count, 4])
        let h = s.history, t = model.tasks
        arrays["history"] = NumPyArray(doubles: h.flatMap { [Double($0.epoch), $0.trainLoss, $0.validLoss, Double($0.learningRate), $0.seconds] }, shape: [h.count, 5])
        arrays["history_auroc"] = NumPyArray(doubles: h.flatMap { $0.valid.auroc.map { $0 ?? .nan } }, shape: [h.count, t])
        arrays["history_aupr"] = NumPyArray(doubles: h.flatMap { $0.valid.aupr.map { $0 ?? .nan } }, shape: [h.count, t])
        if model.objective == .regression { arrays["history_pearson"] = NumPyArray(doubles: h.map(\.validPearson), shape: [h.count]) }
    }

    /// Puts the saved current parameters and statistics into `model` (built with the same
    /// architecture) and returns the trainer state to resume from.
    public func restoreCNN(into model: CNNModel, path: String) throws -> CNNTrainer.State {
        let params = model.parameters
        for (k, p) in params.enumerated() { p.value = try tensor("param_\(k)", shape: p.shape, path: path) }
        var bestStatistics: [(Tensor, Tensor)] = []
        for (k, (_, bn)) in model.batchNorms.enumerated() {
            let c = [bn.gamma.shape[0]]
            bn.setRunningStatistics(mean: try tensor("bn_\(k)_mean", shape: c, path: path), variance: try tensor("bn_\(k)_variance", shape: c, path: path))
            bestStatistics.append((try tensor("best_bn_\(k)_mean", shape: c, path: path), try tensor("best_bn_\(k)_variance", shape: c, path: path)))
        }
        let dropouts = model.network.layers.filter { $0 is Dropout }.count
        let words: [Int]
        do { words = try arrays.require("generators", in: path).ints() } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
        guard words.count == 4 * (1 + dropouts) else { throw FileIOError(path: path, "generators: \(words.count / 4) saved; this model needs \(1 + dropouts)") }
        let generators = (0...dropouts).map { g in RandomGenerator(state: (0..<4).map { UInt64(bitPattern: Int64(words[4 * g + $0])) }) }
        func doubles(_ name: String) throws -> [Double] { let a = try arrays.require(name, in: path); return (0..<a.count).map { a.double(at: $0) } }
        let h = try doubles("history"), au = try doubles("history_auroc"), ap = try doubles("history_aupr")
        let e = h.count / 5, t = model.tasks
        guard h.count == 5 * e, au.count == e * t, ap.count == e * t else { throw FileIOError(path: path, "history does not match \(t) task(s)") }
        let pearson = arrays["history_pearson"] == nil ? [Double](repeating: .nan, count: e) : try doubles("history_pearson")
        guard pearson.count == e else { throw FileIOError(path: path, "history_pearson holds \(pearson.count) epochs; the history \(e)") }
        let history = (0..<e).map { i -> CNNTrainer.Epoch in
            let scores = ClassificationScores(auroc: (0..<t).map { au[i * t + $0].isNaN ? nil : au[i * t + $0] },
                                              aupr: (0..<t).map { ap[i * t + $0].isNaN ? nil : ap[i * t + $0] })
            return CNNTrainer.Epoch(epoch: Int(h[5 * i]), trainLoss: h[5 * i + 1], validLoss: h[5 * i + 2], valid: scores,
                                    learningRate: Float(h[5 * i + 3]), seconds: h[5 * i + 4], validPearson: pearson[i])
        }
        return CNNTrainer.State(
            epoch: Int(try double("epoch", path: path)), shuffle: generators[0], dropout: Array(generators.dropFirst()),
            firstMoments: try params.enumerated().map { try tensor("m_\($0.offset)", shape: $0.element.shape, path: path) },
            secondMoments: try params.enumerated().map { try tensor("v_\($0.offset)", shape: $0.element.shape, path: path) },
            adamStep: Int(try double("adam_step", path: path)), learningRate: Float(try double("learning_rate", path: path)),
            best: try double("best", path: path),
            bestWeights: try params.enumerated().map { try tensor("best_\($0.offset)", shape: $0.element.shape, path: path) },
            bestStatistics: bestStatistics,
            sinceBest: Int(try double("since_best", path: path)), sinceLearningRateChange: Int(try double("since_lr", path: path)),
            history: history)
    }
}
