import Console
import ArgumentParser
import Attribution
import Autodiff
import Optimizers
import RegulatoryCNN
import Tensors
#if canImport(Glibc)
import Glibc
#endif

extension Seqgen.Bench {
    /// The CNN figures a PyTorch user compares against: milliseconds per training step (forward,
    /// backward, Adam), forward throughput in sequences per second and in-silico mutagenesis
    /// mutants per second, each by wall clock and by the process's CPU seconds (all threads).
    struct CNN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cnn",
            abstract: "Milliseconds per CNN training step and forward sequences/s on random one-hot DNA (see Benchmarks/cnn.sh)."
        )

        @Option(help: "Architecture name or layer list.")
    var architecture = "cnn-deep-same"

        @Option(parsing: .unconditional, help: "Sequence length.")
        var length = 200

        @Option(parsing: .unconditional, help: "Outputs (tasks).")
        var tasks = 12

        @Option(parsing: .unconditional, help: "Training batch size.")
        var batchSize = 100

        @Option(parsing: .unconditional, help: "Timed training steps (after 3 warm-up steps).")
        var steps = 20

        @Option(parsing: .unconditional, help: "Forward batch size for the throughput figure.")
        var forwardBatch = 500

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try runtime.apply(ownThreading: true)
            let arch = architecture.hasPrefix("cnn-") ? try CNNArchitecture.named(architecture) : try CNNArchitecture(architecture)
            let model = try CNNModel(architecture: arch, length: length, taskNames: (0..<tasks).map { "t\($0)" }, seed: 1)
            var rng = RandomGenerator(seed: 2)
            func oneHot(_ n: Int) -> Tensor {
                var x = Tensor(zeros: [n, 4, length])
                for s in 0..<n { for i in 0..<length { x.scalars[(s * 4 + rng.int(below: 4)) * length + i] = 1 } }
                return x
            }
            let x = oneHot(batchSize)
            let y = Tensor(shape: [batchSize, tasks], scalars: (0..<(batchSize * tasks)).map { _ in rng.uniform() < 0.3 ? 1 : 0 })
            let adam = Adam(model.parameters, learningRate: 1e-3)
            func step() {
                adam.zeroGrad()
                let loss = binaryCrossEntropyWithLogits(model.logits(Variable(x), training: true), targets: y)
                loss.backward()
                adam.step()
            }
            for _ in 0..<3 { step() }
            let t = Stopwatch(), tc = cpuSeconds()
            for _ in 0..<steps { step() }
            let msPerStep = t.seconds / Double(steps) * 1000, cpuMsPerStep = (cpuSeconds() - tc) / Double(steps) * 1000
            let big = oneHot(forwardBatch)
            _ = model.predict(big, batchSize: forwardBatch)
            let f = Stopwatch(), fc = cpuSeconds()
            var forwards = 0
            while f.seconds < 2 || forwards < 2 { _ = model.predict(big, batchSize: forwardBatch); forwards += 1 }
            let perSecond = Double(forwards * forwardBatch) / f.seconds
            let perCPUSecond = Double(forwards * forwardBatch) / (cpuSeconds() - fc)
            var ism = Attributor(model: model, task: 0)
            ism.batchSize = forwardBatch
            let sequences = oneHot(4)
            _ = ism.mutagenesis(sequences)
            let m = Stopwatch(), mc = cpuSeconds()
            var mutants = 0
            while m.seconds < 2 || mutants == 0 { _ = ism.mutagenesis(sequences); mutants += 3 * length * 4 }
            let ismPerSecond = Double(mutants) / m.seconds, ismPerCPUSecond = Double(mutants) / (cpuSeconds() - mc)
            print("architecture: \(arch.description) (\(model.network.parameterCount) parameters), L = \(length), \(tasks) outputs, threads = \(Parallel.threadCount)")
            print("training step (batch \(batchSize)): \(fixed(msPerStep, 1)) ms (CPU \(fixed(cpuMsPerStep, 1)) ms)")
            print("forward: \(fixed(perSecond, 0)) sequences/s (CPU \(fixed(perCPUSecond, 0)) per CPU second; batch \(forwardBatch))")
            print("ISM: \(fixed(ismPerSecond, 0)) mutants/s (CPU \(fixed(ismPerCPUSecond, 0)) per CPU second; all 3L single mutants of 4 sequences, batch \(forwardBatch))")
        }
    }
}

/// CPU seconds this process has used so far, all threads together (wall time on a shared machine
/// counts the neighbours' work too).
private func cpuSeconds() -> Double {
    #if canImport(Glibc)
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    #else
    return 0
    #endif
}
