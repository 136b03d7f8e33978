import Testing
import Tensors
import Layers
import Attribution
#if canImport(Glibc)
import Glibc
#endif

/// DeepLIFT's rescale multipliers: the secant slope where input and reference differ, and the
/// activation's derivative — from its autodiff backward pass — where they (nearly) coincide.
@Suite struct DeepLIFTTests {
    func f(_ kind: Activation.Kind, _ x: Double) -> Double {
        switch kind {
        case .relu: Swift.max(0, x)
        case .exponential: Glibc.exp(x)
        case .sigmoid: 1 / (1 + Glibc.exp(-x))
        case .tanh: Glibc.tanh(x)
        case .softplus: Glibc.log1p(Glibc.exp(x))
        case .elu: x > 0 ? x : Glibc.exp(x) - 1
        case .linear: x
        }
    }

    @Test(arguments: Activation.Kind.allCases)
    func multipliersAreSecantsOrTheAutodiffDerivative(kind: Activation.Kind) {
        // Row 0: inputs; row 1: references — equal at the first three positions, different after.
        let inputs: [Float] = [-1.5, -0.2, 0.7, 0.3, 2.0], references: [Float] = [-1.5, -0.2, 0.7 + 1e-7, -0.9, 0.5]
        let (y, m) = DeepLIFT.multipliers(kind, Tensor(shape: [2, 5], scalars: inputs + references), rows: 1)
        for k in 0..<5 {
            let (x, r) = (Double(inputs[k]), Double(references[k]))
            #expect(Swift.abs(Double(y.scalars[k]) - f(kind, x)) < 1e-5)
            let expected = k < 3 ? (f(kind, x + 1e-4) - f(kind, x - 1e-4)) / 2e-4 : (f(kind, x) - f(kind, r)) / (x - r)
            #expect(Swift.abs(Double(m.scalars[k]) - expected) < 2e-3 * Swift.max(1, Swift.abs(expected)), "\(kind) at \(k): \(m.scalars[k]) vs \(expected)")
            #expect(m.scalars[5 + k] == 0)      // references get no multiplier
        }
    }
}
