import Archive
import FileIO
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

    /// After a completed fit: removes the checkpoints it wrote or resumed from `path` (they are
    /// spent), those of an ensemble's `members` beyond the first too.
    public func removeSpent(members: Int = 1) {
        guard every > 0 || resume == path else { return }
        for k in 0..<Swift.max(members, 1) {
            let file = Self.member(k, of: path)
            if access(file, F_OK) == 0 { unlink(file) }
        }
    }

    /// Refuses, before any work, a checkpoint to resume that cannot be opened (for an ensemble of
    /// `members`, any member's will do: members that finished between saves left none).
    public func checkResumable(members: Int = 1) throws {
        guard let resume else { return }
        if access(resume, R_OK) == 0 { return }
        let problem = String(cString: strerror(errno))
        if (1..<Swift.max(members, 1)).contains(where: { access(Self.member($0, of: resume), R_OK) == 0 }) { return }
        throw FileIOError(path: resume, "cannot open the checkpoint to resume: \(problem)")
    }

    /// The checkpoint of an ensemble's member k, beside the run's own (`base`, member 0's).
    public static func member(_ k: Int, of base: String) -> String { k == 0 ? base : base + ".member\(k).npz" }
}
