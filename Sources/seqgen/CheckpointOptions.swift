import ArgumentParser
import Console
import Optimizers
#if canImport(Glibc)
import Glibc
#endif

/// `--checkpoint-every`, `--checkpoint` and `--resume`, shared by every command that trains for long.
struct CheckpointOptions: ParsableArguments {
    @Option(help: "Save a resumable checkpoint (optimizer state included) every N iterations; 0 = only when interrupted (SIGINT/SIGTERM).")
    var checkpointEvery = 0

    @Option(help: "Checkpoint file (default: OUTPUT.ckpt.npz).")
    var checkpoint: String?

    @Option(help: "Continue the run saved in this checkpoint (same input, settings and --threads; same result as an uninterrupted run).")
    var resume: String?

    func path(output: String) -> String { checkpoint ?? output + ".ckpt.npz" }
}

/// Writes checkpoints for a fit: every `every` iterations, and at the iteration where SIGINT or
/// SIGTERM arrived. A write error stops the fit (reported by `finish`).
final class CheckpointSaver {
    let path: String, every: Int
    private(set) var failure: Error?
    private(set) var lastSaved: Int?

    init(path: String, every: Int) { self.path = path; self.every = every }

    func save(_ iteration: Int, _ make: () -> Checkpoint) {
        guard failure == nil, (every > 0 && iteration % every == 0) || Interrupt.signal != nil else { return }
        do { try make().write(to: path); lastSaved = iteration } catch { failure = error }
    }

    /// Throws the write error, or — after SIGINT/SIGTERM — reports the checkpoint and exits with 128 + signal.
    func finish(at iteration: Int) throws {
        if let failure { throw ValidationError("cannot write checkpoint: \(failure)") }
        if let signal = Interrupt.signal {
            let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
            // Printed even with --quiet: the user must learn how to continue.
            if let lastSaved {
                writeStandardError("\(name): stopped after iteration \(lastSaved); checkpoint written to \(path) — continue with --resume \(path); no model written\n")
            } else {
                writeStandardError("\(name): stopped before the first iteration finished; nothing written\n")
            }
            throw ExitCode(Interrupt.exitStatus)
        }
    }
}
