import ArgumentParser
import DNAData
import RegulatoryCNN
import Statistics
import Console
import Tensors
import Figures
import FileIO

extension Seqgen.CNN {
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "evaluate",
            abstract: "Per-task AUROC and AUPR (exact, tie-aware) of a CNN on a dataset split; of a regression CNN, Pearson r, Spearman ρ and mean squared error."
        )

        @Argument(help: "Model (.npz from `seqgen cnn train`).")
        var model: String

        @Argument(help: "Dataset (.npz or HDF5, or FASTA with --labels).")
        var dataset: String

        @Flag(help: "Overwrite an existing figure.")
        var force = false

        @OptionGroup var input: DNADatasetOptions

        @OptionGroup var runtime: RuntimeOptions

        @Option(help: "Split: train, valid or test.")
        var split = "test"

        @Flag(help: "Print JSON.")
        var json = false

        @Option(help: "Also draw the ROC and precision–recall curves of every task (.png or .svg; tasks beyond nine in grey); a regression's predicted against measured values.")
        var plot: String?

        @OptionGroup var figure: FigureOptions

        func run() throws {
            let outputs = try declareOutputs(force: force, plot)
            try runtime.apply(ownThreading: true)
            let m = try CNNModel.read(model)
            let (data, set) = try input.read(dataset, split: split, objective: m.objective)
            if m.objective == .classification, let w = data.singleClassWarning(split) { warn("\(dataset): \(w)") }
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
            if m.objective == .regression { return try report(RegressionScores(predictions: logits, labels: set.y), m, predictions: logits, set, outputs) }
            let scores = ClassificationScores(logits: logits, labels: set.y)
            if let plot {
                let (t, z, y) = (m.tasks, logits.scalars, set.y.scalars)
                let tasks = m.taskNames.indices.map { k in
                    (name: m.taskNames[k], scores: (0..<set.count).map { Double(z[$0 * t + k]) }, labels: (0..<set.count).map { y[$0 * t + k] > 0.5 },
                     auroc: scores.auroc[k], aupr: scores.aupr[k])
                }
                try outputs.write { try figure.write(Self.curves(tasks, title: "\(split) split, \(set.count) sequences"), to: plot, overwrite: force) }
                wrote(plot)
            }
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

        /// A regression's scores: printed or JSON, and the scatter of predicted against measured values.
        func report(_ scores: RegressionScores, _ m: CNNModel, predictions: Tensor, _ set: DNADataset, _ outputs: OutputSet) throws {
            func value(_ r: Double?) -> JSONText { r.map { .double($0) } ?? .null }
            if let plot {
                let (t, p, y) = (m.tasks, predictions.scalars, set.y.scalars), palette = Canvas.Color.categorical
                let series = m.taskNames.indices.map { k in
                    Chart.Series(k < palette.count ? "\(m.taskNames[k]) (r \(scores.pearson[k].map { fixed($0, 3) } ?? "n/a"))" : k == palette.count ? "other tasks" : "",
                                 x: (0..<set.count).map { Double(y[$0 * t + k]) }, y: (0..<set.count).map { Double(p[$0 * t + k]) },
                                 style: .points, color: k < palette.count ? palette[k] : .grey)
                }
                let one = m.tasks == 1
                let chart = Chart(title: "\(split) split, \(set.count) sequences", xLabel: "measured", yLabel: one ? "predicted" : "predicted (Pearson r in the legend)",
                                  series: series, note: one ? "Pearson r \(scores.pearson[0].map { fixed($0, 3) } ?? "n/a"), Spearman ρ \(scores.spearman[0].map { fixed($0, 3) } ?? "n/a")" : nil)
                try outputs.write { try figure.write(chart.render(), to: plot, overwrite: force) }
                wrote(plot)
            }
            if json {
                JSONText.emit([
                    ("model", .string(model)), ("dataset", .string(dataset)), ("split", .string(split)), ("n", .int(set.count)),
                    ("mean_pearson", .double(scores.meanPearson)), ("mean_spearman", .double(scores.meanSpearman)), ("mean_mse", .double(scores.meanMSE)),
                    ("tasks", .array(m.taskNames.indices.map { k in .object([("name", .string(m.taskNames[k])),
                        ("pearson", value(scores.pearson[k])), ("spearman", value(scores.spearman[k])), ("mse", .double(scores.mse[k]))]) })),
                ])
                return
            }
            print("\(split): \(set.count) sequences; mean Pearson r \(fixed(scores.meanPearson, 4)), mean Spearman ρ \(fixed(scores.meanSpearman, 4)), mean MSE \(fixed(scores.meanMSE, 4))")
            for k in m.taskNames.indices {
                print("  \(m.taskNames[k].padding(10)) Pearson \(scores.pearson[k].map { fixed($0, 4) } ?? "n/a")  Spearman \(scores.spearman[k].map { fixed($0, 4) } ?? "n/a")  MSE \(fixed(scores.mse[k], 4))")
            }
        }

        /// ROC (with the chance diagonal) beside precision–recall, one series per task with both
        /// classes, its area in the legend; the first nine tasks in their own colours, the rest in
        /// grey under one legend entry.
        static func curves(_ tasks: [(name: String, scores: [Double], labels: [Bool], auroc: Double?, aupr: Double?)], title: String) throws -> Canvas {
            var roc: [Chart.Series] = [.init("chance", x: [0, 1], y: [0, 1], style: .line, color: .lightGrey)], pr: [Chart.Series] = []
            let palette = Canvas.Color.categorical
            for (k, task) in tasks.enumerated() {
                guard let r = rocCurve(scores: task.scores, labels: task.labels), let p = precisionRecallCurve(scores: task.scores, labels: task.labels),
                      let auroc = task.auroc, let aupr = task.aupr else { continue }
                let own = k < palette.count, color = own ? palette[k] : .grey
                func label(_ area: Double) -> String { own ? "\(task.name) (\(fixed(area, 3)))" : k == palette.count ? "other tasks" : "" }
                roc.append(.init(label(auroc), x: r.map(\.fpr), y: r.map(\.tpr), style: .line, color: color))
                pr.append(.init(label(aupr), x: [0] + p.map(\.recall), y: [p[0].precision] + p.map(\.precision), style: .line, color: color))
            }
            let left = Chart(title: "ROC: \(title)", xLabel: "false-positive rate", yLabel: "true-positive rate (AUROC in the legend)", series: roc).render()
            let right = Chart(title: "precision–recall", xLabel: "recall", yLabel: "precision (AUPR in the legend)", series: pr).render()
            var canvas = Canvas(width: left.width + right.width, height: Swift.max(left.height, right.height))
            canvas.place(left, x: 0, y: 0)
            canvas.place(right, x: left.width, y: 0)
            return canvas
        }
    }
}
