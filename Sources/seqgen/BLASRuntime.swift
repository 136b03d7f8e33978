import CBLAS
import CMalloc
import FileIO
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS set-up for the process.
enum BLASRuntime {
    /// Debian's OpenBLAS 0.3.21 does not recognise Zen 5 and falls back to its Haswell (AVX2)
    /// kernels at half the sgemm speed. The kernel is chosen when the library loads, so when the
    /// CPU has AVX-512 and the user has not chosen a kernel, re-execute once with
    /// OPENBLAS_CORETYPE=SkylakeX (see NATIVE.md). A CPU without AVX-512 is left alone.
    static func preferFastKernel() {
        guard getenv("OPENBLAS_CORETYPE") == nil, getenv("SEQGEN_NO_REEXEC") == nil else { return }
        let corename = String(cString: openblas_get_corename())
        guard corename.lowercased().contains("haswell") || corename.lowercased().contains("zen"), cpuHasAVX512F() else { return }
        setenv("OPENBLAS_CORETYPE", "SkylakeX", 1)
        setenv("SEQGEN_NO_REEXEC", "1", 1)
        let args = CommandLine.unsafeArgv
        execv("/proc/self/exe", args)
        // execv returned: carry on with the kernel we have.
    }

    static func cpuHasAVX512F() -> Bool {
        guard let f = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 8192)
        while fgets(&line, Int32(line.count), f) != nil {
            let s = String(nulTerminated: line)
            if s.hasPrefix("flags") { return s.split(separator: " ").contains("avx512f") }
        }
        return false
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
