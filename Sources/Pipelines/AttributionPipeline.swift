import Archive
import Console
import Tensors
import DNAData
import RegulatoryCNN
import Attribution
import Figures

/// The attribution methods of `seqgen cnn attribute` / `interpretability`.
public enum AttributionMethod: String, Sendable, CaseIterable {
    case saliency, gradxinput, ig, smoothgrad, gradientshap, ism, deeplift, deepshap, ism2
}

/// Attribution maps of a CNN's task logit over the sequences of a dataset split, as a library call.
public struct AttributionRun {
    /// Which method and its settings (the command line's defaults).
    public struct Settings: Sendable {
        public var method = AttributionMethod.saliency
        /// Task (output) index explained.
        public var task = 0
        /// Explain at most this many sequences (positives for the task first).
        public var count = 500
        /// Saliency-type maps: subtract each position's mean over bases (gradient correction; not ISM).
        public var correct = false
        /// Integrated gradients / GradientSHAP / DeepLIFT / DeepSHAP reference.
        public var baseline = Attributor.Baseline.dinucleotide
        /// Integrated gradients: steps.
        public var steps = 50
        /// SmoothGrad: noise standard deviation.
        public var noise: Float = 0.1
        /// SmoothGrad samples / GradientSHAP draws / DeepSHAP references.
        public var samples = 25
        /// Seed for references and noise.
        public var seed: UInt64 = 0
        /// Explain the task's logit (default) or its sigmoid probability.
        public var output = Attributor.Output.logit
        /// DeepLIFT / DeepSHAP: hypothetical contributions (`DeepLIFT.hypothetical`).
        public var hypothetical = false
        public init(method: AttributionMethod = .saliency) { self.method = method }

        /// Refuses `hypothetical` beside any method but DeepLIFT and DeepSHAP, and beside `correct`.
        func checkHypothetical() throws {
            guard hypothetical else { return }
            guard method == .deeplift || method == .deepshap else {
                throw PipelineError("--hypothetical is for DeepLIFT and DeepSHAP (a gradient map's hypothetical contributions are the map centred per position: --correct)")
            }
            guard !correct else { throw PipelineError("--correct would centre the hypothetical contributions; give one of --correct and --hypothetical") }
        }
    }

    public let model: CNNModel
    public let settings: Settings
    /// The explained sequences (a subset of the split, in `chosen` order).
    public let explained: DNADataset
    /// Their indices in the split.
    public let chosen: [Int]
    /// (N, 4, L) attribution map of the explained sequences.
    public let map: Tensor

    /// The sequences a run explains: those positive for `task` (y > 0.5) first, then the others,
    /// in split order, at most `count`; for a regression the highest labels first (ties in split
    /// order): the most active sequences, whose features the model should show.
    public static func chooseSequences(_ set: DNADataset, task: Int, count: Int, objective: Objective = .classification) -> [Int] {
        if objective == .regression { return Array(set.byDecreasingLabel(task: task).prefix(count)) }
        let positives = (0..<set.count).filter { set.y.scalars[$0 * set.tasks + task] > 0.5 }
        let others = (0..<set.count).filter { set.y.scalars[$0 * set.tasks + task] <= 0.5 }
        return Array((positives + others).prefix(count))
    }

    /// Refuses a dataset the model was not built for: its sequences' length, or its label columns
    /// (the task's labels choose the sequences explained), differ from the model's; and a
    /// probability explained of a regression, whose outputs are no logits.
    static func check(_ set: DNADataset, dataset: String, against model: CNNModel, task: Int, output: Attributor.Output) throws {
        guard set.length == model.length, set.tasks == model.tasks else {
            throw PipelineError(path: dataset, "sequences of \(set.length) bp with \(set.tasks) task(s); the model expects \(model.length) bp and \(model.tasks)")
        }
        guard task >= 0, task < model.tasks else { throw PipelineError("--task must be from 0 to \(model.tasks - 1)") }
        try requireLogits(model, output: output)
    }

    /// Refuses `--explain probability` for a regression model: σ of a predicted value means nothing.
    public static func requireLogits(_ model: CNNModel, output: Attributor.Output) throws {
        guard output == .logit || model.objective == .classification else {
            throw PipelineError("--explain probability applies a sigmoid to a classifier's logit; this model is a regression, whose output is explained as it is")
        }
    }

