/// seqgen's exit statuses, the same for every command (README "Exit status"):
///
/// | status | meaning |
/// |---|---|
/// | 0 | success (also `--help`, `--version`) |
/// | 1 | bad input or a run-time failure: unreadable or malformed file, existing output without `--force`, unwritable output, a fit that failed; the message names the file (and line) |
/// | 2 | usage error: unknown option, missing or malformed argument, out-of-range value, conflicting options; the message is followed by the command's usage |
/// | 130 | interrupted by SIGINT (Ctrl-C); long fits write a checkpoint first |
/// | 143 | terminated by SIGTERM (e.g. a batch scheduler); as for SIGINT |
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let failure: Int32 = 1
    public static let usage: Int32 = 2
    /// 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.
    public static func interrupted(by signal: Int32) -> Int32 { 128 + signal }
}

/// Whether informational messages and progress bars are shown (`--quiet` turns them off;
/// warnings and errors are always shown).
public enum Verbosity {
    nonisolated(unsafe) public static var quiet = false
}
