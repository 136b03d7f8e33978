import ArgumentParser
import DNAData
import Motifs
import RegulatoryCNN
import Attribution
import NumPyIO
import Tensors
import Layers
import Figures
import Console

extension SyntheticMotifs.Task: ExpressibleByArgument {}

/// `seqgen cnn …`: the regulatory-genomics side (DNA datasets; models and attribution build on these).
struct CNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn",
        abstract: "Regulatory CNN toolkit: DNA datasets, synthetic benchmarks, training and evaluation.",
        subcommands: [CNNSynthCommand.self, CNNDataCommand.self, CNNTrainCommand.self, CNNEvaluateCommand.self, CNNAttributeCommand.self, CNNInterpretabilityCommand.self]
    )
}

struct CNNSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate a synthetic TF-binding benchmark with known motif positions (.npz).",
        discussion: """
        Uniform background; k motif instances per sequence (k uniform in --motifs-per-sequence), \
        sampled from JASPAR/MEME PWMs on a random strand at random non-overlapping positions. \
        multi: one task per motif (default the 12 TFs of Koo & Eddy 2019: \
        \(SyntheticMotifs.multiNames.joined(separator: ", "))), 30,000 sequences. \
        code: one binary task, positives carry core motifs (\(SyntheticMotifs.codeCore.joined(separator: ", "))), \
        negatives decoys (the other multi-task motifs), 20,000 sequences. Writes X_/Y_/model_{train,valid,test} \
        (70/10/20%) with model_* the ground-truth PWM at each position (0.25 = background).
        """
    )

    @Option(help: "Motif file (JASPAR or MEME), e.g. ../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm.")
    var motifs: String

    @Option(name: .shortAndLong, help: "Output dataset (.npz).")
    var output: String

    @Option(help: "multi or code.")
    var task = SyntheticMotifs.Task.multi

    @Option(help: "Motif names to embed (comma-separated; default: the published set for the task).")
    var names: String?

    @Option(help: "code task: decoy motif names (comma-separated; default: the multi-task motifs outside the core).")
    var decoys: String?

    @Option(help: "Number of sequences (default 30000 for multi, 20000 for code).")
    var count: Int?

    @Option(help: "Sequence length.")
    var length = 200

    @Option(help: "Motif instances per sequence, MIN-MAX.")
    var motifsPerSequence = "1-5"

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Flag(help: "Overwrite an existing output file.")
    var force = false

    func run() throws {
        try refuseExisting(output, force: force)
        let parts = motifsPerSequence.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 1, parts[1] >= parts[0] else { throw ValidationError("--motifs-per-sequence: expected MIN-MAX, e.g. 1-5") }
        let all = try MotifFile.read(motifs)
        func list(_ s: String?, _ defaults: [String]) -> [String] { s.map { $0.split(separator: ",").map(String.init) } ?? defaults }
        do {
            let core = try SyntheticMotifs.select(list(names, task == .multi ? SyntheticMotifs.multiNames : SyntheticMotifs.codeCore), from: all)
            let decoyMotifs = task == .code ? try SyntheticMotifs.select(list(decoys, SyntheticMotifs.codeDecoys), from: all) : []
            let generator = SyntheticMotifs(task: task, motifs: core, decoys: decoyMotifs, count: count ?? (task == .multi ? 30000 : 20000),
                                            length: length, motifsPerSequence: parts[0]...parts[1], seed: seed)
            let clock = Stopwatch()
            let splits = try generator.generate()
            try splits.write(to: output, overwrite: force)
            log("wrote \(output): \(splits.train.count)/\(splits.valid.count)/\(splits.test.count) train/valid/test × \(length) bp, \(splits.taskNames.count) task(s) (\(fixed(clock.seconds, 2)) s)")
        } catch let e as SyntheticMotifs.SyntheticError {
            throw ValidationError("\(motifs): \(e.description)")
        }
    }
}

struct CNNDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Summarise a DNA dataset (.npz or HDF5 with X_/Y_{train,valid,test}): sizes, tasks, label balance."
    )

    @Argument(help: "Dataset (.npz, .h5).")
    var dataset: String

    func run() throws {
        let splits = try DNASplits.read(dataset)
        print("file:     \(dataset)")
        print("length:   \(splits.train.length) bp, \(splits.train.tasks) task(s): \(splits.taskNames.joined(separator: ", "))")
        for (name, set) in zip(DNASplits.splitNames, [splits.train, splits.valid, splits.test]) {
            let positives = (0..<set.tasks).map { t in (0..<set.count).filter { set.y.scalars[$0 * set.tasks + t] > 0.5 }.count }
            let rate = positives.map { fixed(Double($0) / Double(Swift.max(set.count, 1)) * 100, 1) + "%" }.joined(separator: " ")
            print("\(name.padding(6)) \(String(set.count).padding(7)) sequences, positives per task: \(rate)\(set.groundTruth == nil ? "" : ", ground truth")")
        }
    }
}

