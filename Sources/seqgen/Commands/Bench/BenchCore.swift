import ArgumentParser
import Tensors
import Autodiff
#if canImport(Glibc)
import Glibc
#endif

extension Seqgen.Bench {
    /// sgemm GFLOP/s through seqgen's matmul, and element/s of the core kernels.
    struct Core: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "core",
            abstract: "sgemm GFLOP/s and softmax / log-softmax / conv1d throughput."
        )

        @Option(help: "Comma-separated square sgemm sizes.")
        var sizes = "256,512,1024,2048"

        @Option(parsing: .unconditional, help: "Seconds to spend per measurement (best of repeats).")
        var seconds = 0.5

        @Flag(help: "Print JSON lines instead of a table.")
        var json = false

        @OptionGroup var runtime: RuntimeOptions

        /// The --sizes list, each a whole number ≥ 1.
        var sizeList: [Int] { get throws {
            try sizes.split(separator: ",", omittingEmptySubsequences: false).map { field in
                guard let n = Int(field.trimmingCharacters()), n >= 1 else {
                    throw ValidationError("--sizes '\(sizes)': '\(field)' is not a whole number ≥ 1 (e.g. --sizes 256,512)")
                }
                return n
            }
        } }

        func run() throws {
            try runtime.apply()
            var rng = RandomGenerator(seed: 1)
            print("# OpenBLAS core: \(BLAS.coreName), threads: \(Parallel.threadCount) (OpenBLAS \(BLAS.threads)), idle timeout: \(getenv("OPENBLAS_THREAD_TIMEOUT").map { String(cString: $0) } ?? "default")")
            if let note = BLAS.slowKernelNote { print("# note: \(note)") }
            for n in try sizeList {
                let a = Tensor.uniform([n, n], using: &rng), b = Tensor.uniform([n, n], using: &rng)
                let t = best { _ = Tensor.matmul(a, b) }
                report("sgemm", "n=\(n)", 2 * Double(n * n * n) / t / 1e9, "GFLOP/s", t)
            }
            let x = Tensor.normal([4096, 1024], using: &rng)
            let t1 = best { _ = x.softmax(alongAxis: 1) }
            report("softmax", "4096x1024 axis 1", Double(x.count) / t1 / 1e9, "Gelem/s", t1)
            let t2 = best { _ = x.logSoftmax(alongAxis: 1) }
            report("logSoftmax", "4096x1024 axis 1", Double(x.count) / t2 / 1e9, "Gelem/s", t2)
            // The first layer of the papers' CNNs: batch 100, 4 channels, L 200, 32 filters of 19.
            for (cin, cout, k, l) in [(4, 32, 19, 200), (32, 128, 5, 50)] {
                let input = Variable(.normal([100, cin, l], using: &rng), requiresGrad: true)
                let w = Variable(.normal([cout, cin, k], std: 0.1, using: &rng), requiresGrad: true)
                let geometry = Conv1DGeometry(padding: k / 2)
                let tf = best { _ = Tensor.conv1d(input.value, w.value, geometry) }
                let gy = Tensor.normal([100, cout, l], using: &rng)
                let tb = best { _ = Tensor.conv1dBackward(gy, input.value, w.value, geometry) }
                let tfb = best {
                    let y = conv1d(input, w, geometry)
                    y.backward(Tensor(repeating: 1, shape: y.shape))
                }
                let flops = 2.0 * Double(100 * cout * cin * k * l)
                report("conv1d fwd", "100x\(cin)x\(l) * \(cout)x\(cin)x\(k)", flops / tf / 1e9, "GFLOP/s", tf)
                report("conv1d bwd", "100x\(cin)x\(l) * \(cout)x\(cin)x\(k)", 2 * flops / tb / 1e9, "GFLOP/s", tb)
                report("conv1d fwd+bwd", "100x\(cin)x\(l) * \(cout)x\(cin)x\(k)", 3 * flops / tfb / 1e9, "GFLOP/s", tfb)
            }
        }

        func report(_ op: String, _ shape: String, _ rate: Double, _ unit: String, _ seconds: Double) {
            if json {
                print("{\"op\": \"\(op)\", \"shape\": \"\(shape)\", \"rate\": \(rate), \"unit\": \"\(unit)\", \"seconds\": \(seconds)}")
            } else {
                print("\(op.padding(16)) \(shape.padding(28)) \(String(format2: rate).padding(10)) \(unit)   (\(String(format2: seconds * 1e3)) ms)")
            }
        }

        /// Minimum wall time of repeated calls over about `seconds`.
        func best(_ body: () -> Void) -> Double {
            body()
            var bestTime = Double.infinity
            let start = now()
            repeat {
                let t0 = now(); body(); bestTime = min(bestTime, now() - t0)
            } while now() - start < seconds
            return bestTime
        }
    }
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    init(format2 v: Double) {
        let r = (v * 100).rounded() / 100
        self = String(r)
    }
}
