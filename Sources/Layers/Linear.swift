import Tensors
import Autodiff

/// y = x·Wᵀ + b over the last axis; W: (out, in), b: (out). Initialised U(±1/√in), or by another
/// `WeightInitialisation`.
public final class Linear: SequentialLayer {
    public let weight: Variable
    public let bias: Variable?

    public init(inputs: Int, outputs: Int, bias: Bool = true, initialisation: WeightInitialisation = .uniform, using rng: inout RandomGenerator) {
        let (w, b) = initialisation.parameters([outputs, inputs], outputs: outputs, fanIn: inputs, bias: bias, using: &rng)
        weight = Variable(w, requiresGrad: true)
        self.bias = b.map { Variable($0, requiresGrad: true) }
    }

    /// A layer with the given weight (out, in) and bias (out).
    public init(weight: Tensor, bias: Tensor?) {
        self.weight = Variable(weight, requiresGrad: true)
        self.bias = bias.map { Variable($0, requiresGrad: true) }
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

/// Inverted dropout: in training, zero each element with probability p and scale the rest by 1/(1−p).
public final class Dropout: SequentialLayer {
    public let probability: Float
    /// The mask generator (saved in training checkpoints so a resumed run draws the same masks).
    public var rng: RandomGenerator
    public init(probability: Float, seed: UInt64 = 0) {
        precondition(probability >= 0 && probability < 1, "dropout probability must be in [0, 1)")
        self.probability = probability
        self.rng = RandomGenerator(seed: seed)
    }
    public var namedParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ x: Variable, training: Bool) -> Variable {
        guard training && probability > 0 else { return x }
        let keep = 1 / (1 - probability)
        var generator = rng                                   // a local copy: no exclusivity checks per element
        // uniform() < p ⟺ u < p·2²⁴ for u = next() >> 40 (uniform() is u·2⁻²⁴, exact): the same masks
        // without a conversion per element.
        let drop = UInt64((probability * 0x1p24).rounded(.up))
        let scalars = [Float](unsafeUninitializedCapacity: x.value.count) { buffer, n in
            for i in 0..<buffer.count { buffer[i] = generator.next() >> 40 < drop ? 0 : keep }
            n = buffer.count
        }
        rng = generator
        return x * Variable(Tensor(shape: x.shape, scalars: scalars))
    }
}
