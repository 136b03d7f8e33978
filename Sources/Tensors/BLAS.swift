import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS, opened on first use (`Sources/CBLAS/shim.h` says why it is not linked).
///
/// Opening it first sets two settings its constructor reads from the environment, unless the user
/// set them:
/// - the kernel (`OPENBLAS_CORETYPE`): OpenBLAS picks it from the CPU model, and a model it does not
///   know gets a slow fallback (Debian's 0.3.21 runs Haswell (AVX2) kernels on AMD Zen 5 at half the
///   sgemm speed, and Prescott (SSE3) kernels on Intel Sapphire Rapids at a third of it). The choice
///   here goes by what the CPU can do instead (`preferredKernel`).
/// - the idle spin (`OPENBLAS_THREAD_TIMEOUT`): pool threads busy-wait (sched_yield) for 2²⁸ cycles,
///   ≈ 0.1 s, at start-up and after every threaded call. That was 0.1 CPU s of every run (a third of
///   a small Potts fit), and a 2-thread VAE fit spent 17–20 of its 58–63 CPU s in it. 4 (2⁴ cycles,
///   the minimum) puts them to sleep at once; results do not change.
/// Every process that computes — the `seqgen` binary and the test binaries alike — gets the same.
public enum BLAS {
    /// The library's entry points; the first use opens it. A machine without OpenBLAS cannot compute
    /// anything, so that ends the process with the loader's message.
    @usableFromInline
    static let api: seqgen_blas_api = {
        chooseSettings()
        var api = seqgen_blas_api()
        if let message = seqgen_blas_load(&api) {
            let text = "error: \(String(cString: message))\n"
            _ = text.withCString { write(2, $0, strlen($0)) }
            exit(1)
        }
        if let n = requestedThreads { api.set_num_threads!(n) }
        isOpen = true
        return api
    }()

    /// Whether `api` has opened the library.
    nonisolated(unsafe) static var isOpen = false
    /// The thread count set before the library was opened, applied when it is: setting the count
    /// (every command does, from --threads) must not open it, since loading OpenBLAS and its
    /// Fortran runtime (15,000 symbol relocations, its thread pool) was 3–5% of the `perf` samples
    /// of a small Potts fit, which never calls it.
    nonisolated(unsafe) static var requestedThreads: Int32?

    /// OPENBLAS_THREAD_TIMEOUT's value: pool threads spin 2⁴ cycles before sleeping.
    static let idleTimeout = "4"

    /// The kernel the environment named (OPENBLAS_CORETYPE set before OpenBLAS was opened), or nil.
    nonisolated(unsafe) public private(set) static var environmentKernel: String?

    static func chooseSettings() {
        if let named = getenv("OPENBLAS_CORETYPE") {
            environmentKernel = String(cString: named)
        } else if let kernel = preferredKernel(cpuFlags: cpuFlags()) {
            setenv("OPENBLAS_CORETYPE", kernel, 1)
        }
        if getenv("OPENBLAS_THREAD_TIMEOUT") == nil { setenv("OPENBLAS_THREAD_TIMEOUT", idleTimeout, 1) }
    }

    /// The kernel to ask for: SkylakeX where the CPU has AVX-512 (F, BW, DQ, VL), Haswell where it has
    /// AVX2 and FMA (see NATIVE.md), else nil (OpenBLAS's own choice).
    public static func preferredKernel(cpuFlags flags: Set<Substring>) -> String? {
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(flags.contains) { return "Haswell" }
        return nil
    }

    /// A line for the user when the environment pins a kernel without AVX-512 on a CPU that has it
    /// (some machines export OPENBLAS_CORETYPE=Haswell to every process: sgemm at half the speed),
    /// else nil. Call after OpenBLAS is open.
    public static var slowKernelNote: String? {
        guard let named = environmentKernel, preferredKernel(cpuFlags: cpuFlags()) == "SkylakeX",
              !["skylakex", "cooperlake", "sapphirerapids"].contains(named.lowercased()) else { return nil }
        return "OPENBLAS_CORETYPE=\(named) from the environment; this CPU runs OpenBLAS's SkylakeX (AVX-512) kernel, which seqgen picks when the variable is unset"
    }

