import CMalloc
import Tensors

/// Process-wide settings of the `seqgen` binary's native libraries. (OpenBLAS's kernel and idle spin
/// are chosen where it is opened, `Tensors.BLAS`, so that test binaries get them too.)
enum BLASRuntime {
    /// Tensors of a few MB are allocated and freed on every layer call. glibc hands blocks above
    /// its mmap threshold back to the kernel on free, so each new one page-faults in afresh (≈ 10% of
    /// a CNN forward pass); keeping them in the heap lets the next call reuse warm pages.
    static func keepFreedMemory() {
        _ = mallopt(M_MMAP_THRESHOLD, 256 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 512 << 20)
    }

    static func setThreads(_ n: Int) { BLAS.threads = Int32(n) }
}
