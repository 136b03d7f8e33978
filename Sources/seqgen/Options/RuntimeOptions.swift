import ArgumentParser
import Console
import Tensors
import Optimizers
#if canImport(Glibc)
import Glibc
#endif

/// Options every long-running command shares.
struct RuntimeOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Worker threads for seqgen's own loops and BLAS (default: all cores).")
    var threads: Int?

    @OptionGroup var output: OutputOptions

    var quiet: Bool { output.quiet }

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    /// Sets seqgen's and OpenBLAS's thread counts. `ownThreading`: the command splits its work over
    /// the cores itself (CNN kernels run one single-threaded sgemm per worker), so OpenBLAS stays at
    /// one thread — its idle pool threads would otherwise spin (sched_yield) for ~0.1 s after every
    /// multi-threaded call and take a core from the workers.
    func apply(ownThreading: Bool = false) throws {
        if let threads {
            Parallel.threadCount = threads
            BLASRuntime.setThreads(threads)
        } else if !(["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"] as [String]).contains(where: { getenv($0) != nil }) {
            // OpenBLAS's own default (all cores), stated so that fits which hold it at one thread
            // around their loops need not open it to read the count back.
            BLASRuntime.setThreads(Parallel.threadCount)
        }
        if ownThreading { BLASRuntime.setThreads(1) }
    }
}