    /// Explains the sequences `chooseSequences` picks from `set` (`dataset` is its path, named in
    /// errors) with `settings.method`. `quiet`: no progress bar.
    public init(model: CNNModel, set: DNADataset, dataset: String, settings: Settings, quiet: Bool = false) throws {
        let task = settings.task, method = settings.method, seed = settings.seed
        try Self.check(set, dataset: dataset, against: model, task: task, output: settings.output)
        guard settings.count >= 1, settings.steps >= 1, settings.samples >= 1 else { throw PipelineError("--count, --steps and --samples must be positive") }
        let chosen = Self.chooseSequences(set, task: task, count: settings.count, objective: model.objective)
        let x = set.subset(chosen).x
        try settings.checkHypothetical()
        let attributor = Attributor(model: model, task: task, output: settings.output)
        var lift = DeepLIFT(attributor)
        lift.hypothetical = settings.hypothetical
        var rng = RandomGenerator(seed: seed)
        var map: Tensor
        let bar = DeferredProgressBar(method.rawValue, quiet: quiet)
        let progress = bar.report
        switch method {
        case .saliency: map = attributor.saliency(x, progress: progress)
        case .gradxinput: map = attributor.gradientTimesInput(x, progress: progress)
        case .ig: map = attributor.integratedGradients(x, baseline: settings.baseline, steps: settings.steps, seed: seed, progress: progress)
        case .smoothgrad: map = attributor.smoothGrad(x, noise: settings.noise, samples: settings.samples, seed: seed, progress: progress)
        case .gradientshap: map = attributor.gradientSHAP(x, baseline: settings.baseline, samples: settings.samples, seed: seed, progress: progress)
        case .ism: map = attributor.mutagenesis(x, progress: progress)
        case .deeplift: map = lift.attributions(x, reference: Attributor.references(x, kind: settings.baseline, using: &rng)) { progress($0, x.shape[0]) }
        case .deepshap: map = lift.shap(x, references: settings.baseline, count: settings.samples, seed: seed, progress: progress)
        case .ism2: throw PipelineError("--method ism2 gives pairwise maps, not an (N, 4, L) map: use `seqgen cnn attribute --method ism2`")
        }
        bar.finish()
        if settings.correct && method != .ism { map = Attributor.correctGradient(map) }
        self.model = model; self.settings = settings; self.explained = set.subset(chosen); self.chosen = chosen; self.map = map
    }

    /// Second-order ISM (`--method ism2`) of the sequences `chooseSequences` picks, over `window`:
    /// their indices in the split and one ε(i,a;j,b) result each.
    public static func secondOrder(model: CNNModel, set: DNADataset, dataset: String, settings: Settings,
                                   window: Range<Int>, quiet: Bool = false) throws -> (chosen: [Int], results: [SecondOrderMutagenesis]) {
        try check(set, dataset: dataset, against: model, task: settings.task, output: settings.output)
        try settings.checkHypothetical()
        guard settings.count >= 1 else { throw PipelineError("--count must be positive") }
        let chosen = chooseSequences(set, task: settings.task, count: settings.count, objective: model.objective)
        let sub = set.subset(chosen)
        let attributor = Attributor(model: model, task: settings.task, output: settings.output)
        // The bar counts variants (all sequences have the same number), drawn from the first batch.
        let bar = DeferredProgressBar("ism2", quiet: quiet)
        var results: [SecondOrderMutagenesis] = []
        for k in chosen.indices {
            results.append(attributor.secondOrderMutagenesis(sub.x, sequence: k, window: window) { done, total in
                bar.report(k * total + done, of: total * chosen.count)
            })
        }
        bar.finish()
        return (chosen, results)
    }

    /// Logo columns of explained sequence `n`: per position the four bases' attribution × one-hot
    /// (gradient methods), or the ISM map centred over the bases.
    public func logoColumns(_ n: Int) -> [[Double]] {
        let l = explained.length
        return (0..<l).map { i -> [Double] in
            let v = (0..<4).map { Double(map.scalars[(n * 4 + $0) * l + i]) }
            if settings.method == .ism { let mean = v.reduce(0, +) / 4; return v.map { $0 - mean } }
            return (0..<4).map { v[$0] * Double(explained.x.scalars[(n * 4 + $0) * l + i]) }
        }
    }

    /// The attribution logo of explained sequence `n` (`split` names the split in the title), with
    /// the ground-truth motif track when the dataset has one.
    public func logo(_ n: Int, split: String) throws -> SequenceLogo {
        guard n >= 0, n < chosen.count else { throw PipelineError("--logo-index must be from 0 to \(chosen.count - 1)") }
        // chosen[n]: the sequence's index in the split (as in the .npz `index`), not its rank here.
        var plot = SequenceLogo(values: logoColumns(n), letters: ["A", "C", "G", "T"], mode: .signed,
                                title: "\(settings.method.rawValue): \(split) sequence \(chosen[n]), task \(model.taskNames[settings.task])")
        plot.columnsPerRow = 100
        if let truth = explained.groundTruth { plot.motifTrack = Interpretability.motifPositions(truth, sequence: n) }
        return plot
    }
}