    /// The `flags` line of /proc/cpuinfo (empty where there is none).
    static func cpuFlags() -> Set<Substring> {
        guard let f = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), f) != nil {
            let s = String(decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if s.hasPrefix("flags") { return Set(s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })) }
        }
        return []
    }

    /// The kernel OpenBLAS runs (e.g. "SkylakeX").
    public static var coreName: String { api.get_corename!().map { String(cString: $0) } ?? "unknown" }

    /// OpenBLAS's process-wide thread count. Set before the library is opened, it is kept until it
    /// is (and read back from there); reading it otherwise opens the library.
    public static var threads: Int32 {
        get {
            if !isOpen, let n = requestedThreads { return n }
            return api.get_num_threads!()
        }
        set {
            if isOpen { api.set_num_threads!(newValue) } else { requestedThreads = newValue }
        }
    }

    /// C ← α·op(A)·op(B) + β·C, row-major (cblas_sgemm); callers use `Tensors.sgemm`.
    @inlinable
    static func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int32, _ n: Int32, _ k: Int32, _ alpha: Float,
                      _ a: UnsafePointer<Float>?, _ lda: Int32, _ b: UnsafePointer<Float>?, _ ldb: Int32,
                      _ beta: Float, _ c: UnsafeMutablePointer<Float>?, _ ldc: Int32) {
        let (noTrans, trans) = (Int32(SEQGEN_CBLAS_NO_TRANS), Int32(SEQGEN_CBLAS_TRANS))
        api.sgemm!(Int32(SEQGEN_CBLAS_ROW_MAJOR), transA ? trans : noTrans, transB ? trans : noTrans,
                   m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }

    /// The upper triangle of C (n × n) ← α·AᵀA + β·C for A (k × n), row-major (cblas_ssyrk).
    public static func ssyrkTransposed(_ n: Int32, _ k: Int32, _ alpha: Float, _ a: UnsafePointer<Float>?, _ lda: Int32,
                                       _ beta: Float, _ c: UnsafeMutablePointer<Float>?, _ ldc: Int32) {
        api.ssyrk!(Int32(SEQGEN_CBLAS_ROW_MAJOR), Int32(SEQGEN_CBLAS_UPPER), Int32(SEQGEN_CBLAS_TRANS), n, k, alpha, a, lda, beta, c, ldc)
    }

    /// y ← α·x + y (cblas_saxpy).
    static func saxpy(_ n: Int32, _ alpha: Float, _ x: UnsafePointer<Float>?, _ y: UnsafeMutablePointer<Float>?) {
        api.saxpy!(n, alpha, x, 1, y, 1)
    }

    /// Σ x_i y_i accumulated in double (cblas_dsdot).
    static func dsdot(_ n: Int32, _ x: UnsafePointer<Float>?, _ y: UnsafePointer<Float>?) -> Double {
        api.dsdot!(n, x, 1, y, 1)
    }

    /// A⁻¹ for a symmetric positive definite A (d × d, row-major, double) whose upper triangle `a`
    /// holds, in place, by Cholesky: A = UᵀU (dpotrf), then A⁻¹ from U (dpotri). On return the upper
    /// triangle holds A⁻¹'s; the lower one is undefined. Returns nil, or the failing routine and its
    /// LAPACK info (dpotrf's info k > 0: the leading k × k minor is not positive definite).
    /// LAPACK is column-major: the matrix is transposed in place around the two calls, as LAPACKE's
    /// row-major interface does through a copy, so the results are the same bits.
    public static func invertPositiveDefinite(_ a: inout [Double], dimension d: Int) -> (routine: String, info: Int32)? {
        precondition(a.count == d * d)
        guard d > 0 else { return nil }
        func transpose() { for r in 0..<d { for c in (r + 1)..<d { a.swapAt(r * d + c, c * d + r) } } }
        var (n, lda, info) = (Int32(d), Int32(d), Int32(0))
        let upper: [CChar] = [CChar(UInt8(ascii: "U")), 0]
        transpose()
        defer { transpose() }
        a.withUnsafeMutableBufferPointer { p in api.dpotrf!(upper, &n, p.baseAddress, &lda, &info, 1) }
        if info != 0 { return ("dpotrf", info) }
        a.withUnsafeMutableBufferPointer { p in api.dpotri!(upper, &n, p.baseAddress, &lda, &info, 1) }
        return info != 0 ? ("dpotri", info) : nil
    }
}
