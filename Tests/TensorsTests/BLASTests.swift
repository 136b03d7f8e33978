import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Tensors
import Dispatch
import Synchronization

@Suite struct BLASTests {
    /// Two threads' holds overlap (A starts, B starts, A ends, B ends): the count stays 1 until the
    /// last ends, then the count found first comes back — set once to 1 and once back.
    @Test func overlappingHoldsFromTwoThreadsShareOne() {
        final class Recorder: Sendable {
            let state = Mutex<(count: Int32, sets: [Int32])>((2, []))
            var count: Int32 { state.withLock { $0.count } }
        }
        let recorder = Recorder()
        let threads = BLASThreads(get: { recorder.count }, set: { n in recorder.state.withLock { $0.count = n; $0.sets.append(n) } })
        let (aIn, bIn, aOut) = (DispatchSemaphore(value: 0), DispatchSemaphore(value: 0), DispatchSemaphore(value: 0))
        let insideB = Mutex<[Int32]>([])
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            threads.holdingOne { aIn.signal(); bIn.wait() }
            aOut.signal()
        }
        DispatchQueue.global().async(group: group) {
            aIn.wait()
            threads.holdingOne {
                bIn.signal()
                aOut.wait()                                    // A's hold has ended
                insideB.withLock { $0.append(recorder.count) }
            }
        }
        group.wait()
        #expect(insideB.withLock { $0 } == [1])
        #expect(recorder.count == 2 && recorder.state.withLock { $0.sets } == [1, 2])
    }

    @Test func kernelFollowsTheCPUsInstructionSets() {
        let avx512: Set<Substring> = ["fpu", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"]
        #expect(BLAS.preferredKernel(cpuFlags: avx512) == "SkylakeX")
        // AVX-512 F alone (no BW/DQ/VL) cannot run SkylakeX kernels.
        #expect(BLAS.preferredKernel(cpuFlags: ["avx2", "fma", "avx512f"]) == "Haswell")
        #expect(BLAS.preferredKernel(cpuFlags: ["avx2", "fma"]) == "Haswell")
        #expect(BLAS.preferredKernel(cpuFlags: ["sse3", "avx"]) == nil)
        #expect(BLAS.preferredKernel(cpuFlags: []) == nil)
    }

    /// Opening OpenBLAS leaves the idle timeout set (the user's, or seqgen's 4) and a known kernel.
    @Test func openingSetsTheIdleTimeout() {
        _ = BLAS.coreName
        #expect(getenv("OPENBLAS_THREAD_TIMEOUT") != nil)
        #expect(!BLAS.coreName.isEmpty && BLAS.coreName != "unknown")
    }

    /// A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]]: A⁻¹ = adj(A)/det(A), det 44.
    @Test func invertsAPositiveDefiniteMatrixFromItsUpperTriangle() throws {
        var a: [Double] = [4, 2, 0,
                           0, 5, 1,
                           0, 0, 3]   // only the upper triangle is read
        #expect(BLAS.invertPositiveDefinite(&a, dimension: 3) == nil)
        let expected: [Double] = [14, -6, 2, 0, 12, -4, 0, 0, 16].map { $0 / 44 }
        for r in 0..<3 { for c in r..<3 { #expect(Swift.abs(a[r * 3 + c] - expected[r * 3 + c]) < 1e-12) } }
    }

    @Test func reportsAMatrixThatIsNotPositiveDefinite() throws {
        var a: [Double] = [1, 2, 0, 1]   // [[1, 2], [2, 1]]: eigenvalues 3 and −1
        let failure = try #require(BLAS.invertPositiveDefinite(&a, dimension: 2))
        #expect(failure.routine == "dpotrf" && failure.info == 2)
    }

    @Test func levelOneAndThreeRoutinesMatchPlainLoops() {
        let x: [Float] = [1, 2, 3], y0: [Float] = [4, 5, 6]
        var y = y0
        BLAS.saxpy(3, 2, x, &y)
        #expect(y == [6, 9, 12])
        #expect(BLAS.dsdot(3, x, y0) == 32)
        // C = AᵀA for A (2 × 3): upper triangle only.
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        var c = [Float](repeating: 0, count: 9)
        BLAS.ssyrkTransposed(3, 2, 1, a, 3, 0, &c, 3)
        #expect([c[0], c[1], c[2], c[4], c[5], c[8]] == [17, 22, 27, 29, 36, 45])
    }
}
