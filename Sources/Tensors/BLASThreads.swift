import CBLAS
import Synchronization

/// Reads and sets the BLAS thread count, which OpenBLAS keeps for the whole process.
///
/// Fits that thread their own kernels hold BLAS at one thread while they run (`holdingOne`): idle
/// OpenBLAS pool threads would spin (sched_yield) against the fit's own threads, and two levels of
/// threads would oversubscribe the cores. The accessor is a value so that a test can hand a fit a
/// recorder and observe that policy without touching the process's state, which tests running in
/// parallel share.
public struct BLASThreads: Sendable {
    public var get: @Sendable () -> Int32
    public var set: @Sendable (Int32) -> Void

    /// The holds in force and the count the first of them found (shared by copies of this value).
    private let holds = Holds()
    private final class Holds: Sendable {
        let state = Mutex<(holders: Int, saved: Int32)>((0, 0))
    }

    public init(get: @escaping @Sendable () -> Int32, set: @escaping @Sendable (Int32) -> Void) {
        self.get = get; self.set = set
    }

    /// OpenBLAS's own, process-wide count.
    public static let openBLAS = BLASThreads(get: { BLAS.threads }, set: { BLAS.threads = $0 })

    /// Runs `body` with the count held at one; the count found before is restored when the last
    /// hold in force ends. Holds from several threads at once (tests run in parallel; a library
    /// caller may run two fits) share one: with a save-and-restore per call, the first to finish
    /// would give OpenBLAS its threads back while the other's workers still call sgemm, and the last
    /// would restore 1 for good.
    public func holdingOne<T>(_ body: () throws -> T) rethrows -> T {
        holds.state.withLock { s in
            if s.holders == 0 { s.saved = get(); set(1) }
            s.holders += 1
        }
        defer {
            holds.state.withLock { s in
                s.holders -= 1
                if s.holders == 0 { set(s.saved) }
            }
        }
        return try body()
    }
}
