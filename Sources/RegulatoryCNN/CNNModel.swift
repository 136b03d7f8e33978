import Autodiff
import DNAData
import FileIO
import Layers
import NumPyIO
import Statistics
import Tensors

/// A trained (or initialised) CNN for one-hot DNA (N, 4, L) → task outputs (N, T), with the
/// architecture it was built from: logits of a classifier, or predicted values of a regression
/// (`objective`; the network's last layer is linear either way). Saved as `.npz`: `model_type`
/// 'cnn' and `architecture` (the layer list) as unicode strings, `objective` 'regression' for a
/// regression (absent: a classifier), `task_loss_weights` (T) float32 for a regression trained with
/// balanced tasks (absent: every task weighs 1), `length` int64, `task_names` a (T,) unicode array (older
/// files: one comma-joined byte string, still read), every parameter under its dotted name, and
/// BatchNorm running statistics (`K.running_mean`, `K.running_variance`).
public final class CNNModel {
    public let architecture: CNNArchitecture
    public let network: Sequential
    public let length: Int
    public var taskNames: [String]
    public var tasks: Int { taskNames.count }
    public let objective: Objective
    /// A regression's per-task weights in the loss (`balancedTaskWeights`); nil: every task weighs 1.
    public var taskLossWeights: [Float]?

    public init(architecture: CNNArchitecture, length: Int, taskNames: [String], seed: UInt64,
                initialisation: WeightInitialisation = .uniform, objective: Objective = .classification) throws {
        self.architecture = architecture; self.length = length; self.taskNames = taskNames; self.objective = objective
        network = try architecture.build(length: length, tasks: taskNames.count, seed: seed, initialisation: initialisation)
    }

    public var parameters: [Variable] { network.parameters }

    /// The training loss of outputs (N, T) against labels (N, T), a mean over all N·T: binary
    /// cross-entropy with logits for a classifier, (ŷ − y)² for a regression (w_t (ŷ − y)² with
    /// `taskLossWeights`).
    public func loss(_ outputs: Variable, labels: Tensor) -> Variable {
        guard objective == .regression else { return binaryCrossEntropyWithLogits(outputs, targets: labels) }
        return meanSquaredError(outputs, labels, columnWeights: taskLossWeights.map { Tensor(shape: [$0.count], scalars: $0) })
    }

    /// Weights that give each task of a regression the same say in the loss whatever its units:
    /// w_t ∝ 1 / Var(labels of task t), scaled to mean 1 over the tasks (so tasks of equal variance
    /// weigh 1, and the loss is plain MSE). Labels (N, T); nil when a task's labels do not vary.
    public static func balancedTaskWeights(_ labels: Tensor) -> [Float]? {
        let (n, t) = (labels.shape[0], labels.shape[1])
        guard n >= 2 else { return nil }
        let inverse = (0..<t).map { task -> Double in
            let variance = meanAndSampleVariance((0..<n).map { Double(labels.scalars[$0 * t + task]) })?.variance ?? 0
            return variance > 0 ? 1 / variance : .nan
        }
        guard inverse.allSatisfy(\.isFinite) else { return nil }
        let mean = inverse.reduce(0, +) / Double(t)
        return inverse.map { Float($0 / mean) }
    }

    /// Logits (N, T) for a batch, recording the graph (training or attribution). With
    /// reverse-complement sharing both strands go through as one batch of 2N and their logits are averaged.
    public func logits(_ x: Variable, training: Bool) -> Variable { bothStrands(x) { network($0, training: training) } }

    /// f(x), or ½ (f(x) + f(rc x)) for a reverse-complement-shared architecture.
    public func bothStrands(_ x: Variable, _ f: (Variable) -> Variable) -> Variable {
        guard architecture.reverseComplement else { return f(x) }
        let n = x.shape[0]
        let y = f(Variable.concatenate([x, reverseComplement(x)], alongAxis: 0))
        return (y.slice(alongAxis: 0, 0..<n) + y.slice(alongAxis: 0, n..<(2 * n))) * 0.5
    }

    /// Logits (N, T) in inference mode, at most min(`batchSize`, 64) sequences at a time, without a
    /// graph, through the network with BatchNorm folded into the layers before it (`foldedForInference`).
    /// `inference` may pass a network already folded from this one (saves refolding per call).
    /// A row's logits depend on the rows run beside it by rounding (≈ 1e-7: sgemm's kernels vary
    /// with the matrix sizes), so the rows run in blocks fixed by `batchSize` alone — consecutive
    /// blocks of min(`batchSize`, 64) — and the cores take whole blocks (each thread runs the whole
    /// network on its share; rows are independent at inference): the same bits at any thread
    /// count. Identical sequences are run once and share their logits, so that tie-aware scores
    /// (AUROC) do not rank copies apart.
    public func predict(_ x: Tensor, batchSize: Int = 500, inference: Sequential? = nil) -> Tensor {
        let folded = inference ?? network.foldedForInference()
        let n = x.shape[0], t = tasks
        guard n > 0 else { return Tensor(shape: [0, t], scalars: []) }
        let (distinct, index) = x.distinctRows()
        if distinct.count < n {
            let once = predict(x.gathering(distinct, alongAxis: 0), batchSize: batchSize, inference: folded).scalars
            return Tensor(shape: [n, t], scalars: index.flatMap { once[($0 * t)..<(($0 + 1) * t)] })
        }
        nonisolated(unsafe) let (model, net) = (self, folded)
        return CNNModel.inBlocks(n, columns: t, batchSize: batchSize) { rows in
            noGrad { model.bothStrands(Variable(x.rows(rows))) { net($0, training: false) }.value }
        }
    }

