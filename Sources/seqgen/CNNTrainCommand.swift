import ArgumentParser
import Console
import DNAData
import Figures
import Layers
import RegulatoryCNN

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
