import ArgumentParser
import DNAData
import RegulatoryCNN
import Statistics
import Console
import Tensors

extension Seqgen.CNN {
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Per-task AUROC and AUPR (exact, tie-aware) of a CNN on a dataset split."
        )

        @Argument(help: "Model (.npz from `seqgen cnn train`).")
        var model: String

        @Argument(help: "Dataset (.npz or HDF5, or FASTA with --labels).")
        var dataset: String

        @OptionGroup var input: DNADatasetOptions

        @OptionGroup var runtime: RuntimeOptions

        @Option(help: "Split: train, valid or test.")
        var split = "test"

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            try runtime.apply(ownThreading: true)
            let m = try CNNModel.read(model)
            let data = try input.read(dataset)
            guard let set = data.split(named: split) else { throw ValidationError("--split must be train, valid or test") }
            guard set.length == m.length, set.tasks == m.tasks else {
                throw ValidationError("\(dataset): sequences of \(set.length) bp with \(set.tasks) task(s); the model expects \(m.length) bp and \(m.tasks)")
            }
            // Progress in chunks of 2,000 sequences (≈ 1 s each for cnn-deep on one core).
            let bar = ProgressBar("evaluate", total: set.count, quiet: runtime.quiet || set.count <= 2000)
            let inference = m.network.foldedForInference()
            let logits = Tensor(shape: [set.count, m.tasks], scalars: set.x.mapRowBatches(size: 2000) { chunk in
                defer { bar.advance(by: chunk.shape[0]) }
                return m.predict(chunk, inference: inference)
            })
            bar.finish()
            let scores = ClassificationScores(logits: logits, labels: set.y)
            if json {
                JSONText.emit([
                    ("model", .string(model)), ("dataset", .string(dataset)), ("split", .string(split)), ("n", .int(set.count)),
                    ("mean_auroc", .double(scores.meanAUROC)), ("mean_aupr", .double(scores.meanAUPR)),
                    ("tasks", .array(m.taskNames.indices.map { k in .object([("name", .string(m.taskNames[k])),
                        ("auroc", scores.auroc[k].map { .double($0) } ?? .null), ("aupr", scores.aupr[k].map { .double($0) } ?? .null)]) })),
                ])
                return
            }
            print("\(split): \(set.count) sequences; mean AUROC \(fixed(scores.meanAUROC, 4)), mean AUPR \(fixed(scores.meanAUPR, 4))")
            for k in m.taskNames.indices {
                print("  \(m.taskNames[k].padding(10)) AUROC \(scores.auroc[k].map { fixed($0, 4) } ?? "n/a")  AUPR \(scores.aupr[k].map { fixed($0, 4) } ?? "n/a")")
            }
        }
    }
}
