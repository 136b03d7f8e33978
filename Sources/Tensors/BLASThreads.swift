import CBLAS

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

    public init(get: @escaping @Sendable () -> Int32, set: @escaping @Sendable (Int32) -> Void) {
        self.get = get; self.set = set
    }

    /// OpenBLAS's own, process-wide count.
    public static let openBLAS = BLASThreads(get: { BLAS.threads }, set: { BLAS.threads = $0 })

    /// Runs `body` with the count held at one, and restores the count it found afterwards.
    public func holdingOne<T>(_ body: () throws -> T) rethrows -> T {
        let before = get()
        set(1)
        defer { set(before) }
        return try body()
    }
}
