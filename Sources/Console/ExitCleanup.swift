#if canImport(Glibc)
import Glibc
#endif

/// Files that must not outlive the process — output locks, staged temporary outputs, an output
/// directory the command created (removed if still empty). They are
/// removed when the process exits normally (`atexit`), when it ends on SIGINT/SIGTERM/SIGHUP (the
/// handler removes them and re-raises the signal, so the exit status stays 128 + signal), and when
/// `Interrupt`'s second signal ends the process at once.
///
/// The registry is a fixed table of C strings so that the signal handler only calls `unlink`
/// (async-signal-safe) and allocates nothing.
public enum ExitCleanup {
    static let capacity = 256
    nonisolated(unsafe) private static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let t = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        t.initialize(repeating: nil, count: capacity)
        atexit { ExitCleanup.removeAll() }
        return t
    }()

    /// Removes `path` when the process ends (unless `keep(path)` is called first).
    public static func removeOnExit(_ path: String) {
        for k in 0..<capacity where table[k] == nil {
            table[k] = strdup(path)
            return
        }
    }

    /// The file at `path` stays: it was renamed into place or removed by its owner.
    public static func keep(_ path: String) {
        for k in 0..<capacity {
            if let p = table[k], String(cString: p) == path {
                table[k] = nil
                free(p)
            }
        }
    }

    /// Unlinks every registered file, then removes every registered directory left empty (an
    /// output directory the command created). Called from signal handlers: `unlink` and `rmdir` only.
    public static func removeAll() {
        for k in 0..<capacity {
            if let p = table[k] { unlink(p) }
        }
        for k in 0..<capacity {
            if let p = table[k] { rmdir(p) }
        }
    }

    /// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the registered files, say so in
    /// one line ("seqgen: stopped by SIGINT; unfinished outputs removed") and then die of the
    /// signal as before — only where the signal still has its default action, so a handler
    /// installed by `Interrupt.install()` (checkpoint on Ctrl-C) is kept.
    public static func installSignalHandlers() {
        _ = table
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var current = sigaction()
            sigaction(sig, nil, &current)
            guard current.__sigaction_handler.sa_handler == nil else { continue }   // SIG_DFL is nil
            _ = Glibc.signal(sig) { s in
                let m: StaticString = s == SIGINT ? "\nseqgen: stopped by SIGINT; unfinished outputs removed\n"
                    : s == SIGTERM ? "\nseqgen: stopped by SIGTERM; unfinished outputs removed\n" : "\nseqgen: stopped by SIGHUP; unfinished outputs removed\n"
                _ = write(2, m.utf8Start, m.utf8CodeUnitCount)
                ExitCleanup.removeAll()
                _ = Glibc.signal(s, SIG_DFL)
                raise(s)
            }
        }
    }
}
