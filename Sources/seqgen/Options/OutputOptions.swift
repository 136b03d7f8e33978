import ArgumentParser
import Console

/// `--quiet`, shared by every command: no progress bars and no informational messages on stderr
/// (warnings and errors are still printed; results on stdout are unchanged).
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "No progress bars or informational messages on stderr (warnings and errors still print).")
    var quiet = false

    func validate() throws { if quiet { Verbosity.quiet = true } }
}
