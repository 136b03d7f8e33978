import Tensors
import Autodiff

/// Inverted dropout: y = x ⊙ m with m_i = 0 with probability p and 1/(1−p) otherwise, so E[y] = x.
/// The mask is a constant of the graph (∂y/∂x = m). It is drawn in blocks of `dropoutMaskBlock`
/// elements, block k from stream k of one draw of `generator`, so the blocks fill in parallel and
/// the mask is the same whatever the thread count. The one home of dropout masks: the `Dropout`
/// layer, the VAE and the language model call it.
public func invertedDropout(_ x: Variable, probability p: Float, using generator: inout RandomGenerator) -> Variable {
    precondition(p >= 0 && p < 1, "dropout probability must be in [0, 1)")
    guard p > 0 && x.value.count > 0 else { return x }
    let keep = 1 / (1 - p)
    // uniform() < p ⟺ u < p·2²⁴ for u = next() >> 40 (uniform() is u·2⁻²⁴, exact): the same masks
    // without a conversion per element.
    let drop = UInt64((p * 0x1p24).rounded(.up))
    let seed = generator.next(), n = x.value.count, block = dropoutMaskBlock
    let mask = [Float](unsafeUninitializedCapacity: n) { buffer, initialised in
        nonisolated(unsafe) let m = buffer.baseAddress!
        Parallel.forEachChunk((n + block - 1) / block, minimumPerThread: 4) { blocks in
            for b in blocks {
                var rng = RandomGenerator(seed: seed, stream: UInt64(b))
                for i in (b * block)..<Swift.min(n, (b + 1) * block) { m[i] = rng.next() >> 40 < drop ? 0 : keep }
            }
        }
        initialised = n
    }
    return x * Variable(Tensor(shape: x.shape, scalars: mask))
}

/// Elements per independently seeded block of a dropout mask.
public let dropoutMaskBlock = 1 << 14

/// The dropout layer: `invertedDropout` in training, the identity otherwise.
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
        training ? invertedDropout(x, probability: probability, using: &rng) : x
    }
}
