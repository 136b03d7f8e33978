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
    case potts, pssm, gaussian, attention, ardca, lm
}

enum PSSMStyle: String, ExpressibleByArgument, CaseIterable { case pseudocount, evmutation }

/// Named bundles of fit settings.
enum FitPreset: String, ExpressibleByArgument, CaseIterable {
    /// EVmutation's Potts fit (plmc with EVcouplings' settings, `-g`): gaps as missing data, sequences
    /// with non-standard letters dropped, plmc's stopping rule ‖∇F‖ ≤ 10⁻³·max(1, ‖θ‖) within 100
    /// iterations and L-BFGS history 6 (liblbfgs's), weights at 80% identity, λ_h 0.01, λ_J 0.2·(L−1).
    case evmutation
}

struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a model to an alignment and save it as .npz.",
        discussion: """
        potts: pseudolikelihood with L-BFGS (plmc/EVcouplings defaults: weights at 80% identity, \
        λ_h = 0.01, λ_J = 0.2·(L−1) per pair, gaps as missing data). pssm: weighted site-independent frequencies. \
        gaussian: multivariate Gaussian over one-hot features, precision (C + λI)⁻¹ by Cholesky. \
        attention: a single layer of factored attention (couplings Σ_h A^h V_h), trained with Adam. \
        ardca: autoregressive DCA (one weighted logistic regression per column, L-BFGS, threaded; \
        ArDCA.jl defaults λ_J = 0.01, λ_h = 0.01, entropic --order).
        """
    )

    @Argument(help: "Alignment file (A3M, A2M, FASTA, Stockholm, .aln; gzipped too).")
    var alignment: String

    @Option(name: .shortAndLong, help: "Output model file (.npz).")
    var output: String?

    @Option(help: "Model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var model = ModelKind.potts

    @Option(help: "Settings preset: evmutation (plmc -g with EVcouplings' settings: gaps as missing data, --drop-nonstandard, --gradient-tolerance 1e-3 --tolerance 0, --lbfgs-memory 6). Explicit options still apply.")
    var preset: FitPreset?

    @Flag(inversion: .prefixedNo, help: "Potts: gaps as missing data (plmc -g; the default): 20 states, no term at gapped sites, gaps add nothing to other sites' conditionals. --no-gaps-as-missing: the gap is a 21st state.")
    var gapsAsMissing: Bool?

    @OptionGroup var input: AlignmentOptions

    @Option(help: "Identity threshold for sequence weights (0.8 = θ 0.2; 1 = no weighting).")
    var identity = 0.8

    @Option(help: "Identity definition for weights: plmc (default), plmc-inclusive (plmc's own ≥ rule; evmutation preset) or deepsequence.")
    var weighting: SequenceWeights.Identity?

    @Option(name: .customLong("lambda-h"), help: "L2 penalty on fields.")
    var lambdaH: Float = 0.01

    @Option(name: .customLong("lambda-j"), help: "L2 penalty on each coupling pair (default 0.2·(L−1)).")
    var lambdaJ: Float?

    @Option(help: "Maximum L-BFGS iterations.")
    var maxIterations = 100

    @Option(help: "Stop when the last --tolerance-window iterations improved the objective by less than this relative amount (0 = off; default 1e-4, evmutation preset 0).")
    var tolerance: Double?

    @Option(help: "Potts: apply --tolerance to the decrease over this many iterations (default 5; evmutation preset 1, where --tolerance is 0).")
    var toleranceWindow: Int?

    @Option(help: "Stop when ‖∇F‖ ≤ this · max(1, ‖θ‖) (plmc's rule; default 1e-6, evmutation preset 1e-3).")
    var gradientTolerance: Float?

    @Option(help: "L-BFGS history size (pairs of vectors kept; default 5, evmutation preset 6).")
    var lbfgsMemory: Int?

    @Option(help: "PSSM pseudocount fraction λ: f = (1 − λ)·f_observed + λ/q (default: chosen per alignment by cross-validation, see --cross-validate).")
    var pseudocountFraction: Double?

    @Option(help: "PSSM: folds K of the cross-validation that chooses λ among 0.01, 0.05, 0.1, 0.25, 0.5 by the weighted held-out log-likelihood of the alignment (no DMS used; default 5).")
    var crossValidate: Int?

    @Option(help: "PSSM estimator: pseudocount (seqgen's, 21 states) or evmutation (EVmutation's independent model: gaps as missing, MAP fields with λ_h = --lambda-h).")
    var pssmStyle = PSSMStyle.pseudocount

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

    @Flag(help: "Print the fit's memory estimate as JSON (bytes; what a cluster job should request) and exit without fitting.")
    var estimateMemory = false

    @OptionGroup(title: "Figure size") var figure: FigureOptions

    @OptionGroup(title: "Language model (--model lm: unaligned sequences, or any alignment with its gaps removed)") var lm: LanguageModelOptions

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        try runtime.apply()
        if estimateMemory && model == .lm { throw ValidationError("--estimate-memory is not modelled for --model lm (a default model needs well under 1 GB)") }
        if estimateMemory { return try printMemoryEstimate() }
        let output = self.output!
        let outputs = try declareOutputs(force: force, output, curve)
        if checkpointing.checkpointEvery > 0 || checkpointing.checkpoint != nil { try outputs.checkDirectory(of: checkpointPath) }
        if model == .lm { return try fitLanguageModel(outputs, output: output) }
        if model == .potts || model == .attention { Interrupt.install() }
        var history: [(Double, Double)] = []
        let clock = Stopwatch()
        let evmutation = preset == .evmutation
        if evmutation && model != .potts { throw ValidationError("--preset evmutation is a Potts fit; drop --model \(model.rawValue)") }
        if gapsAsMissing != nil && model != .potts { throw ValidationError("--gaps-as-missing is a Potts option") }
        if evmutation && gapsAsMissing == false { throw ValidationError("--preset evmutation treats gaps as missing data; drop --no-gaps-as-missing") }
        let tolerance = self.tolerance ?? (evmutation ? 0 : 1e-4)
        let gradientTolerance = self.gradientTolerance ?? (evmutation ? 1e-3 : 1e-6)
        let lbfgsMemory = self.lbfgsMemory ?? (evmutation ? 6 : 5)
        let toleranceWindow = self.toleranceWindow ?? (evmutation ? 1 : 5)
        let gapsAsMissing = self.gapsAsMissing ?? true
        guard tolerance >= 0, gradientTolerance >= 0, lbfgsMemory >= 1, toleranceWindow >= 1 else { throw ValidationError("--tolerance and --gradient-tolerance must be ≥ 0, --lbfgs-memory and --tolerance-window ≥ 1") }
        var input = self.input
        if evmutation { input.dropNonstandard = true }
        let msa = try input.read(alignment)
        if model == .potts { try PottsFit.check(msa) }
        guard msa.count >= 1 else { throw ValidationError("\(alignment): no sequences") }
        let weighting = self.weighting ?? (evmutation ? .plmcInclusive : .plmc)
        // O(N²·L): seconds for tens of thousands of sequences, so it shows progress too.
        nonisolated(unsafe) let weightBar = ProgressBar("weights", total: 1000, quiet: runtime.quiet)
        let weights = SequenceWeights.compute(msa, identity: identity, definition: weighting, progress: { weightBar.update(Int($0 * 1000)) })
        weightBar.finish()
        let neff = SequenceWeights.effectiveCount(weights)
        log("\(msa.count) sequences × \(msa.length) columns, Neff \(fixed(neff, 1)) (\(fixed(clock.seconds, 2)) s)")
        var meta: [(String, ModelArchive.MetaValue)] = [("sequences", .integer(msa.count)), ("neff", .real(neff)), ("identity_threshold", .real(identity)),
                                                        ("threads", .integer(Parallel.threadCount))]
        let archive: ModelArchive
        switch model {
        case .lm: return      // fitted by fitLanguageModel above
        case .pssm:
            if let lambda = pseudocountFraction, !(lambda >= 0 && lambda < 1) { throw ValidationError("--pseudocount-fraction must be in [0, 1)") }
            if let k = crossValidate, !(k >= 2 && k <= msa.count) { throw ValidationError("--cross-validate needs 2 ≤ K ≤ \(msa.count) (the number of sequences)") }
            var lambda = pseudocountFraction ?? 0.25          // one sequence: no cross-validation possible
            if (pseudocountFraction == nil || crossValidate != nil) && msa.count >= 2 {
                let k = crossValidate ?? Swift.min(5, msa.count)
                let candidates = [0.01, 0.05, 0.1, 0.25, 0.5]
                let cv = PSSMCrossValidation.best(msa, weights: weights, folds: k, candidates: candidates)
                log("cross-validation: \(k)-fold held-out log-likelihood per sequence: "
                    + zip(candidates, cv.scores).map { "λ \($0.0): \(fixed($0.1, 3))" }.joined(separator: ", ") + "; best λ \(cv.best)")
                if pseudocountFraction == nil { lambda = cv.best }
            }
            if pssmStyle == .evmutation {
                let pssm = PSSM.evmutationIndependent(msa, weights: weights, lambdaFields: Double(lambdaH))
                meta += [("lambda_h", .real(Double(lambdaH))), ("gaps_as_missing", .integer(1))]
                archive = ModelArchive(modelType: "pssm", alphabet: msa.alphabet, fields: pssm.fields, couplings: nil,
                                       focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                       residueNumbers: msa.residueNumbers, metadata: meta)
                break
            }
            let pssm = PSSM(msa, weights: weights, pseudocountFraction: lambda)
            meta += [("pseudocount", .real(pssm.pseudocount)), ("pseudocount_fraction", .real(lambda))]
            archive = ModelArchive(modelType: "pssm", alphabet: msa.alphabet, fields: pssm.fields, couplings: nil,
                                   focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                   residueNumbers: msa.residueNumbers, metadata: meta)
        case .gaussian:
            let d = msa.length * (msa.alphabet.size - 1)
            try checkMemory(MultivariateGaussian.memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size),
                            what: "D = \(d) features", hint: "the covariance is D × D: drop gappy columns (--max-col-gaps 0.5) or fit a sub-region")
            let mg = try MultivariateGaussian(msa, weights: weights, shrinkage: shrinkage)
            let potts = mg.pottsModel()
            meta.append(("shrinkage", .real(mg.shrinkage)))
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
            var forecast = ConvergenceForecast(tolerance: fitter.relativeTolerance, span: optimizer == .adam ? 20 : 1, window: 10)
            let saver = CheckpointSaver(path: checkpointPath, every: checkpointing.checkpointEvery)
            let result = fitter.fit(msa, weights: weights, resume: saved, progress: { step, f in
                forecast.record(f)
                bar.update(step, status: "F \(fixed(f, 2))", remaining: forecast.remainingIterations)
                history.append((Double(step), f))
                return saver.failure == nil && Interrupt.signal == nil
            }, checkpoint: { step, state in
                saver.save(step) { Checkpoint(fingerprint: fingerprint, attention: state()) }
            })
            bar.finish()
            for b in result.backoffs { warn("\(b)") }
            if optimizer == .adam, result.failure == nil, result.steps >= steps, history.count > 20 {
                let last = history[history.count - 1].1, before = history[history.count - 21].1
                let gain = (before - last) / Swift.abs(last)
                if gain > fitter.relativeTolerance {
                    warn("adam stopped at --steps \(steps) while still improving: the objective fell \(fixed(gain * 100, 3))% over the last 20 steps (it stops by itself below \(fixed(fitter.relativeTolerance * 100, 3))%); raise --steps for a converged fit")
                }
            }
            try saver.finish(at: result.steps)
            if let failure = result.failure { throw ValidationError("\(alignment): \(failure); fit stopped, no model written (try --on-non-finite backoff or a smaller --learning-rate)") }
            let potts = result.model.pottsModel(alphabet: msa.alphabet)
            log("\(optimizer.rawValue): \(result.steps) steps, objective \(fixed(result.objective, 3))")
            meta += [("heads", .integer(heads)), ("head_dim", .integer(headDim)), ("learning_rate", .real(Double(learningRate))),
                     ("steps", .integer(result.steps)), ("objective", .real(result.objective)), ("seed", .integer(Int(truncatingIfNeeded: seed))),
                     ("lambda_h", .real(Double(lambdaH))), ("lambda_J", .real(Double(lambdaJ ?? 0.2 * Float(msa.length - 1))))]
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
            meta += [("lambda_h", .real(Double(lambdaH))), ("lambda_J", .real(Double(lambdaJ ?? 0.01))), ("iterations", .integer(iterations.reduce(0, +))),
                     ("objective", .real(result.objective)), ("entropic_order", .integer(order == .entropic ? 1 : 0))]
            archive = result.model.archive(focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                           residueNumbers: msa.residueNumbers, metadata: meta)
        case .potts:
            try checkMemory(PottsFit.memoryEstimate(length: msa.length, states: msa.alphabet.size, lbfgsMemory: lbfgsMemory),
                            what: "L = \(msa.length)", hint: "memory grows as L²: drop gappy columns (--max-col-gaps 0.5), fit a sub-region, or lower --lbfgs-memory")
            // The fit threads its own kernel and uses only level-1 BLAS: idle OpenBLAS workers would
            // spin (sched_yield) against our threads, so BLAS gets one thread here.
            BLASRuntime.setThreads(1)
            var fitter = PottsFit(lambdaFields: lambdaH, lambdaCouplings: lambdaJ, maxIterations: maxIterations, relativeTolerance: tolerance,
                                  gradientTolerance: gradientTolerance, memory: lbfgsMemory, gapsAsMissing: gapsAsMissing)
            fitter.toleranceWindow = toleranceWindow
            var settings = ["lambda_h": "\(lambdaH)", "lambda_J": "\(lambdaJ.map { "\($0)" } ?? "default")", "lbfgs_memory": "\(lbfgsMemory)"]
            settings["gaps"] = gapsAsMissing ? "missing" : "state"
            let fingerprint = fingerprint(msa, neff, settings)
            var saved: LBFGS.State?
            if let resume = checkpointing.resume {
                let c = try Checkpoint.read(resume)
                try c.check(kind: "potts-lbfgs", fingerprint: fingerprint, path: resume)
                saved = try c.lbfgsState(parameters: PottsFit.parameterCount(length: msa.length, states: msa.alphabet.size), path: resume)
                log("resuming from \(resume) at iteration \(saved!.iteration)")
            }
            let bar = ProgressBar("fit", total: maxIterations, quiet: runtime.quiet)
            var forecast = ConvergenceForecast(tolerance: tolerance)
            let saver = CheckpointSaver(path: checkpointPath, every: checkpointing.checkpointEvery)
            let result = fitter.fit(msa, weights: weights, resume: saved, progress: { it, f, g in
                forecast.record(f)
                bar.update(it, status: "F \(fixed(f, 2)) |g| \(fixed(Double(g), 3))", remaining: forecast.remainingIterations)
                history.append((Double(it), f))
                return saver.failure == nil && Interrupt.signal == nil
            }, checkpoint: { it, state in
                saver.save(it) { Checkpoint(kind: "potts-lbfgs", fingerprint: fingerprint, lbfgs: state()) }
            })
            bar.finish()
            try saver.finish(at: result.iterations)
            if let event = result.firstNonFinite { warn("\(event); the line search stepped back from it") }
            guard result.objective.isFinite, result.model.fields.isFinite, result.model.couplings.isFinite else {
                throw ValidationError("\(alignment): the fit ended with non-finite values (\(result.firstNonFinite ?? "objective \(result.objective)")) after \(result.iterations) iterations; no model written")
            }
            meta += [("lambda_h", .real(Double(lambdaH))), ("lambda_J", .real(Double(result.lambdaCouplings))), ("iterations", .integer(result.iterations)),
                     ("evaluations", .integer(result.evaluations)), ("objective", .real(result.objective))]
            if gapsAsMissing { meta.append(("gaps_as_missing", .integer(1))) }
            log("L-BFGS: \(result.iterations) iterations, \(result.evaluations) evaluations, stop: \(result.stop.rawValue), objective \(fixed(result.objective, 3))")
            archive = ModelArchive(modelType: "potts", alphabet: msa.alphabet, fields: result.model.fields, couplings: result.model.couplings,
                                   focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                   residueNumbers: msa.residueNumbers, metadata: meta)
        }
        try outputs.write {
            try archive.write(to: output, overwrite: force)
            if let curve {
                // The objective's distance to its best value, on a log scale: the convergence shows
                // over decades instead of as a flat line near the end.
                let xLabel = model == .potts ? "L-BFGS iteration" : "\(optimizer == .adam ? "Adam" : "L-BFGS") step"
                let best = history.map(\.1).filter(\.isFinite).min() ?? 0
                var chart = Chart(title: "\(archive.focusName): \(model.rawValue) fit", xLabel: xLabel,
                                  yLabel: "F − F_min (pseudo-NLL + penalty)",
                                  series: [.init("objective above its minimum", x: history.map(\.0), y: history.map { $0.1 - best }, style: .line, color: .blue)],
                                  note: "F_min = \(fixed(best, 2)) after \(history.count) \(model == .potts ? "iterations" : "steps")")
                chart.logY = true
                figure.apply(&chart)
                try figure.write(chart.render(), to: curve, overwrite: force)
            }
        }
        wrote(output, "(\(fixed(clock.seconds, 2)) s)")
        if let curve { wrote(curve) }
        if (model == .potts || model == .attention) && access(checkpointPath, F_OK) == 0 && (checkpointing.checkpointEvery > 0 || checkpointing.resume == checkpointPath) {
            unlink(checkpointPath)      // the fit is complete: its checkpoint is spent
        }
    }

    var checkpointPath: String { checkpointing.path(output: output ?? "") }

    /// `--estimate-memory`: the model's own estimate plus the alignment it holds, as JSON on stdout.
    func printMemoryEstimate() throws {
        let msa = try input.read(alignment)
        let (n, l, q) = (msa.count, msa.length, msa.alphabet.size)
        let fit: Int
        switch model {
        case .pssm: fit = 8 * n + 8 * l * q
        case .gaussian: fit = MultivariateGaussian.memoryEstimate(sequences: n, length: l, states: q)
        case .attention: fit = AttentionFit.memoryEstimate(length: l, states: q, heads: heads, headDimension: headDim)
        case .potts: fit = PottsFit.memoryEstimate(length: l, states: q, lbfgsMemory: lbfgsMemory ?? (preset == .evmutation ? 6 : 5))
        case .ardca: fit = ArDCAFit.memoryEstimate(sequences: n, length: l, states: q, memory: 10, workers: Parallel.threadCount)
        case .lm: fit = 0       // refused above: the LM estimate is not modelled
        }
        let bytes = fit + n * l + 8 * n
        JSONText.emit([("model", .string(model.rawValue)), ("sequences", .int(n)), ("columns", .int(l)),
                       ("states", .int(q)), ("bytes", .int(bytes)), ("available", SystemMemory.available().map { .int($0) } ?? .null)])
    }

    /// Everything that determines the fit's trajectory; a checkpoint only resumes a run with the
    /// same fingerprint.
    func fingerprint(_ msa: MultipleSequenceAlignment, _ neff: Double, _ settings: [String: String]) -> String {
        let common = ["model": model.rawValue, "sequences": "\(msa.count)", "columns": "\(msa.length)", "neff": fixed(neff, 4),
                      "focus": msa.names[msa.focus], "identity": "\(identity)", "weighting": (weighting ?? (preset == .evmutation ? .plmcInclusive : .plmc)).rawValue,
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
