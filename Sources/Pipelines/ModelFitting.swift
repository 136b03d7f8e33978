import Console
import Sequences
import Archive

/// How one `ModelKind` is fitted to a weighted alignment and written as a `ModelArchive`. The fit
/// pipeline (`FitPipeline.run`) computes the weights and the common metadata, checks memory and
/// handles checkpoints and progress through the `FitSession`; a conformance does the rest.
public protocol ModelFitting {
    /// Bytes the fit needs for an alignment of `sequences` × `length` columns over `states` letters
    /// (the alignment itself not included).
    func memoryEstimate(sequences: Int, length: Int, states: Int) -> Int
    /// The same for this alignment; kinds whose memory depends on more than its size refine it.
    func memoryEstimate(_ msa: MultipleSequenceAlignment) -> Int
    /// Refuses an alignment the fit cannot use, before the weights are computed.
    func checkAlignment(_ msa: MultipleSequenceAlignment) throws
    /// The fit is iterative with one objective: it records a training curve and writes checkpoints.
    var isIterative: Bool { get }
    /// The fit writes checkpoints and resumes from them (every iterative fit, and ArDCA's regressions).
    var isResumable: Bool { get }
    /// What one step of a resumable fit is called where a stop finds none finished ("iteration").
    var checkpointUnit: String { get }
    /// The x axis of the training curve and the word for its points ("L-BFGS iteration", "iterations").
    var curveAxis: (label: String, points: String) { get }
    /// The fit holds out whole clusters of sequences (`SequenceWeights.clusters`): the pipeline then
    /// finds them in the weights' pass and hands them over in `session.clusters`.
    var usesClusters: Bool { get }
    /// Fits `msa` with sequence `weights` and returns the archive: `session.metadata` first, then the
    /// kind's own settings and results.
    func fit(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive
}

extension ModelFitting {
    public func memoryEstimate(_ msa: MultipleSequenceAlignment) -> Int {
        memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size)
    }
    public func checkAlignment(_ msa: MultipleSequenceAlignment) throws {}
    public var isIterative: Bool { false }
    public var usesClusters: Bool { false }
    public var isResumable: Bool { isIterative }
    public var checkpointUnit: String { "iteration" }
    public var curveAxis: (label: String, points: String) { ("iteration", "iterations") }
}

/// What a fit shares with the pipeline that runs it: where messages name the input, whether to
/// show progress and check memory, where checkpoints go, the metadata every archive starts with,
/// the checkpoint fingerprint's common part, and the training curve it records.
public final class FitSession {
    /// The alignment's path, named in errors.
    public let source: String
    public let quiet: Bool
    public let memoryCheck: Bool
    public let checkpoints: CheckpointPlan
    /// `sequences`, `neff`, `identity_threshold`, `threads`: the first `meta_*` of every archive.
    public let metadata: [(String, ModelArchive.MetaValue)]
    /// Settings common to every kind that determine a fit's trajectory (model, alignment size, Neff, weighting).
    public let fingerprintBase: [String: String]
    /// Started when the pipeline started (the alignment was read).
    public let clock: Stopwatch
    /// (iteration or step, objective) of an iterative fit, in order.
    public var history: [(Double, Double)] = []
    /// Each sequence's cluster at the weights' identity, when the fit `usesClusters` (found with
    /// the weights); nil: the fit finds them itself.
    public var clusters: [Int]?

    public init(source: String, quiet: Bool, memoryCheck: Bool, checkpoints: CheckpointPlan,
                metadata: [(String, ModelArchive.MetaValue)], fingerprintBase: [String: String], clock: Stopwatch) {
        self.source = source; self.quiet = quiet; self.memoryCheck = memoryCheck; self.checkpoints = checkpoints
        self.metadata = metadata; self.fingerprintBase = fingerprintBase; self.clock = clock
    }

    /// The identity threshold of the sequence weights (`metadata`'s `identity_threshold`).
    public var identityThreshold: Double {
        guard case .real(let t)? = metadata.first(where: { $0.0 == "identity_threshold" })?.1 else { return 0.8 }
        return t
    }

    /// Everything that determines the fit's trajectory, as "key=value" pairs sorted by key; a
    /// checkpoint only resumes a run with the same fingerprint. `settings` are the kind's own.
    public func fingerprint(_ settings: [String: String]) -> String {
        fingerprintBase.merging(settings) { a, _ in a }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// Logs the estimate of the peak (this process's resident memory now plus `bytes`, what the fit
    /// allocates), and refuses (with `hint`) when `bytes` exceeds the memory available and
    /// `memoryCheck` is on.
    public func checkMemory(_ bytes: Int, what: String, hint: String) throws {
        try Self.checkMemory(bytes, what: what, hint: hint, source: source, enforce: memoryCheck)
    }

    /// Logs the estimate at peak and, when `enforce`, refuses a fit that needs more than is available.
    public static func checkMemory(_ bytes: Int, what: String, hint: String, source: String, enforce: Bool) throws {
        let available = SystemMemory.available()
        log("memory estimate: \(SystemMemory.describe(bytes + (SystemMemory.resident() ?? 0))) at peak (\(what))" + (available.map { "; available \(SystemMemory.describe($0))" } ?? ""))
        if let available, bytes > available, enforce {
            throw PipelineError(path: source, "this fit needs about \(SystemMemory.describe(bytes)) but \(SystemMemory.describe(available)) is available; \(hint) (or pass --no-memory-check)")
        }
    }
}
