import Dispatch

/// Splits loops over the machine's cores in contiguous chunks.
public enum Parallel {
    /// Number of worker threads kernels may use (≥ 1). Set once at start-up (`--threads`).
    nonisolated(unsafe) public static var threadCount: Int = max(1, sysconfCores())

    /// True inside a `forEachWorker` worker: that thread already has its core, so kernels run inline.
    @TaskLocal public static var insideWorker = false

    /// A thread count for the calling task alone (`withThreads`), in place of `threadCount`.
    @TaskLocal public static var taskThreadCount: Int?

    /// The threads a kernel may use from the calling thread.
    @inlinable public static var availableThreads: Int { insideWorker ? 1 : taskThreadCount ?? threadCount }

    /// Runs `body` with `threads` threads available to the loops it starts, leaving the
    /// process-wide count alone: tests that run in parallel compare thread counts through this,
    /// since setting `threadCount` would change it under every other test running at the time.
    /// One thread also holds OpenBLAS at one, as `--threads 1` does (OpenBLAS's own threads
    /// change the last bits of some products).
    public static func withThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        let n = Swift.max(1, threads)
        return try $taskThreadCount.withValue(n) { n == 1 ? try withSingleThreadedBLAS(body) : try body() }
    }

    /// Calls `body(range)` on contiguous, disjoint chunks covering `0..<count`.
    /// Runs inline when the work is small (`count < minimumPerThread · 2`) or one thread is allowed.
    @inlinable
    public static func forEachChunk(_ count: Int, minimumPerThread: Int = 1 << 15,
                                    _ body: @Sendable (Range<Int>) -> Void) {
        let chunks = min(availableThreads, count / max(1, minimumPerThread))
        if chunks <= 1 { body(0..<count); return }
        perform(chunks) { c in body((c * count / chunks)..<((c + 1) * count / chunks)) }
    }

    /// `body(c)` for c in 0..<chunks, each on its own thread: the worker pool's, or libdispatch's
    /// when the pool is busy (a loop started inside another loop's chunk, or from a second thread).
    @usableFromInline
    static func perform(_ chunks: Int, _ body: @Sendable (Int) -> Void) {
        if !WorkerPool.shared.run(chunks: chunks, body) {
            DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
        }
    }

    /// Runs `body` with OpenBLAS held to one thread (restored after), for workers that each call
    /// sgemm (see `BLASThreads`).
    public static func withSingleThreadedBLAS<T>(_ body: () throws -> T) rethrows -> T {
        try BLASThreads.openBLAS.holdingOne(body)
    }

    /// `body(worker, i)` for every i in 0..<count over `forEachWorker`'s chunks (worker 0 takes the
    /// first), the results in index order.
    public static func map<T>(_ count: Int, _ body: @Sendable (_ worker: Int, _ index: Int) -> T) -> [T] {
        var out = [T?](repeating: nil, count: count)
        out.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            forEachWorker(count) { worker, range in for i in range { slots[i] = body(worker, i) } }
        }
        return out.map { $0! }
    }

    /// The number of workers `forEachWorker` will use for `count` items.
    public static func workers(for count: Int) -> Int { max(1, min(availableThreads, count)) }

    /// Calls `body(worker, range)` for `workers(for: count)` disjoint chunks of `0..<count`, with
    /// OpenBLAS held to one thread meanwhile, so that each worker may call sgemm on its own chunk
    /// (two levels of threads would oversubscribe the cores), and the kernels it calls run inline
    /// there (no nested splitting): data parallelism, such as inference over blocks of rows.
    /// `worker` indexes per-worker scratch.
    public static func forEachWorker(_ count: Int, _ body: @Sendable (_ worker: Int, _ range: Range<Int>) -> Void) {
        let chunks = workers(for: count)
        if chunks <= 1 { body(0, 0..<count); return }
        withSingleThreadedBLAS {
            perform(chunks) { c in
                $insideWorker.withValue(true) { body(c, (c * count / chunks)..<((c + 1) * count / chunks)) }
            }
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
