import ArgumentParser
import Tensors

@main
struct Seqgen: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "seqgen",
        abstract: "Generative models of biological sequences: Potts/PSSM/Gaussian models over MSAs, contacts, mutation effects, regulatory CNNs.",
        version: version,
        subcommands: [FitCommand.self, ContactsCommand.self, ScoreCommand.self, CompareCommand.self, EvalCommand.self, InfoCommand.self, SimulateCommand.self, SampleCommand.self, LogoCommand.self, CNNCommand.self, Bench.self]
    )

    static func main() {
        BLASRuntime.preferFastKernel()
        BLASRuntime.keepFreedMemory()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every long-running command shares.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "Worker threads for seqgen's own loops and BLAS (default: all cores).")
    var threads: Int?

    @Flag(help: "No progress bar on stderr.")
    var quiet = false

    /// Sets seqgen's and OpenBLAS's thread counts. `ownThreading`: the command splits its work over
    /// the cores itself (CNN kernels run one single-threaded sgemm per worker), so OpenBLAS stays at
    /// one thread — its idle pool threads would otherwise spin (sched_yield) for ~0.1 s after every
    /// multi-threaded call and take a core from the workers.
    func apply(ownThreading: Bool = false) throws {
        if let threads {
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            Parallel.threadCount = threads
            BLASRuntime.setThreads(threads)
        }
        if ownThreading { BLASRuntime.setThreads(1) }
    }
}
