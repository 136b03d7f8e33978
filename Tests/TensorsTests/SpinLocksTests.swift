import XCTest
import Dispatch
@testable import Tensors

/// `SpinLocks`: a lock's body runs on one thread at a time, with more threads than cores too.
final class SpinLocksTests: XCTestCase {
    func testEveryIncrementUnderTheLockCounts() {
        let locks = SpinLocks(count: 3)
        let counters = UnsafeMutablePointer<Int>.allocate(capacity: 3)
        counters.initialize(repeating: 0, count: 3)
        defer { counters.deallocate() }
        nonisolated(unsafe) let c = counters
        // 8 threads on however many cores, each adding 20,000 times to each of three counters
        // (a read, a pause-free gap, then a write: a lost update would show).
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for k in 0..<60_000 {
                locks.locked(k % 3) {
                    let v = c[k % 3]
                    c[k % 3] = v + 1
                }
            }
        }
        XCTAssertEqual(Array(UnsafeBufferPointer(start: counters, count: 3)), [160_000, 160_000, 160_000])
        XCTAssertEqual(locks.locked(1) { 7 }, 7)
    }
}
