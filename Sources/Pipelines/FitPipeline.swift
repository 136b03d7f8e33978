import Console
import Tensors
import Sequences
import Archive
import Figures
import Optimizers

/// `seqgen fit` as a library call: sequence weights, the common metadata, the kind's fit (memory
/// check, BLAS threads, checkpoints, progress) and the archive.
///
/// ```swift
/// let msa = try AlignmentReader().read("data/example.a3m")
/// let fitted = try FitPipeline.run(msa, source: "data/example.a3m", settings: FitSettings(kind: .potts))
/// try fitted.archive.write(to: "example.npz", overwrite: true)
/// ```
public enum FitPipeline {
    /// A fitted model and how its fit went.
    public struct Fitted {
        public var archive: ModelArchive
        /// (iteration or step, objective) of an iterative fit; empty for a closed-form one.
        public var history: [(Double, Double)]
        /// The training curve's x axis and the word for its points.
        public var curveAxis: (label: String, points: String)

        /// The training curve: the objective's distance to its best value F − F_min on a log scale, so
        /// the convergence shows over decades instead of as a flat line near the end; F itself on a
        /// linear axis when fewer than two points lie above the minimum (a fit of one or two steps).
        public func curve() -> Chart {
            let best = history.map(\.1).filter(\.isFinite).min() ?? 0
            let objective = archive.kind == .vae ? "training −ELBO" : "pseudo-NLL + penalty"
            let points = "\(history.count) \(history.count == 1 ? String(curveAxis.points.dropLast()) : curveAxis.points)"
            let title = "\(archive.focusName): \(archive.modelType) fit"
            guard history.filter({ $0.1 - best > 0 && $0.1.isFinite }).count >= 2 else {
                return Chart(title: title, xLabel: curveAxis.label, yLabel: "F (\(objective))",
                             series: [.init("objective", x: history.map(\.0), y: history.map(\.1), style: .line, color: .blue)],
                             note: "F = \(fixed(best, 2)) after \(points)")
            }
            var chart = Chart(title: title, xLabel: curveAxis.label, yLabel: "F − F_min (\(objective))",
                              series: [.init("objective above its minimum", x: history.map(\.0), y: history.map { $0.1 - best }, style: .line, color: .blue)],
                              note: "F_min = \(fixed(best, 2)) after \(points)")
            chart.logY = true
            return chart
        }
    }

    /// Fits `settings.kind` to `msa` (read from `source`, the path named in errors). `checkpoints`:
    /// where an iterative fit saves and resumes (SIGINT/SIGTERM handlers are installed for it);
    /// `quiet`: no progress bars. Messages go through `log`/`warn` (`Verbosity.quiet` silences `log`).
    /// `clock`: the run's start, for the timings in the messages.
    public static func run(_ msa: MultipleSequenceAlignment, source: String, settings: FitSettings,
                           checkpoints: CheckpointPlan? = nil, quiet: Bool = false, clock: Stopwatch = Stopwatch()) throws -> Fitted {
        try settings.check()
        let fitting = settings.kind.fitting(settings)
        if checkpoints != nil && fitting.isResumable { Interrupt.install(before: "the first \(fitting.checkpointUnit)") }
        try fitting.checkAlignment(msa)
        guard msa.count >= 1 else { throw PipelineError(path: source, "no sequences") }
        // The model is numbered by its focus: one without a residue in any column numbers nothing.
        guard msa.row(msa.focus).contains(where: { $0 != msa.alphabet.gap }) else {
            throw PipelineError(path: source, "the focus '\(msa.names[msa.focus])'\(msa.focusRecord.map { " (record \($0))" } ?? "") is a gap in every column: the model would number no residue; pick another with --focus")
        }
        let identity = FitSettings.Theta.identity(settings.theta, otherwise: settings.identity, for: msa)
        var clusters: [Int]?, weights: [Float]
        if fitting.usesClusters {
            (weights, clusters) = weightsAndClustersShowingProgress(msa, identity: identity, definition: settings.resolvedWeighting, quiet: quiet)
        } else {
            weights = weightsShowingProgress(msa, identity: identity, definition: settings.resolvedWeighting, quiet: quiet)
        }
        let neff = SequenceWeights.effectiveCount(weights)
        log("\(msa.count) sequences × \(msa.length) columns, Neff \(fixed(neff, 1))\(msa.basePairs.isEmpty ? "" : ", \(msa.basePairs.count) base pairs (#=GC SS_cons) kept as the model's contact truth") (\(fixed(clock.seconds, 2)) s)")
        // An identity threshold below one half (θ above it) is --identity mistaken for θ: most pairs of a
        // family's sequences become neighbours and the weights collapse.
        if identity < 0.5 && msa.count >= 10 {
            warn("\(source): sequences at ≥ \(fixed(identity * 100, 0))% identity count as neighbours (θ = \(fixed(1 - identity, 2))): Neff \(fixed(neff, 1)) from \(msa.count) sequences; the usual weighting is --identity 0.8 (θ = 0.2, --theta 0.2)")
        }
        if settings.lambdaJ == 0 && [.potts, .attention, .ardca].contains(settings.kind) {
            warn("--lambda-j 0: nothing bounds the couplings, which grow without limit wherever a pair of columns separates the sequences (a shallow alignment); a model to score or sample from needs λ_J > 0")
        }
        let metadata: [(String, ModelArchive.MetaValue)] = [("sequences", .integer(msa.count)), ("neff", .real(neff)),
                                                             ("identity_threshold", .real(identity)), ("threads", .integer(Parallel.threadCount))]
        let session = FitSession(source: source, quiet: quiet, memoryCheck: settings.memoryCheck,
                                 checkpoints: checkpoints ?? CheckpointPlan(path: "", every: 0),
                                 metadata: metadata, fingerprintBase: fingerprintBase(msa, neff: neff, settings: settings), clock: clock)
        session.clusters = clusters
        let archive = try fitting.fit(msa, weights: weights, session: session)
        return Fitted(archive: archive, history: session.history, curveAxis: fitting.curveAxis)
    }

    /// Bytes a fit of `msa` needs: the kind's estimate plus the alignment and its weights.
    public static func memoryEstimate(_ msa: MultipleSequenceAlignment, settings: FitSettings) -> Int {
        let (n, l) = (msa.count, msa.length)
        return settings.kind.fitting(settings).memoryEstimate(msa) + n * l + 8 * n
    }

    /// The settings every kind shares that determine a fit's trajectory (see `FitSession.fingerprint`).
    /// The alignment enters by its content (`ContentDigest` of its codes), not its path. The thread
    /// count does not: every resumable fit gives the same bits at any `--threads`, so a checkpoint
    /// resumes at another count (README, "Determinism").
    static func fingerprintBase(_ msa: MultipleSequenceAlignment, neff: Double, settings: FitSettings) -> [String: String] {
        var input = ContentDigest()
        input.add(msa.codes)
        return ["model": settings.kind.rawValue, "input": input.hex, "sequences": "\(msa.count)", "columns": "\(msa.length)", "neff": fixed(neff, 4),
         "focus": msa.names[msa.focus], "identity": settings.theta.map(\.description) ?? "\(settings.identity)", "weighting": settings.resolvedWeighting.rawValue]
    }
}
