import CBLAS
import CMalloc
import FileIO
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS set-up for the process.
enum BLASRuntime {
    /// OpenBLAS picks its kernel from the CPU model when the library loads, and a model it does not
    /// know gets a slow fallback: Debian's 0.3.21 runs Haswell (AVX2) kernels on AMD Zen 5 at half
    /// the sgemm speed, and Prescott (SSE3) kernels on Intel Sapphire Rapids at a third of it. So
    /// when the user has not chosen a kernel, choose by what the CPU can do instead: SkylakeX where
    /// it has AVX-512 (F, BW, DQ, VL), Haswell where it has AVX2 and FMA, and re-execute once with
    /// OPENBLAS_CORETYPE set (see NATIVE.md). A kernel OpenBLAS already chose at that level or
    /// above is kept.
    static func preferFastKernel() {
        guard getenv("OPENBLAS_CORETYPE") == nil, getenv("SEQGEN_NO_REEXEC") == nil else { return }
        guard let kernel = fasterKernel(current: String(cString: openblas_get_corename()), cpuFlags: cpuFlags()) else { return }
        setenv("OPENBLAS_CORETYPE", kernel, 1)
        setenv("SEQGEN_NO_REEXEC", "1", 1)
        let args = CommandLine.unsafeArgv
        execv("/proc/self/exe", args)
        // execv returned: carry on with the kernel we have.
    }

    /// The OpenBLAS kernel to ask for instead of `current`, or nil when `current` is as good as the
    /// CPU's instruction sets allow.
    static func fasterKernel(current: String, cpuFlags flags: Set<Substring>) -> String? {
        let core = current.lowercased()
        let avx512Kernels = ["skylakex", "cooperlake", "sapphirerapids"]
        if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) {
            return avx512Kernels.contains(core) ? nil : "SkylakeX"
        }
        if ["avx2", "fma"].allSatisfy(flags.contains) {
            return (avx512Kernels + ["haswell", "zen"]).contains(core) ? nil : "Haswell"
        }
        return nil
    }

    /// The `flags` line of /proc/cpuinfo (empty where there is none).
    static func cpuFlags() -> Set<Substring> {
        guard let f = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), f) != nil {
            let s = String(nulTerminated: line)
            if s.hasPrefix("flags") { return Set(s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })) }
        }
        return []
    }

    /// Tensors of a few MB are allocated and freed on every layer call. glibc hands blocks above
    /// its mmap threshold back to the kernel on free, so each new one page-faults in afresh (≈ 10% of
    /// a CNN forward pass); keeping them in the heap lets the next call reuse warm pages.
    static func keepFreedMemory() {
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
    }

    static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(n)) }
    static var coreName: String { String(cString: openblas_get_corename()) }
}
