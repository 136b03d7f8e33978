import XCTest
import Dispatch
@testable import Tensors

/// `Parallel`'s loops on the worker pool: every index once, whatever the thread count, nesting,
/// concurrent callers, or whether the workers were spinning or asleep when the loop started.
final class ParallelTests: XCTestCase {
    /// Counts how often each index of 0..<count is visited by `forEachChunk`.
    private func visits(_ count: Int, threads: Int) -> [Int32] {
        let saved = Parallel.threadCount
        Parallel.threadCount = threads
        defer { Parallel.threadCount = saved }
        let seen = UnsafeMutablePointer<Int32>.allocate(capacity: count)
        defer { seen.deallocate() }
        seen.initialize(repeating: 0, count: count)
        nonisolated(unsafe) let s = seen
        Parallel.forEachChunk(count, minimumPerThread: 1) { range in for i in range { s[i] += 1 } }
        return Array(UnsafeBufferPointer(start: seen, count: count))
    }

    func testEveryIndexOnceForAnyThreadCount() {
        for threads in 1...5 {
            for count in [1, 2, 7, 1000] {
                XCTAssertEqual(visits(count, threads: threads), [Int32](repeating: 1, count: count), "threads \(threads), count \(count)")
            }
        }
    }

    /// `map`: one result per index, in index order, worker 0 on the first indices, at any thread count.
    func testMapKeepsIndexOrder() {
        for threads in 1...4 {
            for count in [0, 1, 5, 37] {
                let (r, workers) = Parallel.withThreads(threads) { (Parallel.map(count) { worker, i in (worker, i * i) }, Parallel.workers(for: count)) }
                XCTAssertEqual(r.map(\.1), (0..<count).map { $0 * $0 }, "threads \(threads), count \(count)")
                XCTAssertTrue(r.prefix(count / workers).allSatisfy { $0.0 == 0 })
            }
        }
    }

    func testBackToBackLoopsAndSleepingWorkers() {
        // Thousands of short loops in a row (workers still spinning), then loops after pauses
        // longer than the spin (workers asleep on their condition variable).
        for _ in 0..<3000 { XCTAssertEqual(visits(64, threads: 3), [Int32](repeating: 1, count: 64)) }
        for _ in 0..<3 {
            usleep(UInt32(WorkerPool.spinSeconds * 4e6))
            XCTAssertEqual(visits(64, threads: 3), [Int32](repeating: 1, count: 64))
        }
    }

    /// A worker's chunk that outlasts the caller's spin: the caller sleeps until the worker reports,
    /// and the worker may spin out and sleep before the caller wakes (a hang in the first version).
    func testChunksLongerThanTheSpin() {
        let saved = Parallel.threadCount
        Parallel.threadCount = 2
        defer { Parallel.threadCount = saved }
        let pause = UInt32(WorkerPool.spinSeconds * 1e6) * 2
        let done = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        defer { done.deallocate() }
        done.initialize(repeating: 0, count: 2)
        nonisolated(unsafe) let d = done
        for k in 0..<300 {
            Parallel.forEachChunk(2, minimumPerThread: 1) { r in
                if r.lowerBound == 1 || k % 2 == 0 { usleep(pause) }   // the worker's chunk, or both, run long
                d[r.lowerBound] += 1
            }
        }
        XCTAssertEqual([done[0], done[1]], [300, 300])
    }

    func testNestedLoopsRunEveryIndex() {
        let saved = Parallel.threadCount
        Parallel.threadCount = 2
        defer { Parallel.threadCount = saved }
        let (outer, inner) = (4, 100)
        let seen = UnsafeMutablePointer<Int32>.allocate(capacity: outer * inner)
        defer { seen.deallocate() }
        seen.initialize(repeating: 0, count: outer * inner)
        nonisolated(unsafe) let s = seen
        Parallel.forEachChunk(outer, minimumPerThread: 1) { rows in
            for r in rows {       // the pool is busy: the inner loop is split by libdispatch
                Parallel.forEachChunk(inner, minimumPerThread: 1) { cols in for c in cols { s[r * inner + c] += 1 } }
            }
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: seen, count: outer * inner)), [Int32](repeating: 1, count: outer * inner))
    }

    func testConcurrentCallersEachGetTheirLoop() {
        let saved = Parallel.threadCount
        Parallel.threadCount = 2
        defer { Parallel.threadCount = saved }
        let (callers, count) = (4, 5000)
        let sums = UnsafeMutablePointer<Int>.allocate(capacity: callers)
        defer { sums.deallocate() }
        sums.initialize(repeating: 0, count: callers)
        nonisolated(unsafe) let out = sums
        DispatchQueue.concurrentPerform(iterations: callers) { k in
            for _ in 0..<200 {
                let partial = UnsafeMutablePointer<Int>.allocate(capacity: 2)
                partial.initialize(repeating: 0, count: 2)
                nonisolated(unsafe) let p = partial
                Parallel.forEachChunk(count, minimumPerThread: 1) { range in
                    p[range.lowerBound == 0 ? 0 : 1] = range.reduce(0, +)
                }
                out[k] += p[0] + p[1]
                partial.deallocate()
            }
        }
        for k in 0..<callers { XCTAssertEqual(sums[k], 200 * count * (count - 1) / 2, "caller \(k)") }
    }
}

/// Opt-in like LBFGSMemoryTests (`SEQGEN_FORK_TESTS=1`, run alone by scripts/test.sh): forking
/// beside other tests' threaded sgemm stops OpenBLAS's pool in the parent.
final class ParallelForkTests: XCTestCase {
    /// A child forked after the pool started has none of its threads: its loops start new workers
    /// instead of waiting on the parent's (which would hang).
    func testLoopsRunInAForkedChild() throws {
        try XCTSkipIf(getenv("SEQGEN_FORK_TESTS") == nil, "forks; run alone with SEQGEN_FORK_TESTS=1")
        let saved = Parallel.threadCount
        Parallel.threadCount = 2
        defer { Parallel.threadCount = saved }
        Parallel.forEachChunk(1000, minimumPerThread: 1) { _ in }   // the parent's worker exists
        let pid = fork()
        if pid == 0 {
            let seen = UnsafeMutablePointer<Int32>.allocate(capacity: 1000)
            seen.initialize(repeating: 0, count: 1000)
            nonisolated(unsafe) let s = seen
            Parallel.forEachChunk(1000, minimumPerThread: 1) { r in for i in r { s[i] += 1 } }
            _exit((0..<1000).allSatisfy { seen[$0] == 1 } ? 0 : 1)
        }
        var status: Int32 = 0
        for _ in 0..<1000 {                        // 10 s, then the child is taken for hung
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(10_000)
        }
        if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0); XCTFail("the forked child's loop hung") }
        XCTAssertEqual(status, 0)
    }
}
