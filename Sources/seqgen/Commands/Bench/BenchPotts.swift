import Console
import ArgumentParser
import Sequences
import Potts
import Tensors
#if canImport(Glibc)
import Glibc
#endif

extension Seqgen.Bench {
    /// Seconds per pseudolikelihood evaluation (wall and CPU), against the N·L²·q work unit.
    struct Potts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "potts",
            abstract: "Seconds per pseudolikelihood objective + gradient evaluation on an alignment."
        )

        @Argument(help: "Alignment file.")
        var alignment: String

        @OptionGroup var input: AlignmentOptions

        @Option(parsing: .unconditional, help: "Evaluations to time (best is reported).")
        var repeats = 5

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try runtime.apply()
            let msa = try input.read(alignment)
            let weights = SequenceWeights.compute(msa)
            let objective = PseudoLikelihood(msa, weights: weights)
            var rng = RandomGenerator(seed: 1)
            let theta = (0..<objective.parameterCount).map { _ in 0.01 * rng.normal() }
            var gradient = [Float](repeating: 0, count: theta.count)
            var best = Double.infinity, bestCPU = Double.infinity
            for _ in 0..<repeats {
                let (t, cpu) = (Stopwatch(), Self.cpuSeconds())
                _ = objective.evaluate(theta, &gradient)
                best = min(best, t.seconds)
                bestCPU = min(bestCPU, Self.cpuSeconds() - cpu)
            }
            let (n, l, q) = (Double(msa.count), Double(msa.length), Double(msa.alphabet.size))
            let unit = n * l * l * q
            print("alignment \(alignment): N = \(msa.count), L = \(msa.length), q = \(msa.alphabet.size), threads = \(Parallel.threadCount), distinct rows = \(objective.rows)")
            print("seconds per evaluation: \(fixed(best, 4)) wall, \(fixed(bestCPU, 4)) CPU (each the best of \(repeats); CPU = user + system of all threads)")
            print("work N·L²·q = \(fixed(unit / 1e9, 3)) G; \(fixed(unit / best / 1e9, 2)) G/s")
            // Memory-bandwidth view: each (n, i, j) reads a 96-byte coupling row and updates a 96-byte gradient row.
            print("coupling-row traffic: \(fixed(n * l * l * 96 * 3 / best / 1e9, 1)) GB/s (L2-resident per site)")
        }

        /// User + system CPU seconds of this process so far, all threads (getrusage).
        static func cpuSeconds() -> Double {
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
            return seconds(usage.ru_utime) + seconds(usage.ru_stime)
        }
    }
}
