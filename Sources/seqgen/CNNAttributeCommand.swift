import ArgumentParser
import Attribution
import Console
import DNAData
import Figures
import NumPyIO
import RegulatoryCNN
import Tensors
import Pipelines

extension AttributionMethod: ExpressibleByArgument {}
extension Attributor.Baseline: ExpressibleByArgument {}

/// Options shared by `attribute` and `interpretability`: which sequences, which method.
struct AttributionOptions: ParsableArguments {
    @Argument(help: "Model (.npz from `seqgen cnn train`).")
    var model: String

    @Argument(help: "Dataset (.npz or HDF5, or FASTA with --labels).")
    var dataset: String

    @OptionGroup var input: DNADatasetOptions

    @OptionGroup var runtime: RuntimeOptions

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

    /// The options as library settings.
    var settings: AttributionRun.Settings {
        var s = AttributionRun.Settings(method: method)
        s.task = task; s.count = count; s.correct = correct; s.baseline = baseline; s.steps = steps
        s.noise = noise; s.samples = samples; s.seed = seed
        return s
    }

    /// Reads the model and the split and explains the chosen sequences.
    func compute() throws -> AttributionRun {
        try runtime.apply(ownThreading: true)
        let m = try CNNModel.read(model)
        let data = try input.read(dataset)
        guard let set = data.split(named: split) else { throw ValidationError("--split must be train, valid or test") }
        return try AttributionRun(model: m, set: set, dataset: dataset, settings: settings, quiet: runtime.quiet)
    }
}

struct CNNAttributeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attribute",
        abstract: "Attribution maps of a CNN's task logit: saliency, gradient × input, integrated gradients, SmoothGrad, ISM, DeepLIFT, DeepSHAP.",
        discussion: "Writes an (N, 4, L) .npy (A, C, G, T; (N, L, 4) with --channels-last), or an .npz with the maps (`attributions`), the explained sequences' one-hot (`x`, same layout) and their indices in the split (`index`); with --logo, an attribution logo (map × one-hot for gradient methods, the ISM map centred per position) of one sequence."
    )

    @OptionGroup var options: AttributionOptions

    @Option(name: .shortAndLong, help: "Output attribution maps (.npy, or .npz with the sequences and their indices).")
    var output: String

    @Flag(help: "Write (N, L, 4) instead of (N, 4, L) (the Keras / TF-MoDISco layout).")
    var channelsLast = false

    @Option(help: "Attribution logo of one explained sequence (PNG or SVG).")
    var logo: String?

    @Option(help: "Which explained sequence the logo shows (0-based among those written).")
    var logoIndex = 0

    @Flag(help: "Overwrite existing outputs.")
    var force = false

    @OptionGroup(title: "Figure size") var figure: FigureOptions

    func run() throws {
        let outputs = try declareOutputs(force: force, output, logo)
        let clock = Stopwatch()
        let run = try options.compute()
        let (set, chosen, map) = (run.explained, run.chosen, run.map)
        let layout = { (t: Tensor) in channelsLast ? t.permuted([0, 2, 1]) : t }
        var logoPlot: SequenceLogo?
        if logo != nil {
            var plot = try run.logo(logoIndex, split: options.split)
            figure.apply(&plot)
            logoPlot = plot
        }
        try outputs.write {
            if output.lowercased().hasSuffix(".npz") {
                var archive = NPZArchive()
                archive["attributions"] = NumPyArray(layout(map))
                archive["x"] = NumPyArray(layout(set.x))                          // set: the explained sequences
                archive["index"] = NumPyArray(ints: chosen, shape: [chosen.count])
                try archive.write(to: output, overwrite: force)
            } else {
                try NPYFormat.write(NumPyArray(layout(map)), to: output, overwrite: force)
            }
            if let logo, let logoPlot { try figure.write(logoPlot.render(), to: logo, overwrite: force) }
        }
        log("\(options.method.rawValue): \(chosen.count) sequences × \(set.length) bp for task \(run.model.taskNames[options.task]) → \(output) (\(fixed(clock.seconds, 2)) s)")
        if let logo { wrote(logo) }
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
        let run = try options.compute()
        let (set, chosen, map) = (run.explained, run.chosen, run.map)
        guard let truth = set.groundTruth else { throw ValidationError("\(options.dataset): no ground truth (model_\(options.split)); interpretability needs synthetic data from `seqgen cnn synth`") }
        let positives = (0..<chosen.count).filter { set.y.scalars[$0 * set.tasks + options.task] > 0.5 }
        let score = Interpretability.score(map, x: set.x, truth: truth, sequences: positives,
                                           reduction: options.method == .ism ? .l2Norm : .observedBase, threshold: threshold)
        if json {
            JSONText.emit([("method", .string(options.method.rawValue)), ("auroc", .double(score.auroc)), ("aupr", .double(score.aupr)),
                                   ("sequences", .int(score.sequences)), ("corrected", .bool(options.correct))])
            return
        }
        print("\(options.method.rawValue)\(options.correct ? " (corrected)" : ""): interpretability AUROC \(fixed(score.auroc, 4)), AUPR \(fixed(score.aupr, 4)) over \(score.sequences) positive sequences")
    }
}
