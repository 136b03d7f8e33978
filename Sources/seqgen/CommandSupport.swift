import ArgumentParser
import Console
#if canImport(Glibc)
import Glibc
#endif

/// Refuses to replace an existing output unless --force was given (before any work is done).
func refuseExisting(_ path: String, force: Bool) throws {
    if !force && access(path, F_OK) == 0 {
        throw ValidationError("\(path) exists; pass --force to overwrite")
    }
}

/// Progress and summaries go to stderr; results go to files or stdout.
func log(_ message: String) { writeStandardError(message + "\n") }

struct Stopwatch {
    let start = now()
    var seconds: Double { now() - start }
}
