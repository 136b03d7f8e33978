import Testing
import Foundation
import CMalloc
import Tensors
@testable import Optimizers
#if canImport(Glibc)
import Glibc
#endif

@Suite struct LBFGSMemoryTests {
    /// Bytes in glibc's mmap'd blocks now: every allocation above its largest mmap threshold
    /// (32 MB) is one, so vectors of 64 MB are counted exactly, whatever the heap does.
    static func mappedBytes() -> Int { Int(mallinfo2().hblkhd) }

    /// The most n-float vectors L-BFGS holds while its objective runs, measured in a forked child
    /// (the test process runs other tests' allocations in parallel; the child runs this alone,
    /// on one thread) as the growth of mmap'd memory, in whole vectors; reported as the exit status.
    static func peakVectors(memory m: Int, n: Int) -> Int? {
        let pid = fork()
        if pid == 0 {
            Parallel.threadCount = 1
            let curvature = (0..<n).map { Float(1 + $0 % 97) }       // f = ½ Σ c_i (x_i − 1)², not solved in a few steps
            let before = mappedBytes()
            let x0 = [Float](repeating: 0, count: n)
            var peak = 0
            let r = LBFGS(memory: m, maxIterations: m + 4, gradientTolerance: 0).minimize(consume x0) { x, g in
                peak = Swift.max(peak, mappedBytes() - before)
                var f = 0.0
                curvature.withUnsafeBufferPointer { c in
                    for i in 0..<n { let e = x[i] - 1; g[i] = c[i] * e; f += Double(c[i] * e * e) / 2 }
                }
                return f
            }
            _exit(r.iterations == m + 4 ? Int32((Double(peak) / Double(n * 4)).rounded()) : 255)
        }
        guard pid > 0 else { return nil }
        var status: Int32 = 0
        for _ in 0..<1200 {           // at most 60 s
            if waitpid(pid, &status, WNOHANG) == pid { return status & 0x7F == 0 ? Int((status >> 8) & 0xFF) : nil }
            usleep(50_000)
        }
        kill(pid, SIGKILL); waitpid(pid, &status, 0)
        return nil
    }

    /// L-BFGS holds `vectorCount(m)` = 2m + 3 vectors of n floats at its peak (x, ∇f, d, the m pairs,
    /// the trial point and gradient in the oldest pair's storage), counting the start vector the
    /// caller hands over. A copy kept beside x, or fresh trial vectors per line search, add one or two.
    ///
    /// Opt-in (`SEQGEN_FORK_TESTS=1`, run alone by scripts/test.sh): OpenBLAS's pthread_atfork
    /// handler shuts its thread pool down in the parent, under any other test that is inside a
    /// threaded sgemm at that moment — observed as a hang of the whole parallel test run.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["SEQGEN_FORK_TESTS"] != nil, "forks; run alone with SEQGEN_FORK_TESTS=1"),
          arguments: [1, 2])
    func lbfgsHoldsTwoMPlusThreeVectorsAtItsPeak(memory m: Int) {
        let vectors = Self.peakVectors(memory: m, n: 16 << 20)
        #expect(vectors == LBFGS.vectorCount(memory: m))
    }
}
