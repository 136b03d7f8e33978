import Testing
import Tensors
import Autodiff

/// Compares the tape's gradient of L = Σ f(x)⊙R (R a fixed random tensor) with central
/// differences (L(x + εe_k) − L(x − εe_k)) / 2ε for up to `samples` elements of every input.
func checkGradient(_ inputs: [Tensor], epsilon: Float = 3e-3, tolerance: Float = 1.5e-2, samples: Int = 40,
                   seed: UInt64 = 7, sourceLocation: SourceLocation = #_sourceLocation,
                   _ f: ([Variable]) -> Variable) {
    var rng = RandomGenerator(seed: seed)
    let probe = f(inputs.map { Variable($0) })
    let r = Tensor.uniform(probe.shape, in: -1...1, using: &rng)
    func loss(_ xs: [Tensor]) -> Double {
        let y = f(xs.map { Variable($0) }).value
        return zip(y.scalars, r.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let vars = inputs.map { Variable($0, requiresGrad: true) }
    let y = f(vars)
    (y * Variable(r)).sum().backward()
    for (k, x) in inputs.enumerated() {
        let analytic = vars[k].grad ?? Tensor(zeros: x.shape)
        #expect(analytic.shape == x.shape, "gradient shape", sourceLocation: sourceLocation)
        let picks = x.count <= samples ? Array(0..<x.count) : (0..<samples).map { _ in rng.int(below: x.count) }
        for i in picks {
            var plus = inputs, minus = inputs
            plus[k].scalars[i] += epsilon
            minus[k].scalars[i] -= epsilon
            let numeric = Float((loss(plus) - loss(minus)) / Double(2 * epsilon))
            let a = analytic.scalars[i]
            #expect(Swift.abs(numeric - a) <= tolerance * (1 + Swift.abs(numeric)),
                    "input \(k) element \(i): numeric \(numeric) vs analytic \(a)", sourceLocation: sourceLocation)
        }
    }
}

/// Values bounded away from zero (keeps |x|, relu and log away from their kinks).
func awayFromZero(_ shape: [Int], seed: UInt64, low: Float = 0.2, high: Float = 1.5) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in
        (low + (high - low) * rng.uniform()) * (rng.uniform() < 0.5 ? -1 : 1)
    })
}

func positive(_ shape: [Int], seed: UInt64, low: Float = 0.3, high: Float = 2) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor.uniform(shape, in: low...high, using: &rng)
}

func normal(_ shape: [Int], seed: UInt64, std: Float = 1) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor.normal(shape, std: std, using: &rng)
}
