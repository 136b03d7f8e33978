import Dispatch

/// Splits loops over the machine's cores in contiguous chunks.
public enum Parallel {
    /// Number of worker threads kernels may use (≥ 1). Set once at start-up (`--threads`).
    nonisolated(unsafe) public static var threadCount: Int = max(1, sysconfCores())

    /// Calls `body(range)` on contiguous, disjoint chunks covering `0..<count`.
    /// Runs inline when the work is small (`count < minimumPerThread · 2`) or one thread is allowed.
    @inlinable
    public static func forEachChunk(_ count: Int, minimumPerThread: Int = 1 << 15,
                                    _ body: @Sendable (Range<Int>) -> Void) {
        let chunks = min(threadCount, count / max(1, minimumPerThread))
        if chunks <= 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            body((c * count / chunks)..<((c + 1) * count / chunks))
        }
    }
}

@usableFromInline
func sysconfCores() -> Int {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 1
    #endif
}
#if canImport(Glibc)
import Glibc
#endif
