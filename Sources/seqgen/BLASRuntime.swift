import CBLAS
import CMalloc
import FileIO
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS set-up for the process.
enum BLASRuntime {
    /// OpenBLAS reads two settings from the environment when the library loads, so choose them
    /// before it matters and re-execute once with them set (unless the user set them):
    /// - the kernel: OpenBLAS picks it from the CPU model, and a model it does not know gets a slow
    ///   fallback (Debian's 0.3.21 runs Haswell (AVX2) kernels on AMD Zen 5 at half the sgemm speed,
    ///   and Prescott (SSE3) kernels on Intel Sapphire Rapids at a third of it). Choose by what the
    ///   CPU can do instead: SkylakeX where it has AVX-512 (F, BW, DQ, VL), Haswell where it has
    ///   AVX2 and FMA (see NATIVE.md). A kernel OpenBLAS already chose at that level is kept.
    /// - the idle spin: OpenBLAS's pool threads busy-wait (sched_yield) for 2²⁸ cycles, ≈ 0.1 s,
    ///   at start-up and after every threaded call. That is 0.1 CPU s of every run (a third of a
    ///   small Potts fit), and a 2-thread VAE fit spent 17–20 of its 58–63 CPU s in it.
    ///   `OPENBLAS_THREAD_TIMEOUT=4` (2⁴ cycles, the minimum) puts them to sleep at once: the same
    ///   VAE fit took 31–36 CPU s and less wall time, and results do not change.
    static func configureOpenBLAS() {
        guard getenv("SEQGEN_NO_REEXEC") == nil else { return }
        var changed = false
        if getenv("OPENBLAS_CORETYPE") == nil,
           let kernel = fasterKernel(current: String(cString: openblas_get_corename()), cpuFlags: cpuFlags()) {
            setenv("OPENBLAS_CORETYPE", kernel, 1); changed = true
        }
        if getenv("OPENBLAS_THREAD_TIMEOUT") == nil { setenv("OPENBLAS_THREAD_TIMEOUT", idleTimeout, 1); changed = true }
        guard changed else { return }
        setenv("SEQGEN_NO_REEXEC", "1", 1)
        let args = CommandLine.unsafeArgv
        execv("/proc/self/exe", args)
        // execv returned: carry on with the settings we have.
    }

    /// OPENBLAS_THREAD_TIMEOUT's value: pool threads spin 2⁴ cycles before sleeping.
    static let idleTimeout = "4"

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