extension Activation.Kind: ExpressibleByArgument {}

struct CNNTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a CNN on a DNA dataset (BCE, Adam, early stopping on validation AUROC).",
        discussion: "Architectures: cnn-local (pools 4, 25), cnn-dist (25, 4), cnn-2, cnn-50, cnn-P1-P2, cnn-deep, or a layer list such as \"conv32x19 bn exp pool4 dropout0.1 flatten dense64 relu\" (see README)."
    )

    @Argument(help: "Dataset (.npz from `seqgen cnn synth`, or HDF5 with X_/Y_{train,valid,test}).")
    var dataset: String

    @Option(name: .shortAndLong, help: "Output model (.npz).")
    var output: String

    @Option(help: "Architecture name or layer list.")
    var architecture = "cnn-local"

    @Option(help: "First-layer activation for named architectures: relu, exponential, sigmoid, tanh, softplus, elu, linear.")
    var activation = Activation.Kind.relu

    @Option(help: "Maximum epochs.")
    var epochs = 100

    @Option(help: "Mini-batch size.")
    var batchSize = 100

    @Option(help: "Adam learning rate.")
    var learningRate: Float = 1e-3

    @Option(help: "L2 penalty on all parameters.")
    var l2: Float = 1e-6

    @Option(help: "Early stopping: epochs without a better validation AUROC.")
    var patience = 10

    @Option(help: "Seed for initialisation, shuffling and dropout.")
    var seed: UInt64 = 0

    @Option(help: "Training curve (loss per epoch, train and validation) to this PNG or SVG.")
    var curve: String?

    @Flag(help: "Overwrite existing outputs.")
    var force = false

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        try runtime.apply()
        try refuseExisting(output, force: force)
        if let curve { try refuseExisting(curve, force: force) }
        guard epochs >= 1, batchSize >= 1, patience >= 1, learningRate > 0 else { throw ValidationError("--epochs, --batch-size, --patience and --learning-rate must be positive") }
        let data = try DNASplits.read(dataset)
        let arch: CNNArchitecture
        do {
            arch = architecture.hasPrefix("cnn-") ? try .named(architecture, activation: activation) : try CNNArchitecture(architecture)
        } catch let e as CNNArchitecture.ArchitectureError { throw ValidationError(e.description) }
        let model: CNNModel
        do { model = try CNNModel(architecture: arch, length: data.train.length, taskNames: data.taskNames, seed: seed) }
        catch let e as CNNArchitecture.ArchitectureError { throw ValidationError(e.description) }
        log("\(arch.description): \(model.network.parameterCount) parameters; \(data.train.count) training sequences × \(data.train.length) bp, \(data.taskNames.count) task(s)")
        var trainer = CNNTrainer()
        trainer.epochs = epochs; trainer.batchSize = batchSize; trainer.learningRate = learningRate; trainer.l2 = l2
        trainer.patience = patience; trainer.seed = seed
        let history = trainer.train(model, on: data) { e in
            log("epoch \(e.epoch): train loss \(fixed(e.trainLoss, 4)), valid loss \(fixed(e.validLoss, 4)), valid AUROC \(fixed(e.valid.meanAUROC, 4)), AUPR \(fixed(e.valid.meanAUPR, 4)), lr \(e.learningRate) (\(fixed(e.seconds, 1)) s)")
            return Interrupt.signal == nil
        }
        guard history.allSatisfy({ $0.trainLoss.isFinite }) else { throw ValidationError("\(dataset): the training loss became non-finite; no model written (try a smaller --learning-rate)") }
        let best = history.max { $0.valid.meanAUROC < $1.valid.meanAUROC }!
        try model.write(to: output, overwrite: force)
        log("wrote \(output) (best epoch \(best.epoch): valid AUROC \(fixed(best.valid.meanAUROC, 4)))")
        if let curve {
            let x = history.map { Double($0.epoch) }
            try Chart(title: "CNN TRAINING", xLabel: "EPOCH", yLabel: "BCE LOSS", series: [
                .init("TRAIN", x: x, y: history.map(\.trainLoss), style: .line, color: .blue),
                .init("VALIDATION", x: x, y: history.map(\.validLoss), style: .line, color: .orange),
            ], note: "BEST EPOCH \(best.epoch)  VALID AUROC \(fixed(best.valid.meanAUROC, 3))").render().write(to: curve, overwrite: force)
        }
    }
}

