import Console
#if canImport(Glibc)
import Glibc
#endif

/// Writes checkpoints for a fit: every `every` iterations (0: never on schedule), and at the
/// iteration where SIGINT or SIGTERM arrived (`Interrupt`). A write error stops the fit (the
/// progress callback sees `failure`; `finish` throws it).
public final class CheckpointSaver {
    public let path: String, every: Int
    /// What a count of the loop is called in messages ("iteration", "step", "epoch", "update").
    public let unit: String
    /// The file to name to `--resume` (the run's checkpoint; `path` unless a run keeps several).
    public let resumeWith: String
    public private(set) var failure: Error?
    public private(set) var lastSaved: Int?

    public init(path: String, every: Int, unit: String = "iteration", resumeWith: String? = nil) {
        self.path = path; self.every = every; self.unit = unit; self.resumeWith = resumeWith ?? path
    }

    /// Saves `make()` when `iteration` is on the schedule or a stop signal has arrived. The first
    /// call marks the loop as one that can save: later signals wait for it (`Interrupt.deferStops`).
    public func save(_ iteration: Int, _ make: () -> Checkpoint) {
        defer { Interrupt.deferStops() }
        guard failure == nil, (every > 0 && iteration % every == 0) || Interrupt.signal != nil else { return }
        do { try make().write(to: path); lastSaved = iteration } catch { failure = error }
    }

    /// Throws the write error, or — after SIGINT/SIGTERM — reports the checkpoint on stderr and
    /// throws `Interrupted` (exit status 128 + signal).
    public func finish(at iteration: Int) throws {
        if let failure { throw CheckpointError.cannotWrite("cannot write checkpoint: \(failure)") }
        if let signal = Interrupt.signal {
            let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
            // Printed even with --quiet: the user must learn how to continue.
            if let lastSaved {
                writeStandardError("\(name): stopped after \(unit) \(lastSaved); checkpoint written to \(path) — continue with --resume \(resumeWith); no model written\n")
            } else {
                writeStandardError("\(name): stopped before the first \(unit) finished; nothing written\n")
            }
            throw Interrupted(exitStatus: Interrupt.exitStatus)
        }
    }

    /// A checkpoint that could not be written.
    public enum CheckpointError: Error, CustomStringConvertible {
        case cannotWrite(String)
        public var description: String { switch self { case .cannotWrite(let m): m } }
    }
}

/// A run stopped by SIGINT/SIGTERM after saving what it could; the process should exit with
/// `exitStatus` (128 + signal) without a further message.
public struct Interrupted: Error, Sendable {
    public let exitStatus: Int32
    public init(exitStatus: Int32) { self.exitStatus = exitStatus }
}
