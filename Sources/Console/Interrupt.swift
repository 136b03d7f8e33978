#if canImport(Glibc)
import Glibc
#endif

/// SIGINT/SIGTERM as a request to stop: after `Interrupt.install()`, the first signal only sets
/// `Interrupt.signal` (long loops poll it, save a checkpoint and exit cleanly); a second one ends
/// the process at once with the usual status 128 + signal (after removing `ExitCleanup`'s files).
public enum Interrupt {
    nonisolated(unsafe) private static var received: Int32 = 0

    /// The signal received (SIGINT = 2, SIGTERM = 15), or nil.
    public static var signal: Int32? { received == 0 ? nil : received }

    public static func install() {
        for sig in [SIGINT, SIGTERM] {
            _ = Glibc.signal(sig) { s in
                if Interrupt.received != 0 { ExitCleanup.removeAll(); _exit(128 + s) }
                Interrupt.received = s
            }
        }
    }

    /// The exit status a process stopped by `signal` reports (130 for SIGINT, 143 for SIGTERM).
    public static var exitStatus: Int32 { 128 + received }
}
