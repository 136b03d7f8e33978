#if canImport(Glibc)
import Glibc
#endif

/// SIGINT/SIGTERM as a request to stop, in two phases. After `Interrupt.install()` a signal ends
/// the process at once (status 128 + signal, `ExitCleanup`'s files removed, a one-line message
/// that nothing was written): set-up work — sequence weights, sorting, packing, the first
/// evaluation — has nothing worth saving and may run for minutes. Once a loop can save its state
/// it calls `deferStops()`: from then on the first signal only sets `Interrupt.signal` (the loop
/// polls it, saves a checkpoint and exits cleanly), and a second one ends the process at once.
public enum Interrupt {
    nonisolated(unsafe) private static var received: Int32 = 0
    /// 1 once a loop polls `signal` (see `deferStops`); 0 while a signal should end the process.
    nonisolated(unsafe) private static var deferring: Int32 = 0
    /// The messages the handler writes when it ends the process before any loop could save: C
    /// strings built in `install` (a signal handler must not allocate).
    nonisolated(unsafe) private static var messages: (interrupt: UnsafeMutablePointer<CChar>?, terminate: UnsafeMutablePointer<CChar>?) = (nil, nil)

    /// The signal received (SIGINT = 2, SIGTERM = 15), or nil.
    public static var signal: Int32? { received == 0 ? nil : received }

    /// True once stop requests wait for the running loop (`deferStops()` was called).
    public static var isDeferring: Bool { deferring != 0 }

    /// Installs the handlers, stopping at once until `deferStops()`; `what` names what a stop at
    /// that point loses (the message reads "SIGINT: stopped before <what>; nothing written").
    public static func install(before what: String = "the first iteration") {
        if messages.interrupt == nil {
            messages = (strdup("\nSIGINT: stopped before \(what); nothing written\n"), strdup("\nSIGTERM: stopped before \(what); nothing written\n"))
        }
        for sig in [SIGINT, SIGTERM] {
            _ = Glibc.signal(sig) { s in
                if Interrupt.received != 0 || Interrupt.deferring == 0 {
                    if Interrupt.deferring == 0, let m = s == SIGINT ? Interrupt.messages.interrupt : Interrupt.messages.terminate {
                        _ = write(2, m, strlen(m))
                    }
                    ExitCleanup.removeAll()
                    _exit(128 + s)
                }
                Interrupt.received = s
            }
        }
    }

    /// From now on the first signal only sets `signal`: the caller polls it and can save its state
    /// (a checkpoint) before it stops. Idempotent; a no-op before `install()`.
    public static func deferStops() { deferring = 1 }

    /// The exit status a process stopped by `signal` reports (130 for SIGINT, 143 for SIGTERM).
    public static var exitStatus: Int32 { 128 + received }
}
