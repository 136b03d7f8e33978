import ArgumentParser
import Attribution
import Console
import DNAData
import Figures
import NumPyIO
import RegulatoryCNN
import Tensors

enum AttributionMethod: String, ExpressibleByArgument, CaseIterable {
    case saliency, gradxinput, ig, smoothgrad, ism, deeplift, deepshap, ism2
}
extension Attributor.Baseline: ExpressibleByArgument {}
extension Attributor.Output: ExpressibleByArgument {}

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

    @Option(help: "Explain the task's logit (default) or its sigmoid probability.")
    var explain = Attributor.Output.logit

    @Option(help: "ism2: window START-END (0-based, end exclusive; default the whole sequence up to 60 bp, else the central 50).")
    var window: String?

    /// The ism2 window over sequences of `length` bp.
    func ism2Window(length: Int) throws -> Range<Int> {
        guard let window else { return length <= 60 ? 0..<length : (length / 2 - 25)..<(length / 2 + 25) }
        let parts = window.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 0, parts[1] > parts[0], parts[1] <= length else {
            throw ValidationError("--window: expected START-END with 0 ≤ START < END ≤ \(length), got '\(window)'")
        }
        return parts[0]..<parts[1]
    }

    /// Second-order ISM of the chosen sequences: (model, set, indices, per-sequence results).
    func secondOrder() throws -> (CNNModel, DNADataset, [Int], [SecondOrderMutagenesis]) {
        try runtime.apply(ownThreading: true)
        let m = try CNNModel.read(model)
        let data = try input.read(dataset)
        guard let set = data.split(named: split) else { throw ValidationError("--split must be train, valid or test") }
        guard set.length == m.length else { throw ValidationError("\(dataset): sequences of \(set.length) bp; the model expects \(m.length)") }
        guard task >= 0, task < m.tasks else { throw ValidationError("--task must be in 0..<\(m.tasks)") }
        guard count >= 1 else { throw ValidationError("--count must be positive") }
        let range = try ism2Window(length: set.length)
        let positives = (0..<set.count).filter { set.y.scalars[$0 * set.tasks + task] > 0.5 }
        let others = (0..<set.count).filter { set.y.scalars[$0 * set.tasks + task] <= 0.5 }
        let chosen = Array((positives + others).prefix(count))
        let sub = set.subset(chosen)
        let attributor = Attributor(model: m, task: task, output: explain)
        let bar = ProgressBar("ism2", total: chosen.count, quiet: runtime.quiet)
        var results: [SecondOrderMutagenesis] = []
        for k in chosen.indices { results.append(attributor.secondOrderMutagenesis(sub.x, sequence: k, window: range)); bar.update(k + 1) }
        bar.finish()
        return (m, sub, chosen, results)
    }

    /// (model, dataset split, chosen sequence indices, attribution map over them).
    func compute() throws -> (CNNModel, DNADataset, [Int], Tensor) {
        try runtime.apply(ownThreading: true)
        let m = try CNNModel.read(model)
        let data = try input.read(dataset)
        guard let set = data.split(named: split) else { throw ValidationError("--split must be train, valid or test") }
        guard set.length == m.length else { throw ValidationError("\(dataset): sequences of \(set.length) bp; the model expects \(m.length)") }
        guard task >= 0, task < m.tasks else { throw ValidationError("--task must be in 0..<\(m.tasks)") }
        guard count >= 1, steps >= 1, samples >= 1 else { throw ValidationError("--count, --steps and --samples must be positive") }
        let positives = (0..<set.count).filter { set.y.scalars[$0 * set.tasks + task] > 0.5 }
        let others = (0..<set.count).filter { set.y.scalars[$0 * set.tasks + task] <= 0.5 }
        let chosen = Array((positives + others).prefix(count))
        let x = set.subset(chosen).x
        let attributor = Attributor(model: m, task: task, output: explain)
        let lift = DeepLIFT(model: m, task: task, output: explain)
        var rng = RandomGenerator(seed: seed)
        var map: Tensor
        var bar: ProgressBar?
        let progress = { (done: Int, total: Int) in
            if bar == nil { bar = ProgressBar(method.rawValue, total: total, quiet: runtime.quiet) }
            bar?.update(done)
        }
        switch method {
        case .saliency: map = attributor.saliency(x)
        case .gradxinput: map = attributor.gradientTimesInput(x)
        case .ig: map = attributor.integratedGradients(x, baseline: baseline, steps: steps, seed: seed, progress: progress)
        case .smoothgrad: map = attributor.smoothGrad(x, noise: noise, samples: samples, seed: seed, progress: progress)
        case .ism: map = attributor.mutagenesis(x, progress: progress)
        case .deeplift: map = lift.attributions(x, reference: Attributor.references(x, kind: baseline, using: &rng))
        case .deepshap: map = lift.shap(x, references: baseline, count: samples, seed: seed, progress: progress)
        case .ism2: throw ValidationError("--method ism2 gives pairwise maps, not an (N, 4, L) map: use `seqgen cnn attribute --method ism2`")
        }
        bar?.finish()
        if correct && method != .ism { map = Attributor.correctGradient(map) }
        return (m, set.subset(chosen), chosen, map)
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

    @Option(help: "ism2: heatmap of the position × position interaction norm of one explained sequence (--logo-index).")
    var heatmap: String?

    func run() throws {
        if options.method == .ism2 { return try runSecondOrder() }
        if heatmap != nil { throw ValidationError("--heatmap is for --method ism2") }
        let outputs = try declareOutputs(force: force, output, logo)
        let clock = Stopwatch()
        let (model, set, chosen, map) = try options.compute()
        let layout = { (t: Tensor) in channelsLast ? t.permuted([0, 2, 1]) : t }
        var logoPlot: SequenceLogo?
        if let logo {
            guard logoIndex >= 0, logoIndex < chosen.count else { throw ValidationError("--logo-index must be in 0..<\(chosen.count)") }
            let l = set.length, n = logoIndex
            let columns = (0..<l).map { i -> [Double] in
                let v = (0..<4).map { Double(map.scalars[(n * 4 + $0) * l + i]) }
                if options.method == .ism { let mean = v.reduce(0, +) / 4; return v.map { $0 - mean } }
                return (0..<4).map { v[$0] * Double(set.x.scalars[(n * 4 + $0) * l + i]) }
            }
            // chosen[n]: the sequence's index in the split (as in the .npz `index`), not its rank here.
            var plot = SequenceLogo(values: columns, letters: ["A", "C", "G", "T"], mode: .signed,
                                    title: "\(options.method.rawValue): \(options.split) sequence \(chosen[n]), task \(model.taskNames[options.task])")
            plot.columnsPerRow = 100
            if let truth = set.groundTruth { plot.motifTrack = Interpretability.motifPositions(truth, sequence: n) }
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
        log("\(options.method.rawValue): \(chosen.count) sequences × \(set.length) bp for task \(model.taskNames[options.task]) → \(output) (\(fixed(clock.seconds, 2)) s)")
        if let logo { wrote(logo) }
    }

    /// ism2: ε as (N, W, 4, W, 4) (.npy, or .npz with `epistasis`, `norms` (N, W, W), `index`,
    /// `window`), and the interaction-norm heatmap of one sequence.
    func runSecondOrder() throws {
        if logo != nil || channelsLast { throw ValidationError("--logo and --channels-last are not for --method ism2 (use --heatmap)") }
        let outputs = try declareOutputs(force: force, output, heatmap)
        let clock = Stopwatch()
        let (model, _, chosen, results) = try options.secondOrder()
        guard logoIndex >= 0, logoIndex < results.count else { throw ValidationError("--logo-index must be in 0..<\(results.count)") }
        let w = results[0].width, range = results[0].window
        let eps = Tensor(shape: [results.count, w, 4, w, 4], scalars: results.flatMap(\.epistasis))
        let norms = Tensor(shape: [results.count, w, w], scalars: results.flatMap(\.norms))
        var canvas: Canvas?
        if heatmap != nil {
            let panel = MatrixPanel(values: results[logoIndex].norms, length: w,
                                    title: "ism2 ‖ε(i,j)‖, \(options.split) sequence \(chosen[logoIndex])", residueNumbers: Array(range))
            canvas = MatrixPanel.grid([panel], columns: 1, size: figure.panelSize(columns: 1, default: 420),
                                      title: "second-order ISM, task \(model.taskNames[options.task])")
        }
        try outputs.write {
            if output.lowercased().hasSuffix(".npz") {
                var archive = NPZArchive()
                archive["epistasis"] = NumPyArray(eps)
                archive["norms"] = NumPyArray(norms)
                archive["index"] = NumPyArray(ints: chosen, shape: [chosen.count])
                archive["window"] = NumPyArray(ints: [range.lowerBound, range.upperBound], shape: [2])
                try archive.write(to: output, overwrite: force)
            } else {
                try NPYFormat.write(NumPyArray(eps), to: output, overwrite: force)
            }
            if let heatmap, let canvas { try figure.write(canvas, to: heatmap, overwrite: force) }
        }
        log("ism2: \(chosen.count) sequences, window \(range.lowerBound)..<\(range.upperBound) for task \(model.taskNames[options.task]) → \(output) (\(fixed(clock.seconds, 2)) s)")
        if let heatmap { wrote(heatmap) }
    }
}

struct CNNInterpretabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpretability",
        abstract: "Score attribution maps against ground-truth motif positions (synthetic data): mean per-sequence AUROC and AUPR.",
        discussion: "Importance per position: attribution × one-hot summed over bases (ISM: L2 norm over bases). Truth: positions of the task's own motifs (truth_task_* from `seqgen cnn synth`) whose generating PWM column has information content above --threshold bits; positions with 0 < information ≤ --threshold are left out (neither motif nor background), as the published scripts do. Sequences positive for the task are explained first (Koo & Ploenzke 2021)."
    )

    @OptionGroup var options: AttributionOptions

    @Option(help: "Information content (bits) above which a ground-truth position counts as motif.")
    var threshold = 0.1

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        if options.method == .ism2 { throw ValidationError("interpretability scores (N, 4, L) maps; --method ism2 is pairwise") }
        let (_, set, chosen, map) = try options.compute()
        guard let truth = set.groundTruth else { throw ValidationError("\(options.dataset): no ground truth (model_\(options.split)); interpretability needs synthetic data from `seqgen cnn synth`") }
        let positives = (0..<chosen.count).filter { set.y.scalars[$0 * set.tasks + options.task] > 0.5 }
        if set.truthTask == nil && set.tasks > 1 {
            warn("\(options.dataset): no truth_task_\(options.split) (which task each motif belongs to): every motif counts as task \(options.task)'s truth")
        }
        let score = Interpretability.score(map, x: set.x, truth: truth, owner: set.truthTask, task: options.task, sequences: positives,
                                           reduction: options.method == .ism ? .l2Norm : .observedBase, threshold: threshold)
        if json {
            JSONText.emit([("method", .string(options.method.rawValue)), ("auroc", .double(score.auroc)), ("aupr", .double(score.aupr)),
                                   ("sequences", .int(score.sequences)), ("corrected", .bool(options.correct))])
            return
        }
        print("\(options.method.rawValue)\(options.correct ? " (corrected)" : ""): interpretability AUROC \(fixed(score.auroc, 4)), AUPR \(fixed(score.aupr, 4)) over \(score.sequences) positive sequences")
    }
}