    /// The (n, columns) rows of `body(block)` over consecutive blocks of min(`batchSize`, 64) of
    /// `n` rows, the cores taking whole blocks: what a row gets depends on the batch size, never
    /// on the thread count (see `predict`).
    static func inBlocks(_ n: Int, columns t: Int, batchSize: Int, _ body: @Sendable (Range<Int>) -> Tensor) -> Tensor {
        let block = Swift.min(Swift.max(batchSize, 1), predictionBlock), blocks = (n + block - 1) / block
        var out = [Float](repeating: 0, count: n * t)
        out.withUnsafeMutableBufferPointer { ob in
            nonisolated(unsafe) let op = ob.baseAddress
            Parallel.forEachWorker(blocks) { _, share in
                for b in share {
                    let rows = (b * block)..<Swift.min(n, (b + 1) * block)
                    body(rows).scalars.withUnsafeBufferPointer { (op! + rows.lowerBound * t).update(from: $0.baseAddress!, count: rows.count * t) }
                }
            }
        }
        return Tensor(shape: [n, t], scalars: out)
    }

    /// The most rows `predict` runs at once: as fast per row as larger blocks (`seqgen bench cnn
    /// --forward-batch`, one thread: 1,870 / 1,970 / 1,720 sequences/s at 64 / 128 / 500), and
    /// small enough that a few hundred rows still fill the cores.
    static let predictionBlock = 64

    var batchNorms: [(String, BatchNorm1d)] {
        network.layers.enumerated().compactMap { k, l in (l as? BatchNorm1d).map { ("\(k)", $0) } }
    }

    public func write(to path: String, overwrite: Bool) throws {
        var a = NPZArchive()
        a["model_type"] = NumPyArray(string: "cnn")
        a["architecture"] = NumPyArray(string: architecture.description)
        a["length"] = NumPyArray(ints: [length], shape: [])
        a["task_names"] = NumPyArray(strings: taskNames)
        if objective != .classification { a["objective"] = NumPyArray(string: objective.rawValue) }   // a classifier's file is as before
        if let w = taskLossWeights { a["task_loss_weights"] = NumPyArray(Tensor(shape: [w.count], scalars: w)) }
        for (name, p) in network.namedParameters { a[name] = NumPyArray(p.value) }
        for (k, bn) in batchNorms {
            a["\(k).running_mean"] = NumPyArray(bn.runningMean); a["\(k).running_variance"] = NumPyArray(bn.runningVariance)
        }
        try a.write(to: path, overwrite: overwrite)
    }

    public static func read(_ path: String) throws -> CNNModel {
        let a = try NPZArchive.read(path)
        do {
            guard try a["model_type"]?.string() == "cnn" else { throw FileIOError(path: path, "not a seqgen CNN model (model_type is not 'cnn')") }
            let architecture: CNNArchitecture
            do { architecture = try CNNArchitecture(try a.require("architecture", in: path).string()) }
            catch let e as CNNArchitecture.ArchitectureError { throw FileIOError(path: path, e.description) }
            let length = Int(try a.require("length", in: path).double(at: 0))
            let names = try a.require("task_names", in: path).names()
            var objective = Objective.classification
            if let o = try a["objective"]?.string() {
                guard let known = Objective(rawValue: o) else { throw FileIOError(path: path, "objective '\(o)' is not classification or regression") }
                objective = known
            }
            let model = try CNNModel(architecture: architecture, length: length, taskNames: names, seed: 0, objective: objective)
            if let w = try a["task_loss_weights"]?.tensor() {
                guard objective == .regression else { throw FileIOError(path: path, "task_loss_weights belong to a regression; this model is a classifier") }
                guard w.count == names.count, w.scalars.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                    throw FileIOError(path: path, "task_loss_weights must be \(names.count) positive finite numbers, one per task")
                }
                model.taskLossWeights = w.scalars
            }
            for (name, p) in model.network.namedParameters {
                let t = try a.require(name, in: path).tensor()
                guard t.shape == p.shape else { throw FileIOError(path: path, "\(name) has shape \(t.shape); the architecture needs \(p.shape)") }
                guard t.isFinite else { throw FileIOError(path: path, "\(name) contains NaN or infinite values") }
                p.value = t
            }
            for (k, bn) in model.batchNorms {
                bn.setRunningStatistics(mean: try a.require("\(k).running_mean", in: path).tensor(),
                                        variance: try a.require("\(k).running_variance", in: path).tensor())
            }
            return model
        } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
    }
}

/// The reverse complement of (N, 4, L) one-hot DNA as a differentiable op (a permutation, so the
/// gradient is the reverse complement of the output's gradient).
public func reverseComplement(_ x: Variable) -> Variable {
    Variable.record(OneHot.reverseComplement(x.value), [x]) { g in [OneHot.reverseComplement(g)] }
}
