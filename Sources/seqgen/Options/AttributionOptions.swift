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

    @Option(parsing: .unconditional, help: "Task (output) index to explain.")
    var task = 0

    @Option(help: "Split: train, valid or test.")
    var split = "test"

    @Option(parsing: .unconditional, help: "Explain at most this many sequences (positives for the task first).")
    var count = 500

    @Flag(help: "Saliency-type maps: subtract each position's mean over bases (gradient correction).")
    var correct = false

    @Option(help: "Integrated gradients / GradientSHAP / DeepLIFT / DeepSHAP reference: zeros, shuffled or dinucleotide.")
    var baseline = Attributor.Baseline.dinucleotide

    @Option(parsing: .unconditional, help: "Integrated gradients: midpoint-rule steps of the path integral (one forward and backward pass each; the completeness error Σ IG − Δf shrinks as the steps grow).")
    var steps = 50

    @Option(parsing: .unconditional, help: "SmoothGrad: noise standard deviation (the samples: --samples).")
    var noise: Float = 0.1

    @Option(parsing: .unconditional, help: "SmoothGrad samples / GradientSHAP draws (a reference and a point on the path each) / DeepSHAP references.")
    var samples = 25

    @Option(parsing: .unconditional, help: "Seed for references and noise.")
    var seed: UInt64 = 0

    @Option(help: "Explain the task's logit (default) or its sigmoid probability.")
    var explain = Attributor.Output.logit

    @Flag(help: "DeepLIFT / DeepSHAP: write hypothetical contributions (TF-MoDISco's hyp_scores: per position m_b − ⟨x′, m⟩, what each base would contribute) instead of (x − x′) ⊙ m; times the one-hot sequence they give the same totals per position.")
    var hypothetical = false

    @Option(help: "ism2: window START-END (0-based, end exclusive; default the whole sequence up to 60 bp, else the central 50).")
    var window: String?

    /// The ism2 window over sequences of `length` bp.
    func ism2Window(length: Int) throws -> Range<Int> {
        guard let window else { return length <= 60 ? 0..<length : (length / 2 - 25)..<(length / 2 + 25) }
        return try positions("--window", window, length: length)
    }

    /// Second-order ISM of the chosen sequences: (model, indices in the split, per-sequence results).
    func secondOrder() throws -> (CNNModel, [Int], [SecondOrderMutagenesis]) {
        try runtime.apply(ownThreading: true)
        let m = try CNNModel.read(model)
        let (_, set) = try input.read(dataset, split: split, objective: m.objective)
        let run = try AttributionRun.secondOrder(model: m, set: set, dataset: dataset, settings: settings,
                                                 window: try ism2Window(length: set.length), quiet: runtime.quiet)
        return (m, run.chosen, run.results)
    }

    /// The options as library settings.
    var settings: AttributionRun.Settings {
        var s = AttributionRun.Settings(method: method)
        s.task = task; s.count = count; s.correct = correct; s.baseline = baseline; s.steps = steps
        s.noise = noise; s.samples = samples; s.seed = seed; s.output = explain; s.hypothetical = hypothetical
        return s
    }

    /// Reads the model and the split and explains the chosen sequences.
    func compute() throws -> AttributionRun {
        try runtime.apply(ownThreading: true)
        let m = try CNNModel.read(model)
        if (method == .deeplift || method == .deepshap) && m.architecture.hasAttention {
            warn("\(model) has self-attention layers: their products and softmax pass gradients, not DeepLIFT's rescale multipliers, so the maps need not sum to f(x) − f(x′) (integrated gradients do, as the steps grow)")
        }
        let (_, set) = try input.read(dataset, split: split, objective: m.objective)
        return try AttributionRun(model: m, set: set, dataset: dataset, settings: settings, quiet: runtime.quiet)
    }
}
