import CAtomics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Threads that wait between parallel loops (`Parallel.forEachChunk` and its kin), so that a loop
/// of tens of microseconds is worth splitting. libdispatch's `concurrentPerform` hands each loop's
/// chunks to threads that sleep between loops and are woken through the kernel; in a fit or a
/// training step, loops of 0.1–1 ms follow each other with a few microseconds of serial code
/// between them. Here each worker spins on its own mailbox for `spinSeconds` after its chunk
/// before it sleeps on a condition variable, so the next loop usually finds it running (README,
/// "Performance" and docs/performance.md: the wall-time gain on CNN training steps and a Potts fit).
///
/// One caller at a time: a loop started while the pool is running another (a nested loop inside a
/// chunk, or a second thread) gets `false` from `run` and is split by libdispatch instead.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long a worker stays awake after its chunk, and a caller spins on an unfinished chunk,
    /// before sleeping: a few times the 10 µs (median; 17 µs at the 90th percentile) a sleeping
    /// thread took to wake on a condition variable on the 2-core VM, so the gap between back-to-back
    /// loops is covered while an idle pool costs at most 50 µs of CPU per loop.
    static let spinSeconds = 50e-6

    private let busy = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var workers: [Worker] = []
    /// The loop body while `run` runs (nil otherwise); workers call it with their chunk.
    fileprivate var body: ((Int) -> Void)?

    private init() {
        busy.initialize(to: 0)
        // A forked child has only the thread that forked: it starts its own workers when it needs them.
        pthread_atfork(nil, nil) { WorkerPool.shared.forgetWorkers() }
    }

    private func forgetWorkers() {
        workers = []
        seqgen_atomic_store(busy, 0)
    }

    /// Calls `body(c)` for every c in 0..<chunks, c = 0 on the calling thread and the others on
    /// workers (started on first use), and returns when all are done. Returns false, having run
    /// nothing, when the pool is already running a loop.
    func run(chunks: Int, _ body: (Int) -> Void) -> Bool {
        guard seqgen_atomic_exchange_if(busy, 0, 1) else { return false }
        defer { seqgen_atomic_store(busy, 0) }
        while workers.count < chunks - 1 { workers.append(Worker(pool: self)) }
        withoutActuallyEscaping(body) { body in
            self.body = body
            for w in 1..<chunks { workers[w - 1].post(chunk: w) }
            body(0)
            for w in 1..<chunks { workers[w - 1].waitUntilDone() }
            self.body = nil
        }
        return true
    }
}

/// A parked thread and its mailbox: `state` goes idle → posted (by the caller, with `chunk`) →
/// idle (by the worker, when the chunk is done). Each side spins first and then sleeps on
/// `condition` under `mutex`: an idle worker that has spun long enough moves idle → sleeping and
/// waits for posted; a caller still waiting moves posted → awaited and waits for idle. The side
/// that finds the other asleep changes the state under the mutex and signals.
private final class Worker: @unchecked Sendable {
    static let idle: Int32 = 0, posted: Int32 = 1, sleeping: Int32 = 2, awaited: Int32 = 3
    let state = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    var chunk = 0
    unowned let pool: WorkerPool

    init(pool: WorkerPool) {
        self.pool = pool
        state.initialize(to: Worker.idle)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        let context = Unmanaged.passRetained(self).toOpaque()   // the thread keeps its worker for good
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<Worker>.fromOpaque(context!).takeUnretainedValue().serve()
            return nil
        }, context)
        precondition(started == 0, "could not start a worker thread (pthread_create: \(started))")
        #if canImport(Glibc)
        pthread_detach(thread)
        #else
        pthread_detach(thread!)
        #endif
    }

    func post(chunk c: Int) {
        chunk = c
        move(from: Worker.idle, to: Worker.posted)
    }

    /// Spins until the chunk is done, then sleeps until the worker says it is (a chunk that runs
    /// long must not cost the caller's core). Done is idle, or sleeping: a worker that reported
    /// idle may have spun out and gone to sleep before this thread looked.
    func waitUntilDone() {
        var spin = SpinWait()
        while case let now = seqgen_atomic_load(state), now == Worker.posted || now == Worker.awaited {
            if !spin.next() { sleep(from: Worker.posted, to: Worker.awaited) }
        }
    }

    private func serve() {
        while true {
            var spin = SpinWait()
            while case let now = seqgen_atomic_load(state), now == Worker.idle || now == Worker.sleeping {
                if !spin.next() { sleep(from: Worker.idle, to: Worker.sleeping) }
            }
            runChunk()                            // state is posted, or awaited if the caller sleeps
            move(from: Worker.posted, to: Worker.idle)
        }
    }

    /// `awake` → `asleep` under the mutex, then waits on the condition while the state stays
    /// `asleep` (the other side moves it on and signals); nothing if the state was not `awake`.
    private func sleep(from awake: Int32, to asleep: Int32) {
        pthread_mutex_lock(mutex)
        if seqgen_atomic_exchange_if(state, awake, asleep) {
            while seqgen_atomic_load(state) == asleep { pthread_cond_wait(condition, mutex) }
        }
        pthread_mutex_unlock(mutex)
    }

    /// `from` → `to`; if the other side has gone to sleep meanwhile (the state is not `from`), sets
    /// `to` under the mutex and wakes it.
    private func move(from: Int32, to: Int32) {
        if seqgen_atomic_exchange_if(state, from, to) { return }
        pthread_mutex_lock(mutex)
        seqgen_atomic_store(state, to)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// In its own frame, so that the worker's reference to the body ends before it reports idle.
    @inline(never) private func runChunk() { pool.body!(chunk) }
}

/// Spins with the CPU's pause hint until `WorkerPool.spinSeconds` have passed (the clock is read
/// every 64 spins).
private struct SpinWait {
    private var spins = 0
    private var deadline = 0.0

    /// Pauses once; false once the time is up.
    mutating func next() -> Bool {
        if spins & 63 == 0 {
            let now = SpinWait.seconds()
            if spins == 0 { deadline = now + WorkerPool.spinSeconds } else if now > deadline { return false }
        }
        spins += 1
        seqgen_spin_pause()
        return true
    }

    static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
