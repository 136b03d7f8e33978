import Tensors
import Autodiff

/// y = x·Wᵀ + b over the last axis; W: (out, in), b: (out). Initialised U(±1/√in), or by another
/// `WeightInitialisation`.
public final class Linear: FixableLayer {
    public let weight: Variable
    public let bias: Variable?

    public init(inputs: Int, outputs: Int, bias: Bool = true, initialisation: WeightInitialisation = .uniform, using rng: inout RandomGenerator) {
        let (w, b) = initialisation.parameters([outputs, inputs], outputs: outputs, fanIn: inputs, bias: bias, using: &rng)
        weight = Variable(w, requiresGrad: true)
        self.bias = b.map { Variable($0, requiresGrad: true) }
    }

    /// A layer with the given weight (out, in) and bias (out); `trainable: false` makes them
    /// constants (no gradient is computed for them).
    public init(weight: Tensor, bias: Tensor?, trainable: Bool = true) {
        self.weight = Variable(weight, requiresGrad: trainable)
        self.bias = bias.map { Variable($0, requiresGrad: trainable) }
    }

    public var namedParameters: [(String, Variable)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ x: Variable, training: Bool = false) -> Variable {
        let inputs = weight.shape[1]
        precondition(x.shape.last == inputs, "Linear expects last extent \(inputs), got \(x.shape)")
        var lead = x.shape; lead.removeLast()
        var y = matmul(x.reshaped([-1, inputs]), weight, transposeB: true)
        if let bias { y = y + bias }
        return y.reshaped(lead + [weight.shape[0]])
    }

    public func fixed() -> any SequentialLayer { fixedLinear() }

    /// `fixed()` as a `Linear`.
    public func fixedLinear() -> Linear { Linear(weight: weight.value, bias: bias?.value, trainable: false) }
}

/// Row lookup: indices (n) → (n, dim). The gradient scatter-adds into the used rows.
public final class Embedding: Layer {
    public let weight: Variable
    public init(count: Int, dimension: Int, using rng: inout RandomGenerator) {
        weight = Variable(.normal([count, dimension], using: &rng), requiresGrad: true)
    }
    public var namedParameters: [(String, Variable)] { [("weight", weight)] }
    public func callAsFunction(_ indices: [Int]) -> Variable { weight.gathering(indices, alongAxis: 0) }
}
