import ArgumentParser
import Attribution
import Console
import DNAData
import Figures
import NumPyIO
import RegulatoryCNN
import Tensors
import Pipelines

extension Seqgen.CNN {
    struct Interpretability: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "interpretability",
            abstract: "Score attribution maps against ground-truth motif positions (synthetic data): mean per-sequence AUROC and AUPR.",
            discussion: "Importance per position: attribution × one-hot summed over bases (ISM: L2 norm over bases). Truth: positions of the task's own motifs (truth_task_* from `seqgen cnn synth`) whose generating PWM column has information content above --threshold bits; positions with 0 < information ≤ --threshold are left out (neither motif nor background), as the published scripts do. Sequences positive for the task are explained first (Koo & Ploenzke 2021); for a regression model (e.g. on `cnn synth --task activity`) the most active, each scored where it carries the task's motifs."
        )

        @OptionGroup var options: AttributionOptions

        @Option(parsing: .unconditional, help: "Information content (bits) above which a ground-truth position counts as motif.")
        var threshold = 0.1

        @Flag(help: "Print JSON.")
        var json = false

        func run() throws {
            let run = try options.compute()
            let (set, chosen, map) = (run.explained, run.chosen, run.map)
            guard let truth = set.groundTruth else { throw ValidationError("\(options.dataset): no ground truth (model_\(options.split)); interpretability needs synthetic data from `seqgen cnn synth`") }
            // A classifier's positives; for a regression every explained sequence (the most active
            // first): those without a planted motif of the task have no truth and are skipped.
            let positives = run.model.objective == .regression ? Array(chosen.indices)
                : (0..<chosen.count).filter { set.y.scalars[$0 * set.tasks + options.task] > 0.5 }
            if set.truthTask == nil && set.tasks > 1 {
                warn("\(options.dataset): no truth_task_\(options.split) (which task each motif belongs to): every motif counts as task \(options.task)'s truth")
            }
            let score = Attribution.Interpretability.score(map, x: set.x, truth: truth, owner: set.truthTask, task: options.task, sequences: positives,
                                               reduction: options.method == .ism ? .l2Norm : .observedBase, threshold: threshold)
            if json {
                JSONText.emit([("method", .string(options.method.rawValue)), ("auroc", .double(score.auroc)), ("aupr", .double(score.aupr)),
                                       ("sequences", .int(score.sequences)), ("corrected", .bool(options.correct))])
                return
            }
            print("\(options.method.rawValue)\(options.correct ? " (corrected)" : ""): interpretability AUROC \(fixed(score.auroc, 4)), AUPR \(fixed(score.aupr, 4)) over \(score.sequences) \(run.model.objective == .regression ? "sequences carrying the task's motifs" : "positive sequences")")
        }
    }
}