struct CNNEvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Per-task AUROC and AUPR (exact, tie-aware) of a CNN on a dataset split."
    )

    @Argument(help: "Model (.npz from `seqgen cnn train`).")
    var model: String

    @Argument(help: "Dataset (.npz or HDF5).")
    var dataset: String

    @Option(help: "Split: train, valid or test.")
    var split = "test"

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let m = try CNNModel.read(model)
        let data = try DNASplits.read(dataset)
        guard let set = zip(DNASplits.splitNames, [data.train, data.valid, data.test]).first(where: { $0.0 == split })?.1 else {
            throw ValidationError("--split must be train, valid or test")
        }
        guard set.length == m.length, set.tasks == m.tasks else {
            throw ValidationError("\(dataset): sequences of \(set.length) bp with \(set.tasks) task(s); the model expects \(m.length) bp and \(m.tasks)")
        }
        let scores = ClassificationScores(logits: m.predict(set.x), labels: set.y)
        if json {
            print(JSONText.render([
                ("model", .string(model)), ("dataset", .string(dataset)), ("split", .string(split)), ("n", .int(set.count)),
                ("mean_auroc", .double(scores.meanAUROC)), ("mean_aupr", .double(scores.meanAUPR)),
                ("tasks", .array(m.taskNames.indices.map { k in .object([("name", .string(m.taskNames[k])),
                    ("auroc", scores.auroc[k].map { .double($0) } ?? .null), ("aupr", scores.aupr[k].map { .double($0) } ?? .null)]) })),
            ]))
            return
        }
        print("\(split): \(set.count) sequences; mean AUROC \(fixed(scores.meanAUROC, 4)), mean AUPR \(fixed(scores.meanAUPR, 4))")
        for k in m.taskNames.indices {
            print("  \(m.taskNames[k].padding(10)) AUROC \(scores.auroc[k].map { fixed($0, 4) } ?? "n/a")  AUPR \(scores.aupr[k].map { fixed($0, 4) } ?? "n/a")")
        }
    }
}

enum AttributionMethod: String, ExpressibleByArgument, CaseIterable {
    case saliency, gradxinput, ig, smoothgrad, ism, deeplift, deepshap
}
extension Attributor.Baseline: ExpressibleByArgument {}

/// Options shared by `attribute` and `interpretability`: which sequences, which method.
struct AttributionOptions: ParsableArguments {
    @Argument(help: "Model (.npz from `seqgen cnn train`).")
    var model: String

    @Argument(help: "Dataset (.npz or HDF5).")
    var dataset: String

