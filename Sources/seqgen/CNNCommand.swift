import ArgumentParser
import DNAData
import Motifs
import RegulatoryCNN
import Layers
import Figures
import Console

extension SyntheticMotifs.Task: ExpressibleByArgument {}

/// `seqgen cnn …`: the regulatory-genomics side (DNA datasets; models and attribution build on these).
struct CNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn",
        abstract: "Regulatory CNN toolkit: DNA datasets, synthetic benchmarks, training and evaluation.",
        subcommands: [CNNSynthCommand.self, CNNDataCommand.self, CNNTrainCommand.self, CNNEvaluateCommand.self]
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
