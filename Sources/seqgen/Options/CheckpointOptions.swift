import ArgumentParser
import Console
import Optimizers
#if canImport(Glibc)
import Glibc
#endif

/// `--checkpoint-every`, `--checkpoint` and `--resume`, shared by every command that trains for long.
struct CheckpointOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Save a resumable checkpoint (optimizer state included) every N iterations (ArDCA: every N regressions fitted); 0 = only when interrupted (SIGINT/SIGTERM).")
    var checkpointEvery = 0

    @Option(help: "Checkpoint file (default: OUTPUT.ckpt.npz).")
    var checkpoint: String?

    @Option(help: "Continue the run saved in this checkpoint (same input, settings and --threads; same result as an uninterrupted run).")
    var resume: String?

    func path(output: String) -> String { checkpoint ?? output + ".ckpt.npz" }
}
