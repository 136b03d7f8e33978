import ArgumentParser
import Sequences
import Potts
import Console
import Tensors
import Gaussian
import Attention
import NumPyIO
import Figures
import Optimizers
import ArDCA
#if canImport(Glibc)
import Glibc
#endif

extension AttentionFit.Optimizer: ExpressibleByArgument {}
extension AttentionFit.NonFinitePolicy: ExpressibleByArgument {}
extension ArDCAFit.Ordering: ExpressibleByArgument {}

enum ModelKind: String, ExpressibleByArgument, CaseIterable {
    case potts, pssm, gaussian, attention, ardca
}

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a model to an alignment and save it as .npz.",
        discussion: """
        potts: pseudolikelihood with L-BFGS (CCMpred/plmc defaults: weights at 80% identity, \
        λ_h = 0.01, λ_J = 0.2·(L−1) per pair). pssm: weighted site-independent frequencies. \
        gaussian: multivariate Gaussian over one-hot features, precision (C + λI)⁻¹ by Cholesky. \
        attention: a single layer of factored attention (couplings Σ_h A^h V_h), trained with Adam. \
        ardca: autoregressive DCA (one weighted logistic regression per column, L-BFGS, threaded; \
        ArDCA.jl defaults λ_J = 0.01, λ_h = 0.01, entropic --order).
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

    @Option(help: "ArDCA: column order, entropic (most conserved first) or natural.")
    var order = ArDCAFit.Ordering.entropic

    @Option(help: "Random seed for initialisation (same seed, same model).")
    var seed: UInt64 = 0

    @Option(help: "Attention: on a non-finite loss or gradient, stop (default) or back off (restore the last finite step, halve the learning rate; at most 5 times).")
    var onNonFinite = AttentionFit.NonFinitePolicy.stop

    @Option(help: "Potts/attention: write the training curve (objective per iteration) to this PNG or SVG.")
    var curve: String?

    @OptionGroup(title: "Checkpoints (Potts and attention)") var checkpointing: CheckpointOptions

    @Flag(help: "Fit even when the memory estimate exceeds the memory available.")
    var noMemoryCheck = false

    @Flag(help: "Overwrite existing output files.")
    var force = false

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        try runtime.apply()
        try refuseExisting(output, force: force)
        if checkpointing.checkpointEvery < 0 { throw ValidationError("--checkpoint-every must be 0 or more") }
        if (checkpointing.resume != nil || checkpointing.checkpointEvery > 0 || checkpointing.checkpoint != nil) && !(model == .potts || model == .attention) {
            throw ValidationError("checkpoints are for iterative fits (potts, attention); \(model.rawValue) is fitted in closed form")
        }
        if model == .potts || model == .attention { Interrupt.install() }
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
            try checkMemory(MultivariateGaussian.memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size),
                            what: "D = \(d) features", hint: "the covariance is D × D: drop gappy columns (--max-col-gaps 0.5) or fit a sub-region")
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
            try checkMemory(AttentionFit.memoryEstimate(length: msa.length, states: msa.alphabet.size, heads: heads, headDimension: headDim),
                            what: "H = \(heads), d = \(headDim)", hint: "fewer heads (--heads 32) or a sub-region")
            var fitter = AttentionFit(heads: heads, headDimension: headDim, learningRate: learningRate, steps: steps, seed: seed)
            fitter.lambdaFields = lambdaH; fitter.lambdaCouplings = lambdaJ; fitter.optimizer = optimizer; fitter.valueScale = valueScale
            fitter.onNonFinite = onNonFinite
            let fingerprint = fingerprint(msa, neff, ["heads": "\(heads)", "head_dim": "\(headDim)", "learning_rate": "\(learningRate)",
                                                      "value_scale": "\(valueScale)", "seed": "\(seed)", "optimizer": optimizer.rawValue])
            let shapes = [[heads, msa.length, headDim], [heads, msa.length, headDim], [heads, msa.alphabet.size, msa.alphabet.size], [msa.length, msa.alphabet.size]]
            var saved: AttentionFit.State?
            if let resume = checkpointing.resume {
                let c = try Checkpoint.read(resume)
                try c.check(kind: Checkpoint.attentionKind(optimizer), fingerprint: fingerprint, path: resume)
                saved = try c.attentionState(shapes: shapes, path: resume)
                log("resuming from \(resume)")
            }
            let bar = ProgressBar("attention", total: steps, quiet: runtime.quiet)
            let saver = CheckpointSaver(path: checkpointPath, every: checkpointing.checkpointEvery)
            let result = fitter.fit(msa, weights: weights, resume: saved, progress: { step, f in
                bar.update(step, status: "F \(fixed(f, 2))")
                history.append((Double(step), f))
                return saver.failure == nil && Interrupt.signal == nil
            }, checkpoint: { step, state in
                saver.save(step) { Checkpoint(fingerprint: fingerprint, attention: state()) }
            })
            bar.finish()
            for b in result.backoffs { log("warning: \(b)") }
            try saver.finish(at: result.steps)
            if let failure = result.failure { throw ValidationError("\(alignment): \(failure); fit stopped, no model written (try --on-non-finite backoff or a smaller --learning-rate)") }
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
        case .ardca:
            try PottsFit.check(msa)
            BLASRuntime.setThreads(1)
            try checkMemory(ArDCAFit.memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size, memory: 10, workers: Parallel.threadCount),
                            what: "L = \(msa.length)", hint: "drop gappy columns (--max-col-gaps 0.5) or fit a sub-region")
            let fitter = ArDCAFit(lambdaCouplings: lambdaJ ?? 0.01, lambdaFields: lambdaH, ordering: order,
                                  maxIterations: maxIterations, relativeTolerance: tolerance)
            let bar = ProgressBar("ardca", total: msa.length, quiet: runtime.quiet)
            let result = fitter.fit(msa, weights: weights) { done in bar.update(done) }
            bar.finish()
            if let bad = result.nonFinite { throw ValidationError("\(alignment): the fit ended with non-finite values at \(bad); no model written") }
            let iterations = result.sites.map(\.iterations)
            log("ardca: \(msa.length) regressions (\(order.rawValue) order), \(iterations.reduce(0, +)) L-BFGS iterations (max \(iterations.max() ?? 0) per site), objective \(fixed(result.objective, 3)) nats/sequence")
            meta += [("lambda_h", Double(lambdaH)), ("lambda_J", Double(lambdaJ ?? 0.01)), ("iterations", Double(iterations.reduce(0, +))),
                     ("objective", result.objective), ("entropic_order", order == .entropic ? 1 : 0)]
            archive = result.model.archive(focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                           residueNumbers: msa.residueNumbers, metadata: meta)
        case .potts:
            try checkMemory(PottsFit.memoryEstimate(length: msa.length, states: msa.alphabet.size, lbfgsMemory: lbfgsMemory),
                            what: "L = \(msa.length)", hint: "memory grows as L²: drop gappy columns (--max-col-gaps 0.5), fit a sub-region, or lower --lbfgs-memory")
            // The fit threads its own kernel and uses only level-1 BLAS: idle OpenBLAS workers would
            // spin (sched_yield) against our threads, so BLAS gets one thread here.
            BLASRuntime.setThreads(1)
            let fitter = PottsFit(lambdaFields: lambdaH, lambdaCouplings: lambdaJ, maxIterations: maxIterations, relativeTolerance: tolerance, memory: lbfgsMemory)
            let fingerprint = fingerprint(msa, neff, ["lambda_h": "\(lambdaH)", "lambda_J": "\(lambdaJ.map { "\($0)" } ?? "default")", "lbfgs_memory": "\(lbfgsMemory)"])
            var saved: LBFGS.State?
            if let resume = checkpointing.resume {
                let c = try Checkpoint.read(resume)
                try c.check(kind: "potts-lbfgs", fingerprint: fingerprint, path: resume)
                saved = try c.lbfgsState(parameters: PottsFit.parameterCount(length: msa.length, states: msa.alphabet.size), path: resume)
                log("resuming from \(resume) at iteration \(saved!.iteration)")
            }
            let bar = ProgressBar("fit", total: maxIterations, quiet: runtime.quiet)
            let saver = CheckpointSaver(path: checkpointPath, every: checkpointing.checkpointEvery)
            let result = fitter.fit(msa, weights: weights, resume: saved, progress: { it, f, g in
                bar.update(it, status: "F \(fixed(f, 2)) |g| \(fixed(Double(g), 3))")
                history.append((Double(it), f))
                return saver.failure == nil && Interrupt.signal == nil
            }, checkpoint: { it, state in
                saver.save(it) { Checkpoint(kind: "potts-lbfgs", fingerprint: fingerprint, lbfgs: state()) }
            })
            bar.finish()
            try saver.finish(at: result.iterations)
            if let event = result.firstNonFinite { log("warning: \(event); the line search stepped back from it") }
            guard result.objective.isFinite, result.model.fields.isFinite, result.model.couplings.isFinite else {
                throw ValidationError("\(alignment): the fit ended with non-finite values (\(result.firstNonFinite ?? "objective \(result.objective)")) after \(result.iterations) iterations; no model written")
            }
            meta += [("lambda_h", Double(lambdaH)), ("lambda_J", Double(result.lambdaCouplings)), ("iterations", Double(result.iterations)),
                     ("evaluations", Double(result.evaluations)), ("objective", result.objective)]
            log("L-BFGS: \(result.iterations) iterations, \(result.evaluations) evaluations, stop: \(result.stop.rawValue), objective \(fixed(result.objective, 3))")
            archive = ModelArchive(modelType: "potts", alphabet: msa.alphabet, fields: result.model.fields, couplings: result.model.couplings,
                                   focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                   residueNumbers: msa.residueNumbers, metadata: meta)
        }
        try archive.write(to: output, overwrite: force)
        log("wrote \(output) (\(fixed(clock.seconds, 2)) s)")
        if (model == .potts || model == .attention) && access(checkpointPath, F_OK) == 0 && (checkpointing.checkpointEvery > 0 || checkpointing.resume == checkpointPath) {
            unlink(checkpointPath)      // the fit is complete: its checkpoint is spent
        }
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

    var checkpointPath: String { checkpointing.path(output: output) }

    /// Everything that determines the fit's trajectory; a checkpoint only resumes a run with the
    /// same fingerprint.
    func fingerprint(_ msa: MultipleSequenceAlignment, _ neff: Double, _ settings: [String: String]) -> String {
        let common = ["model": model.rawValue, "sequences": "\(msa.count)", "columns": "\(msa.length)", "neff": fixed(neff, 4),
                      "focus": msa.names[msa.focus], "identity": "\(identity)", "weighting": weighting.rawValue,
                      "threads": "\(Parallel.threadCount)"]
        return common.merging(settings) { a, _ in a }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// Prints the estimate, and refuses (with a hint) when it exceeds the memory available.
    func checkMemory(_ bytes: Int, what: String, hint: String) throws {
        let available = SystemMemory.available()
        log("memory estimate: \(SystemMemory.describe(bytes)) (\(what))" + (available.map { "; available \(SystemMemory.describe($0))" } ?? ""))
        if let available, bytes > available, !noMemoryCheck {
            throw ValidationError("\(alignment): this fit needs about \(SystemMemory.describe(bytes)) but \(SystemMemory.describe(available)) is available; \(hint) (or pass --no-memory-check)")
        }
    }
}
