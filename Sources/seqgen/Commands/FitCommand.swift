import ArgumentParser
import Archive
import Attention
import ArDCA
import Console
import Figures
import Pipelines
import Potts
import Sequences
import LanguageModel

extension AttentionFit.Optimizer: ExpressibleByArgument {}
extension AttentionFit.NonFinitePolicy: ExpressibleByArgument {}
extension ArDCAFit.Ordering: ExpressibleByArgument {}

extension ModelKind: ExpressibleByArgument {}
extension PSSMStyle: ExpressibleByArgument {}
extension FitPreset: ExpressibleByArgument {}

extension Seqgen {
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fit",
            abstract: "Fit a model to an alignment and save it as .npz.",
            discussion: """
            potts: pseudolikelihood with L-BFGS (plmc/EVcouplings defaults: weights at 80% identity, \
            λ_h = 0.01, λ_J = 0.2·(L−1) per pair, gaps as missing data). pssm: weighted site-independent frequencies. \
            gaussian: multivariate Gaussian over one-hot features, precision (C + λI)⁻¹ by Cholesky. \
            attention: a single layer of factored attention (couplings Σ_h A^h V_h), trained with Adam. \
            ardca: autoregressive DCA (one weighted logistic regression per column, L-BFGS, threaded; \
            λ_J = λ_h = 0.003, the low end of where held-out clusters' likelihood peaks on the families measured \
            (0.003–0.01), which keeps samples closest to the alignment; --cross-validate 5 chooses λ for this \
            alignment; entropic --order). \
            vae: variational autoencoder (DeepSequence/EVE class): encoder MLP → Gaussian latent → \
            Bayesian decoder MLP → per-column softmax, ELBO with Adam on weighted minibatches, early \
            stopping on held-out sequences (--vae-preset, --seed, --ensemble). \
            lm: a transformer masked language model over the raw sequences (FASTA of unaligned \
            sequences, or any alignment with its gaps removed and insert residues kept), AdamW with \
            warm-up, cosine decay and early stopping on validation perplexity.
            """
        )

        /// The library's settings: the defaults of the options below (one home for each default).
        static let library = FitSettings()
        static let evmutation: FitSettings = { var s = FitSettings(); s.preset = .evmutation; return s }()

        @Argument(help: "Alignment file (A3M, A2M, FASTA, Stockholm, .aln; gzipped too).")
        var alignment: String

        @Option(name: .shortAndLong, help: "Output model file (.npz).")
        var output: String?

        @Option(help: "Model: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        var model = Self.library.kind

        @Option(help: "Settings preset: evmutation (plmc -g with EVcouplings' settings: gaps as missing data, --drop-nonstandard, --gradient-tolerance 1e-3 --tolerance 0, --lbfgs-memory 6). Explicit options still apply.")
        var preset: FitPreset?

        @Flag(inversion: .prefixedNo, help: "Potts: gaps as missing data (plmc -g; the default): 20 states, no term at gapped sites, gaps add nothing to other sites' conditionals. --no-gaps-as-missing: the gap is a 21st state (the default with --refine bm).")
        var gapsAsMissing: Bool?

        @OptionGroup var input: AlignmentOptions

        @Option(help: "Identity threshold for sequence weights (0.8 = θ 0.2; 1 = no weighting).")
        var identity = Self.library.identity

        @Option(help: "Identity definition for weights: plmc (default), plmc-inclusive (plmc's own ≥ rule; evmutation preset) or deepsequence.")
        var weighting: SequenceWeights.Identity?

        @Option(help: "θ for sequence weights instead of --identity (identity = 1 − θ): a number in [0, 1], or auto = GaussDCA/plmDCA's min(0.5, 0.38·0.32 / mean pairwise identity).")
        var theta: String?

        @Option(name: .customLong("lambda-h"), parsing: .unconditional, help: "L2 penalty on fields (default \(Self.library.resolvedLambdaH); ardca \(ArDCAFit.defaultLambda)).")
        var lambdaH: Float?

        @Option(name: .customLong("lambda-j"), parsing: .unconditional, help: "L2 penalty on each coupling pair (default 0.2·(L−1); ardca \(ArDCAFit.defaultLambda)).")
        var lambdaJ: Float?

        @Option(help: "Maximum L-BFGS iterations.")
        var maxIterations = Self.library.maxIterations

        @Option(parsing: .unconditional, help: "Stop when the last --tolerance-window iterations improved the objective by less than this relative amount (0 = off; default \(Self.library.resolvedTolerance), evmutation preset \(Self.evmutation.resolvedTolerance)).")
        var tolerance: Double?

        @Option(parsing: .unconditional, help: "Potts: apply --tolerance to the decrease over this many iterations (default \(Self.library.resolvedToleranceWindow); evmutation preset \(Self.evmutation.resolvedToleranceWindow), where --tolerance is 0).")
        var toleranceWindow: Int?

        @Option(parsing: .unconditional, help: "Stop when ‖∇F‖ ≤ this · max(1, ‖θ‖) (plmc's rule; default \(Self.library.resolvedGradientTolerance), evmutation preset \(Self.evmutation.resolvedGradientTolerance)).")
        var gradientTolerance: Float?

        @Option(parsing: .unconditional, help: "L-BFGS history size (pairs of vectors kept; default \(PottsFit.historySizes.full), or \(PottsFit.historySizes.reduced) when \(PottsFit.historySizes.full) pairs' vectors would pass \(PottsFit.historyBudget >> 30) GiB, L ≳ 590 at q = 21; evmutation preset \(Self.evmutation.resolvedLBFGSMemory ?? 0)).")
        var lbfgsMemory: Int?

        @Flag(inversion: .prefixedNo, help: "Potts: precondition L-BFGS with the inverse of the objective's estimated Hessian diagonal (the default; fewer iterations to the same optimum). --no-preconditioner: plain L-BFGS (the evmutation preset's, as plmc).")
        var preconditioner: Bool?

        @Option(parsing: .unconditional, help: "PSSM pseudocount fraction λ: f = (1 − λ)·f_observed + λ/q (default: chosen per alignment by cross-validation, see --cross-validate).")
        var pseudocountFraction: Double?

        @Option(parsing: .unconditional, help: "PSSM: folds K, each whole clusters at the weights' identity, of the cross-validation that chooses λ among 0.01, 0.05, 0.1, 0.25, 0.5 by the weighted held-out log-likelihood of the alignment (no DMS used; default min(5, N); one sequence or one cluster: no cross-validation, λ 0.25). ArDCA: choose λ_J = λ_h among 0.001, 0.003, 0.01, 0.03, 0.1 by the log-likelihood of ≈ 1/K of the sequences held out as whole clusters at the weights' identity (one fit per λ on the rest, then the final fit; clusters ordered by --seed).")
        var crossValidate: Int?

        @Option(help: "PSSM estimator: pseudocount (seqgen's, 21 states) or evmutation (EVmutation's independent model: gaps as missing, MAP fields with λ_h = --lambda-h).")
        var pssmStyle = Self.library.pssmStyle

        @Option(parsing: .unconditional, help: "Gaussian: shrinkage λ added to the covariance diagonal (default 4.5/√Neff).")
        var shrinkage: Double?

        @Option(help: "Attention: heads H.")
        var heads = Self.library.attention.heads

        @Option(help: "Attention: query/key dimension d.")
        var headDim = Self.library.attention.headDimension

        @Option(help: "Attention: Adam learning rate.")
        var learningRate = Self.library.attention.learningRate

        @Option(help: "Attention: maximum optimizer steps (full batch).")
        var steps = Self.library.attention.steps

        @Option(help: "Attention: standard deviation of the initial value matrices.")
        var valueScale = Self.library.attention.valueScale

        @Option(help: "Attention: optimizer, adam (as in the paper) or lbfgs.")
        var optimizer = Self.library.attention.optimizer

        @Option(help: "ArDCA: column order, entropic (most conserved first) or natural.")
        var order = Self.library.order

        @Option(parsing: .unconditional, help: "Random seed of the stochastic fits: attention, vae, lm, --refine bm and ardca's --cross-validate (same seed, same model).")
        var seed: UInt64 = 0

        @Option(help: "Attention: on a non-finite loss or gradient, stop (default) or back off (restore the last finite step, halve the learning rate; at most 5 times).")
        var onNonFinite = Self.library.attention.onNonFinite

        @Option(help: "Attention (adam): minibatches per epoch; each step fits one shard of the sequences (1 = full batch).")
        var shards = Self.library.attention.shards

        @Option(help: "Potts/attention/VAE/lm: write the training curve (objective per iteration) to this PNG or SVG.")
        var curve: String?

        @OptionGroup(title: "Checkpoints (Potts, attention, VAE, lm and ArDCA)") var checkpointing: CheckpointOptions

        @OptionGroup(title: "VAE") var vae: VAEFitOptions

        @OptionGroup(title: "Minibatches and early stopping (VAE and lm)") var training: StochasticTrainingOptions

        @OptionGroup(title: "Boltzmann-machine refinement (Potts)") var refinement: RefineOptions

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
            // The VAE and the language model are products and elementwise kernels: seqgen shares
            // them over its threads (ProductTiles), so they give the same bits at any --threads. The
            // Gaussian's Cholesky is LAPACK's, threaded by OpenBLAS; the other fits hold it at one
            // thread around their own loops.
            try runtime.apply(ownThreading: model == .vae || model == .lm)
            var input = self.input
            if settings.dropsNonstandardSequences { input.dropNonstandard = true }
            if estimateMemory && model == .lm { return try printLanguageModelMemoryEstimate() }
            if estimateMemory { return try printMemoryEstimate(try self.input.read(alignment)) }   // as before: without the preset's filter
            let output = self.output!
            let outputs = try declareOutputs(force: force, output, curve)
            try declareCheckpoint(outputs, path: checkpointPath, resume: checkpointing.resume, members: model == .vae ? vae.ensemble : 1)
            let clock = Stopwatch()
            let archive: ModelArchive, trainingCurve: () -> Chart
            if model == .lm {
                // Unaligned sequences (any alignment's gaps removed, insert residues kept) → a masked LM.
                let fitted = try LanguageModelPipeline.run(path: alignment, focus: input.focus, settings: settings, checkpoints: checkpoints,
                                                           quiet: runtime.quiet, clock: clock)
                (archive, trainingCurve) = (fitted.archive, fitted.curve)
            } else {
                let msa = try input.read(alignment)
                let fitted = try FitPipeline.run(msa, source: alignment, settings: settings, checkpoints: checkpoints, quiet: runtime.quiet, clock: clock)
                (archive, trainingCurve) = (fitted.archive, fitted.curve)
            }
            try outputs.write {
                try archive.write(to: output, overwrite: force)
                if let curve {
                    var chart = trainingCurve()
                    figure.apply(&chart)
                    try figure.write(chart.render(), to: curve, overwrite: force)
                }
            }
            wrote(output, "(\(fixed(clock.seconds, 2)) s)")
            if let curve { wrote(curve) }
            checkpoints.removeSpent(members: settings.vaeEnsemble)
        }

        var checkpointPath: String { checkpointing.path(output: output ?? "") }

        var checkpoints: CheckpointPlan { CheckpointPlan(path: checkpointPath, every: checkpointing.checkpointEvery, resume: checkpointing.resume) }

        /// The options as library settings.
        var settings: FitSettings {
            var s = FitSettings(kind: model)
            s.preset = preset; s.gapsAsMissing = gapsAsMissing; s.identity = identity; s.weighting = weighting
            s.theta = theta.flatMap(FitSettings.Theta.init)     // checked in validate()
            s.lambdaH = lambdaH; s.lambdaJ = lambdaJ; s.maxIterations = maxIterations; s.tolerance = tolerance
            s.toleranceWindow = toleranceWindow; s.gradientTolerance = gradientTolerance; s.lbfgsMemory = lbfgsMemory; s.preconditioner = preconditioner
            s.pseudocountFraction = pseudocountFraction; s.crossValidate = crossValidate; s.pssmStyle = pssmStyle
            s.shrinkage = shrinkage; s.order = order; s.seed = seed
            s.attention.heads = heads; s.attention.headDimension = headDim; s.attention.learningRate = learningRate; s.attention.steps = steps
            s.attention.valueScale = valueScale; s.attention.optimizer = optimizer; s.attention.onNonFinite = onNonFinite; s.attention.shards = shards
            s.vae = vae.fit(seed: seed, training: training); s.vaeEnsemble = vae.ensemble
            s.refine = refinement.refine; s.boltzmann = refinement.refinement(seed: seed)
            s.memoryCheck = !noMemoryCheck
            s.languageModel = lm.fitter(training: training)
            return s
        }

        /// `--estimate-memory`: the peak — this process as it stands (binary, libraries, the alignment
        /// read) plus the model's own estimate and the alignment it holds — as JSON on stdout.
        func printMemoryEstimate(_ msa: MultipleSequenceAlignment) throws {
            emitMemoryEstimate(FitPipeline.memoryEstimate(msa, settings: settings), sequences: msa.count, columns: msa.length, states: msa.alphabet.size)
        }

        /// `--estimate-memory --model lm`: the same JSON for raw sequences ("columns": the longest).
        func printLanguageModelMemoryEstimate() throws {
            let raw = try RawSequences.read(alignment)
            emitMemoryEstimate(LanguageModelPipeline.memoryEstimate(raw, settings: settings), sequences: raw.count, columns: raw.maximumLength, states: ProteinTokens.count)
        }

        /// The estimate JSON: the model's bytes plus this process as it stands.
        func emitMemoryEstimate(_ modelBytes: Int, sequences: Int, columns: Int, states: Int) {
            JSONText.emit([("model", .string(model.rawValue)), ("sequences", .int(sequences)), ("columns", .int(columns)),
                           ("states", .int(states)), ("bytes", .int(modelBytes + (SystemMemory.resident() ?? 0))),
                           ("available", SystemMemory.available().map { .int($0) } ?? .null)])
        }
    }
}
