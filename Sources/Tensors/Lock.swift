import CAtomics
#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex (Foundation-free) for the little state threads share, such as a progress count.
/// The mutex lives in its own allocation, so its address never moves.
public final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init() {
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// A row of spin locks, one 32-bit word each, for data that threads rarely contend for: each lock
/// guards a small block (a pair's couplings), so a blocked thread waits only as long as the other
/// takes to add one block, and a mutex per block would cost 40 bytes and a system call's path. A
/// waiter yields its core every 256 spins, in case the holder was descheduled.
public final class SpinLocks: @unchecked Sendable {
    @usableFromInline let words: UnsafeMutablePointer<Int32>
    public let count: Int

    public init(count: Int) {
        self.count = count
        words = .allocate(capacity: Swift.max(count, 1))
        words.initialize(repeating: 0, count: Swift.max(count, 1))
    }

    deinit { words.deallocate() }

    /// body() while holding lock k (inlinable: the body is a few adds, not worth a call).
    @inlinable
    public func locked<T>(_ k: Int, _ body: () throws -> T) rethrows -> T {
        let word = words + k
        var spins = 0
        while !seqgen_atomic_exchange_if(word, 0, 1) {
            while seqgen_atomic_load(word) != 0 {
                // More threads than cores: the holder may be descheduled; give it the core.
                spins += 1
                if spins % 256 == 0 { sched_yield() } else { seqgen_spin_pause() }
            }
        }
        defer { seqgen_atomic_store(word, 0) }
        return try body()
    }
}
