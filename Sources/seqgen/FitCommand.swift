import ArgumentParser
import Sequences
import Potts
import Console
import Tensors
import Gaussian
import Attention
import NumPyIO
import Figures

extension AttentionFit.Optimizer: ExpressibleByArgument {}

enum ModelKind: String, ExpressibleByArgument, CaseIterable {
    case potts, pssm, gaussian, attention
}

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a model to an alignment and save it as .npz.",
        discussion: """
        potts: pseudolikelihood with L-BFGS (CCMpred/plmc defaults: weights at 80% identity, \
        λ_h = 0.01, λ_J = 0.2·(L−1) per pair). pssm: weighted site-independent frequencies. \
        gaussian: multivariate Gaussian over one-hot features, precision (C + λI)⁻¹ by Cholesky. \
        attention: a single layer of factored attention (couplings Σ_h A^h V_h), trained with Adam.
        """
    )

    @Argument(help: "Alignment file (A3M, A2M, FASTA, Stockholm, .aln; gzipped too).")
    var alignment: String

    @Option(name: .shortAndLong, help: "Output model file (.npz).")
    var output: String

    @Option(help: "Model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model = ModelKind.potts

    @OptionGroup var input: AlignmentOptions

    @Option(help: "Identity threshold for sequence weights (0.8 = θ 0.2; 1 = no weighting).")
    var identity = 0.8

    @Option(help: "Identity definition for weights: plmc or deepsequence.")
    var weighting = SequenceWeights.Identity.plmc

    @Option(name: .customLong("lambda-h"), help: "L2 penalty on fields.")
    var lambdaH: Float = 0.01

    @Option(name: .customLong("lambda-j"), help: "L2 penalty on each coupling pair (default 0.2·(L−1)).")
    var lambdaJ: Float?

    @Option(help: "Maximum L-BFGS iterations.")
    var maxIterations = 100

    @Option(help: "Stop when an iteration improves the objective by less than this relative amount.")
    var tolerance = 1e-4

    @Option(help: "L-BFGS history size (pairs of vectors kept).")
    var lbfgsMemory = 5

    @Option(help: "PSSM pseudocount fraction λ: f = (1 − λ)·f_observed + λ/q.")
    var pseudocountFraction = 0.25

    @Option(help: "Gaussian: shrinkage λ added to the covariance diagonal (default 4.5/√Neff).")
    var shrinkage: Double?

    @Option(help: "Attention: heads H.")
    var heads = 64

    @Option(help: "Attention: query/key dimension d.")
    var headDim = 64

    @Option(help: "Attention: Adam learning rate.")
    var learningRate: Float = 0.02

    @Option(help: "Attention: maximum optimizer steps (full batch).")
    var steps = 800

    @Option(help: "Attention: standard deviation of the initial value matrices.")
    var valueScale: Float = 0.1

    @Option(help: "Attention: optimizer, adam (as in the paper) or lbfgs.")
    var optimizer = AttentionFit.Optimizer.adam

    @Option(help: "Random seed for initialisation (same seed, same model).")
    var seed: UInt64 = 0

    @Option(help: "Potts/attention: write the training curve (objective per iteration) to this PNG or SVG.")
    var curve: String?

    @Flag(help: "Overwrite existing output files.")
    var force = false

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        try runtime.apply()
        try refuseExisting(output, force: force)
        if let curve {
            guard model == .potts || model == .attention else { throw ValidationError("--curve needs an iterative model (potts or attention); \(model.rawValue) is fitted in closed form") }
            try refuseExisting(curve, force: force)
        }
        var history: [(Double, Double)] = []
        let clock = Stopwatch()
        let msa = try input.read(alignment)
        if model == .potts { try PottsFit.check(msa) }
        guard msa.count >= 1 else { throw ValidationError("\(alignment): no sequences") }
        let weights = SequenceWeights.compute(msa, identity: identity, definition: weighting)
        let neff = SequenceWeights.effectiveCount(weights)
        log("\(msa.count) sequences × \(msa.length) columns, Neff \(fixed(neff, 1)) (\(fixed(clock.seconds, 2)) s)")
        var meta: [(String, Double)] = [("sequences", Double(msa.count)), ("neff", neff), ("identity_threshold", identity),
                                        ("threads", Double(Parallel.threadCount))]
        let archive: ModelArchive
        switch model {
        case .pssm:
            guard pseudocountFraction >= 0 && pseudocountFraction < 1 else { throw ValidationError("--pseudocount-fraction must be in [0, 1)") }
            let pssm = PSSM(msa, weights: weights, pseudocountFraction: pseudocountFraction)
            meta += [("pseudocount", pssm.pseudocount), ("pseudocount_fraction", pseudocountFraction)]
            archive = ModelArchive(modelType: "pssm", alphabet: msa.alphabet, fields: pssm.fields, couplings: nil,
                                   focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                   residueNumbers: msa.residueNumbers, metadata: meta)
        case .gaussian:
            let d = msa.length * (msa.alphabet.size - 1)
            let q = msa.alphabet.size
            let bytes: Int = d * d * 12 + msa.count * d * 4 + msa.length * msa.length * q * q * 4
            log("memory estimate: \(fixed(Double(bytes) / 1e9, 2)) GB (D = \(d) features)")
            let mg = try MultivariateGaussian(msa, weights: weights, shrinkage: shrinkage)
            let potts = mg.pottsModel()
            meta.append(("shrinkage", mg.shrinkage))
            var a = ModelArchive(modelType: "gaussian", alphabet: msa.alphabet, fields: potts.fields, couplings: potts.couplings,
                                 focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                 residueNumbers: msa.residueNumbers, metadata: meta)
            a.extras = [("mu", NumPyArray(doubles: mg.mean, shape: [msa.length, msa.alphabet.size - 1])),
                        ("precision_diagonal", NumPyArray(doubles: mg.precisionDiagonal, shape: [msa.length, msa.alphabet.size - 1]))]
            log("Gaussian: D = \(d) features, λ = \(fixed(mg.shrinkage, 4)), fitted in \(fixed(clock.seconds, 2)) s")
            archive = a
        case .attention:
            try PottsFit.check(msa)
            BLASRuntime.setThreads(1)
            var fitter = AttentionFit(heads: heads, headDimension: headDim, learningRate: learningRate, steps: steps, seed: seed)
            fitter.lambdaFields = lambdaH; fitter.lambdaCouplings = lambdaJ; fitter.optimizer = optimizer; fitter.valueScale = valueScale
            let bar = ProgressBar("attention", total: steps, quiet: runtime.quiet)
            var failure: String?
            let result = fitter.fit(msa, weights: weights) { step, f in
                bar.update(step, status: "F \(fixed(f, 2))")
                history.append((Double(step), f))
                if !f.isFinite { failure = "objective became non-finite at step \(step)"; return false }
                return true
            }
            bar.finish()
            if let failure { throw ValidationError("\(alignment): \(failure); no model written") }
            let potts = result.model.pottsModel(alphabet: msa.alphabet)
            log("\(optimizer.rawValue): \(result.steps) steps, objective \(fixed(result.objective, 3))")
            meta += [("heads", Double(heads)), ("head_dim", Double(headDim)), ("learning_rate", Double(learningRate)),
                     ("steps", Double(result.steps)), ("objective", result.objective), ("seed", Double(seed)),
                     ("lambda_h", Double(lambdaH)), ("lambda_J", Double(lambdaJ ?? 0.2 * Float(msa.length - 1)))]
            var a = ModelArchive(modelType: "attention", alphabet: msa.alphabet, fields: potts.fields, couplings: potts.couplings,
                                 focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                 residueNumbers: msa.residueNumbers, metadata: meta)
            a.extras = [("attention", NumPyArray(result.model.symmetricAttention())), ("value", NumPyArray(result.model.value.value))]
            archive = a
        case .potts:
            let bytes = PottsFit.memoryEstimate(length: msa.length, states: msa.alphabet.size, lbfgsMemory: lbfgsMemory)
            log("memory estimate: \(fixed(Double(bytes) / 1e9, 2)) GB")
            // The fit threads its own kernel and uses only level-1 BLAS: idle OpenBLAS workers would
            // spin (sched_yield) against our threads, so BLAS gets one thread here.
            BLASRuntime.setThreads(1)
            let bar = ProgressBar("fit", total: maxIterations, quiet: runtime.quiet)
            let fitter = PottsFit(lambdaFields: lambdaH, lambdaCouplings: lambdaJ, maxIterations: maxIterations, relativeTolerance: tolerance, memory: lbfgsMemory)
            var failure: String?
            let result = fitter.fit(msa, weights: weights) { it, f, g in
                bar.update(it, status: "F \(fixed(f, 2)) |g| \(fixed(Double(g), 3))")
                history.append((Double(it), f))
                if !f.isFinite || !g.isFinite { failure = "objective became non-finite at iteration \(it)"; return false }
                return true
            }
            bar.finish()
            if let failure { throw ValidationError("\(alignment): \(failure); no model written") }
            meta += [("lambda_h", Double(lambdaH)), ("lambda_J", Double(result.lambdaCouplings)), ("iterations", Double(result.iterations)),
                     ("evaluations", Double(result.evaluations)), ("objective", result.objective)]
            log("L-BFGS: \(result.iterations) iterations, \(result.evaluations) evaluations, stop: \(result.stop.rawValue), objective \(fixed(result.objective, 3))")
            archive = ModelArchive(modelType: "potts", alphabet: msa.alphabet, fields: result.model.fields, couplings: result.model.couplings,
                                   focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                   residueNumbers: msa.residueNumbers, metadata: meta)
        }
        try archive.write(to: output, overwrite: force)
        log("wrote \(output) (\(fixed(clock.seconds, 2)) s)")
        if let curve {
            let xLabel = model == .potts ? "L-BFGS ITERATION" : "\(optimizer == .adam ? "ADAM" : "L-BFGS") STEP"
            let chart = Chart(title: "\(archive.focusName.uppercased())  \(model.rawValue.uppercased()) FIT", xLabel: xLabel,
                              yLabel: "PSEUDO-NLL + PENALTY",
                              series: [.init("TRAINING OBJECTIVE", x: history.map(\.0), y: history.map(\.1), style: .line, color: .blue)],
                              note: "FINAL \(fixed(history.last?.1 ?? .nan, 2))")
            try chart.render().write(to: curve, overwrite: force)
            log("wrote \(curve)")
        }
    }
}

