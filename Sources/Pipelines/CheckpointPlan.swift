import Archive
#if canImport(Glibc)
import Glibc
#endif

/// Where an iterative fit keeps its checkpoint: `path`, written every `every` iterations (0: only
/// when SIGINT/SIGTERM arrives), and a checkpoint to continue from (`resume`).
public struct CheckpointPlan: Sendable {
    public var path: String
    public var every: Int
    public var resume: String?

    public init(path: String, every: Int = 0, resume: String? = nil) { self.path = path; self.every = every; self.resume = resume }

    /// After a completed fit: removes the checkpoint it wrote or resumed from `path` (it is spent).
    public func removeSpent() {
        if access(path, F_OK) == 0 && (every > 0 || resume == path) { unlink(path) }
    }
}