    @Option(help: "Method: \(AttributionMethod.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method = AttributionMethod.saliency

    @Option(help: "Task (output) index to explain.")
    var task = 0

    @Option(help: "Split: train, valid or test.")
    var split = "test"

    @Option(help: "Explain at most this many sequences (positives for the task first).")
    var count = 500

    @Flag(help: "Saliency-type maps: subtract each position's mean over bases (gradient correction).")
    var correct = false

    @Option(help: "Integrated gradients / DeepLIFT / DeepSHAP reference: zeros, shuffled or dinucleotide.")
    var baseline = Attributor.Baseline.dinucleotide

    @Option(help: "Integrated gradients: steps.")
    var steps = 50

    @Option(help: "SmoothGrad: noise standard deviation and samples.")
    var noise: Float = 0.1

    @Option(help: "SmoothGrad samples / DeepSHAP references.")
    var samples = 25

    @Option(help: "Seed for references and noise.")
    var seed: UInt64 = 0

    /// (model, dataset split, chosen sequence indices, attribution map over them).
    func compute() throws -> (CNNModel, DNADataset, [Int], Tensor) {
        let m = try CNNModel.read(model)
        let data = try DNASplits.read(dataset)
        guard let set = zip(DNASplits.splitNames, [data.train, data.valid, data.test]).first(where: { $0.0 == split })?.1 else {
            throw ValidationError("--split must be train, valid or test")
        }
        guard set.length == m.length else { throw ValidationError("\(dataset): sequences of \(set.length) bp; the model expects \(m.length)") }
        guard task >= 0, task < m.tasks else { throw ValidationError("--task must be in 0..<\(m.tasks)") }
        guard count >= 1, steps >= 1, samples >= 1 else { throw ValidationError("--count, --steps and --samples must be positive") }
        let positives = (0..<set.count).filter { set.y.scalars[$0 * set.tasks + task] > 0.5 }
        let others = (0..<set.count).filter { set.y.scalars[$0 * set.tasks + task] <= 0.5 }
        let chosen = Array((positives + others).prefix(count))
        let x = set.subset(chosen).x
        let attributor = Attributor(model: m, task: task)
        let lift = DeepLIFT(model: m, task: task)
        var rng = RandomGenerator(seed: seed)
        var map: Tensor
        switch method {
        case .saliency: map = attributor.saliency(x)
        case .gradxinput: map = attributor.gradientTimesInput(x)
        case .ig: map = attributor.integratedGradients(x, baseline: baseline, steps: steps, seed: seed)
        case .smoothgrad: map = attributor.smoothGrad(x, noise: noise, samples: samples, seed: seed)
        case .ism: map = attributor.mutagenesis(x)
        case .deeplift: map = lift.attributions(x, reference: Attributor.references(x, kind: baseline, using: &rng))
        case .deepshap: map = lift.shap(x, references: baseline, count: samples, seed: seed)
        }
        if correct && method != .ism { map = Attributor.correctGradient(map) }
        return (m, set.subset(chosen), chosen, map)
    }
}

struct CNNAttributeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Attribution maps of a CNN's task logit: saliency, gradient × input, integrated gradients, SmoothGrad, ISM, DeepLIFT, DeepSHAP.",
        discussion: "Writes an (N, 4, L) .npy (A, C, G, T) and, with --logo, an attribution logo (map × one-hot for gradient methods, the ISM map centred per position) of one sequence."
    )

    @OptionGroup var options: AttributionOptions

    @Option(name: .shortAndLong, help: "Output attribution maps (.npy, shape (N, 4, L)).")
    var output: String

    @Option(help: "Attribution logo of one explained sequence (PNG or SVG).")
    var logo: String?

    @Option(help: "Which explained sequence the logo shows (0-based among those written).")
    var logoIndex = 0

    @Flag(help: "Overwrite existing outputs.")
    var force = false

    func run() throws {
        try refuseExisting(output, force: force)
        if let logo { try refuseExisting(logo, force: force) }
        let clock = Stopwatch()
        let (model, set, chosen, map) = try options.compute()
        try NPYFormat.write(NumPyArray(map), to: output, overwrite: force)
        log("\(options.method.rawValue): \(chosen.count) sequences × \(set.length) bp for task \(model.taskNames[options.task]) → \(output) (\(fixed(clock.seconds, 2)) s)")
        if let logo {
            guard logoIndex >= 0, logoIndex < chosen.count else { throw ValidationError("--logo-index must be in 0..<\(chosen.count)") }
            let l = set.length, n = logoIndex
            let columns = (0..<l).map { i -> [Double] in
                let v = (0..<4).map { Double(map.scalars[(n * 4 + $0) * l + i]) }
                if options.method == .ism { let mean = v.reduce(0, +) / 4; return v.map { $0 - mean } }
                return (0..<4).map { v[$0] * Double(set.x.scalars[(n * 4 + $0) * l + i]) }
            }
            var plot = SequenceLogo(values: columns, letters: ["A", "C", "G", "T"], mode: .signed,
                                    title: "\(options.method.rawValue.uppercased())  SEQUENCE \(chosen[n])  TASK \(model.taskNames[options.task].uppercased())")
            plot.columnsPerRow = 100
            try plot.render().write(to: logo, overwrite: force)
        }
    }
}

struct CNNInterpretabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpretability",
        abstract: "Score attribution maps against ground-truth motif positions (synthetic data): mean per-sequence AUROC and AUPR.",
        discussion: "Importance per position: attribution × one-hot summed over bases (ISM: L2 norm over bases). Truth: positions whose generating PWM column has information content above --threshold bits. Sequences positive for the task are explained first (Koo & Ploenzke 2021)."
    )

    @OptionGroup var options: AttributionOptions

    @Option(help: "Information content (bits) above which a ground-truth position counts as motif.")
    var threshold = 0.1

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let (_, set, chosen, map) = try options.compute()
        guard let truth = set.groundTruth else { throw ValidationError("\(options.dataset): no ground truth (model_\(options.split)); interpretability needs synthetic data from `seqgen cnn synth`") }
        let positives = (0..<chosen.count).filter { set.y.scalars[$0 * set.tasks + options.task] > 0.5 }
        let score = Interpretability.score(map, x: set.x, truth: truth, sequences: positives,
                                           reduction: options.method == .ism ? .l2Norm : .observedBase, threshold: threshold)
        if json {
            print(JSONText.render([("method", .string(options.method.rawValue)), ("auroc", .double(score.auroc)), ("aupr", .double(score.aupr)),
                                   ("sequences", .int(score.sequences)), ("corrected", .bool(options.correct))]))
            return
        }
        print("\(options.method.rawValue)\(options.correct ? " (corrected)" : ""): interpretability AUROC \(fixed(score.auroc, 4)), AUPR \(fixed(score.aupr, 4)) over \(score.sequences) positive sequences")
    }
}
