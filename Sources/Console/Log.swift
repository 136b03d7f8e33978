/// Progress and summaries go to stderr, and not at all when `Verbosity.quiet` (`--quiet`); results
/// go to files or stdout.
public func log(_ message: String) { if !Verbosity.quiet { writeStandardError(message + "\n") } }

/// A warning on stderr, printed even when `Verbosity.quiet`.
public func warn(_ message: String) { writeStandardError("warning: " + message + "\n") }
