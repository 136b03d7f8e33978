import ArgumentParser
import Console
import DNAData
import Figures
import Layers
import Optimizers
import RegulatoryCNN
import Tensors
#if canImport(Glibc)
import Glibc
#endif

extension Activation.Kind: ExpressibleByArgument {}
extension CNNTrainer.Monitor: ExpressibleByArgument {}
extension WeightInitialisation: ExpressibleByArgument {}
extension Objective: ExpressibleByArgument {}

extension Seqgen.CNN {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train a CNN on a DNA dataset (BCE, Adam, early stopping on validation AUROC; --objective regression: MSE on measured values, early stopping on validation MSE).",
        discussion: "Architectures: the published cnn-local, cnn-dist and cnn-deep (Koo & Ploenzke 2021, layer for layer), the first-pool family cnn-P1-P2 (cnn-2 = cnn-2-50, cnn-50 = cnn-50-2), cnn-deep-same, or a layer list such as \"conv32x19 bn exp pool4 dropout0.1 flatten dense64 relu\" (convFxK/valid: no padding; see README)."
        )

        /// The library's trainer: the training options' defaults.
        static let library = CNNTrainer()

        @Argument(help: "Dataset (.npz from `seqgen cnn synth`, HDF5 with X_/Y_{train,valid,test}, or FASTA with --labels).")
        var dataset: String

        @OptionGroup var input: DNADatasetOptions

        @Option(name: .shortAndLong, help: "Output model (.npz).")
        var output: String

        @Option(help: "Architecture name or layer list.")
        var architecture = "cnn-local"

        @Option(help: "classification (labels in [0, 1], binary cross-entropy on logits) or regression (any finite labels such as log enrichments or activities, as DeepSTARR's; mean squared error; early stopping on the validation loss, not --monitor).")
        var objective = Objective.classification

        @Flag(help: "Regression with several tasks: weigh each task's squared error by 1 / the variance of its training labels (scaled to mean 1), so tasks in different units count alike; the weights are saved with the model.")
        var balanceTasks = false

        @Option(help: "First-layer activation for named architectures: relu, exponential, sigmoid, tanh, softplus, elu, linear.")
        var activation = Activation.Kind.relu

        @Flag(help: "Reverse-complement weight sharing: the network sees both strands with the same weights and averages their logits.")
        var reverseComplement = false

        @Option(help: "Maximum epochs.")
        var epochs = Self.library.epochs

        @Option(help: "Mini-batch size.")
        var batchSize = Self.library.batchSize

        @Option(help: "Adam learning rate.")
        var learningRate = Self.library.learningRate

        @Option(help: "L2 penalty on all parameters.")
        var l2 = Self.library.l2

        @Option(help: "Early stopping: epochs without a better validation score.")
        var patience = Self.library.patience

        @Option(help: "Learning-rate reduction: multiply the rate by \(Self.library.lrFactor) after this many epochs without a better validation score.")
        var lrPatience = Self.library.lrPatience

        @Option(help: "How convolution and dense weights start: uniform (PyTorch's U(±1/√fan_in)) or he-normal (Keras' he_normal, as in the published tfomics models; zero biases).")
        var initialisation = WeightInitialisation.uniform

        @Option(help: "Validation score for early stopping and learning-rate reduction: auroc (default) or aupr (mean over tasks); classifiers only.")
        var monitor: CNNTrainer.Monitor?

        @Option(parsing: .unconditional, help: "Seed for initialisation, shuffling and dropout.")
        var seed: UInt64 = 0

        @Option(help: "Training curve (loss per epoch, train and validation) to this PNG or SVG.")
        var curve: String?

        @OptionGroup(title: "Robust training (augmentation, noise, adversarial examples)") var robust: RobustTrainingOptions

        @OptionGroup(title: "Checkpoints (N counts epochs; an interrupted run stops after the current epoch)") var checkpointing: CheckpointOptions

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try runtime.apply(ownThreading: true)
            let outputs = try declareOutputs(force: force, output, curve)
            try declareCheckpoint(outputs, path: checkpointPath, resume: checkpointing.resume)
            let data = try input.read(dataset, objective: objective)
            try data.requireSequences(in: "train", "valid", path: dataset)
            if objective == .classification {
                for split in ["valid", "test"] { if let w = data.singleClassWarning(split) { warn("\(dataset): \(w)") } }
            }
            let perturbations = try robust.perturbations(length: data.train.length)
            let arch: CNNArchitecture
            do {
                let base = architecture.hasPrefix("cnn-") ? try CNNArchitecture.named(architecture, activation: activation) : try CNNArchitecture(architecture)
                arch = reverseComplement ? base.withReverseComplement(true) : base
            } catch let e as CNNArchitecture.ArchitectureError { throw ValidationError(e.description) }
            let model: CNNModel
            do { model = try CNNModel(architecture: arch, length: data.train.length, taskNames: data.taskNames, seed: seed, initialisation: initialisation, objective: objective) }
            catch let e as CNNArchitecture.ArchitectureError { throw ValidationError(e.description) }
            if balanceTasks {
                guard data.taskNames.count >= 2 else { throw ValidationError("\(dataset): --balance-tasks needs two or more tasks; this dataset has one") }
                guard let w = CNNModel.balancedTaskWeights(data.train.y) else {
                    throw ValidationError("\(dataset): --balance-tasks needs every task's training labels to vary (a task with one value has no variance to weigh by)")
                }
                model.taskLossWeights = w
                log("task weights in the loss (1 / label variance, mean 1): " + zip(data.taskNames, w).map { "\($0) \(fixed(Double($1), 4))" }.joined(separator: ", "))
            }
            log("\(arch.description): \(model.network.parameterCount) parameters; \(data.train.count) training sequences × \(data.train.length) bp, \(data.taskNames.count) task(s)")
            var trainer = CNNTrainer()
            trainer.epochs = epochs; trainer.batchSize = batchSize; trainer.learningRate = learningRate; trainer.l2 = l2
            trainer.patience = patience; trainer.lrPatience = lrPatience; trainer.seed = seed; trainer.monitor = monitor ?? Self.library.monitor
            trainer.perturbations = perturbations; trainer.cleanEpochs = robust.cleanEpochs; trainer.mixedEpochs = robust.mixedEpochs
            for p in trainer.perturbations { log("training with \(p.summary)\(robust.cleanEpochs > 0 ? " after \(robust.cleanEpochs) clean epoch(s)" : "")") }
            if let mixed = robust.mixedEpochs { log("perturbing every sequence after \(mixed) mixed epoch(s)") }
            let fingerprint = ([("architecture", arch.description), ("train", "\(data.train.count)x\(data.train.length)"),
                               ("train_digest", digest(data.train.x, data.train.y)),
                               ("valid", "\(data.valid.count)"), ("tasks", data.taskNames.joined(separator: ",")),
                               ("batch_size", "\(batchSize)"), ("learning_rate", "\(learningRate)"), ("l2", "\(l2)"),
                               ("seed", "\(seed)"), ("initialisation", initialisation.rawValue), ("lr_patience", "\(lrPatience)"), ("perturbations", trainer.perturbations.map(\.summary).joined(separator: ";")), ("clean_epochs", "\(robust.cleanEpochs)"), ("monitor", trainer.monitor.rawValue), ("objective", objective.rawValue)] + (robust.mixedEpochs.map { [("mixed_epochs", "\($0)")] } ?? [])
                               + (balanceTasks ? [("balance_tasks", "1")] : [])).map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            var resumed: CNNTrainer.State?
            if let resume = checkpointing.resume {
                let c = try Checkpoint.read(resume)
                try c.check(kind: Checkpoint.cnnKind, fingerprint: fingerprint, path: resume)
                resumed = try c.restoreCNN(into: model, path: resume)
                log("resuming from \(resume) after epoch \(resumed!.epoch)")
                for e in resumed!.history { logEpoch(e) }
            }
            Interrupt.install(before: "the first epoch")
            let saver = CheckpointSaver(path: checkpointPath, every: checkpointing.checkpointEvery, unit: "epoch")
            // One line per epoch: the batch bar is redrawn in place and erased when the epoch's metrics are printed.
            var bar: ProgressBar?
            var epoch = resumed?.epoch ?? 0
            let firstStage = trainer.train(model, on: data, resume: resumed, batchProgress: { done, total in
                if done == 1 { epoch += 1; bar = ProgressBar("epoch \(epoch)/\(epochs)", total: total, quiet: runtime.quiet) }
                bar?.update(done)
                if done == total { bar?.clear(); bar = nil }
            }, checkpoint: { state in
                saver.save(state.epoch) { Checkpoint(fingerprint: fingerprint, cnn: model, state: state) }
            }, progress: { e in
                logEpoch(e)
                return saver.failure == nil && Interrupt.signal == nil
            })
            try saver.finish(at: firstStage.last?.epoch ?? 0)
            var history = firstStage
            if robust.finetuneEpochs > 0 && Interrupt.signal == nil && history.allSatisfy({ $0.trainLoss.isFinite }) {
                log("fine-tuning on clean data for \(robust.finetuneEpochs) epoch(s) at learning rate \(learningRate * 0.1)")
                epoch = 0
                history += trainer.fineTune(model, on: data, epochs: robust.finetuneEpochs, after: history.last?.epoch ?? 0, batchProgress: { done, total in
                    if done == 1 { epoch += 1; bar = ProgressBar("fine-tune \(epoch)/\(robust.finetuneEpochs)", total: total, quiet: runtime.quiet) }
                    bar?.update(done)
                    if done == total { bar?.clear(); bar = nil }
                }, progress: { e in
                    logEpoch(e)
                    return Interrupt.signal == nil
                })
            }
            guard history.allSatisfy({ $0.trainLoss.isFinite }) else { throw ValidationError("\(dataset): the training loss became non-finite; no model written (try a smaller --learning-rate)") }
            // With fine-tuning the model holds the best fine-tuning epoch's weights.
            let kept = history.count > firstStage.count ? Array(history.dropFirst(firstStage.count)) : trainer.candidates(history)
            let best = kept.max { trainer.score($0) < trainer.score($1) }!
            try outputs.write {
                try model.write(to: output, overwrite: force)
                if let curve {
                    let x = history.map { Double($0.epoch) }
                    // Losses and the validation AUROC (the early-stopping score) share the 0–1-ish axis.
                    var series: [Chart.Series] = [
                        .init("train loss", x: x, y: history.map(\.trainLoss), style: .line, color: .blue),
                        .init("validation loss", x: x, y: history.map(\.validLoss), style: .line, color: .orange)]
                    if objective == .classification {
                        series.append(.init("validation AUROC", x: x, y: history.map(\.valid.meanAUROC), style: .line, color: .green))
                    }
                    var chart = Chart(title: "training: \(model.architecture.description)",
                                      xLabel: "epoch", yLabel: objective == .classification ? "BCE loss / AUROC" : "mean squared error",
                                      series: series, note: "best epoch \(best.epoch): validation \(summary(best))")
                    figure.apply(&chart)
                    try figure.write(chart.render(), to: curve, overwrite: force)
                }
            }
            if let curve { wrote(curve) }
            log("wrote \(output) (best epoch \(best.epoch): valid \(summary(best, digits: 4)))")
            if access(checkpointPath, F_OK) == 0 && (checkpointing.checkpointEvery > 0 || checkpointing.resume == checkpointPath) {
                unlink(checkpointPath)      // training is complete: its checkpoint is spent
            }
        }

        var checkpointPath: String { checkpointing.path(output: output) }

        /// The training set by its content: tells a checkpoint which data it was trained on.
        func digest(_ tensors: Tensor...) -> String {
            var d = ContentDigest()
            for t in tensors { d.add(floats: t.scalars) }
            return d.hex
        }

        func logEpoch(_ e: CNNTrainer.Epoch) {
            let scores = objective == .classification ? ", valid AUROC \(fixed(e.valid.meanAUROC, 4)), AUPR \(fixed(e.valid.meanAUPR, 4))" : ", valid r \(fixed(e.validPearson, 4))"
            log("epoch \(e.epoch): train loss \(fixed(e.trainLoss, 4)), valid loss \(fixed(e.validLoss, 4))\(scores), lr \(e.learningRate) (\(fixed(e.seconds, 1)) s)")
        }

        /// An epoch's validation scores: AUROC and AUPR, or a regression's loss.
        func summary(_ e: CNNTrainer.Epoch, digits: Int = 3) -> String {
            objective == .classification ? "AUROC \(fixed(e.valid.meanAUROC, digits)), AUPR \(fixed(e.valid.meanAUPR, digits))"
                : "MSE \(fixed(e.validLoss, digits)), r \(fixed(e.validPearson, digits))"
        }
    }
}
