import Tensors
import Autodiff

/// Scaled dot-product multi-head self-attention (Vaswani et al. 2017) over x: (B, T, D):
///   Q, K, V = x·W_qᵀ, x·W_kᵀ, x·W_vᵀ split into H heads of d = D/H,
///   A_h = softmax(Q_h K_hᵀ / √d + M),  y = concat_h(A_h V_h)·W_oᵀ.
/// `mask` (T, T) is added to the scores (use −∞ to forbid a pair, e.g. the diagonal).
public final class MultiHeadAttention: Layer {
    public let heads: Int
    public let query: Linear, key: Linear, value: Linear, output: Linear

    public init(dimension: Int, heads: Int, using rng: inout RandomGenerator) {
        precondition(dimension % heads == 0, "dimension \(dimension) is not divisible by \(heads) heads")
        self.heads = heads
        query = Linear(inputs: dimension, outputs: dimension, using: &rng)
        key = Linear(inputs: dimension, outputs: dimension, using: &rng)
        value = Linear(inputs: dimension, outputs: dimension, using: &rng)
        output = Linear(inputs: dimension, outputs: dimension, using: &rng)
    }

    private init(heads: Int, query: Linear, key: Linear, value: Linear, output: Linear) {
        self.heads = heads
        self.query = query; self.key = key; self.value = value; self.output = output
    }

    /// The same attention with its four projections as constants (`Linear.fixed()`).
    public func fixed() -> MultiHeadAttention {
        MultiHeadAttention(heads: heads, query: query.fixedLinear(), key: key.fixedLinear(),
                           value: value.fixedLinear(), output: output.fixedLinear())
    }

    public var namedParameters: [(String, Variable)] {
        [("query", query), ("key", key), ("value", value), ("output", output)].flatMap { (name, l) in
            l.namedParameters.map { ("\(name).\($0.0)", $0.1) }
        }
    }

    /// Returns y: (B, T, D) and the attention maps A: (B, H, T, T).
    public func callAsFunction(_ x: Variable, mask: Tensor? = nil) -> (output: Variable, attention: Variable) {
        let (b, t, dim) = (x.shape[0], x.shape[1], x.shape[2])
        let d = dim / heads
        func split(_ v: Variable) -> Variable {             // (B,T,D) → (B·H, T, d)
            v.reshaped([b, t, heads, d]).permuted([0, 2, 1, 3]).reshaped([b * heads, t, d])
        }
        let q = split(query(x)), k = split(key(x)), v = split(value(x))
        let scale = 1 / Float(d).squareRoot()
        let attention: Variable
        if let mask {
            let scores = batchedMatmul(q, k, transposeB: true) * scale + Variable(mask.reshaped([1, t, t]))
            attention = scores.softmax(alongAxis: -1)
        } else {
            // The fused scaled softmax (one SIMD pass each way) with every key valid.
            attention = maskedSoftmax(batchedMatmul(q, k, transposeB: true), validKeys: Array(repeating: t, count: b * heads), scale: scale)
        }
        let context = batchedMatmul(attention, v)                         // (B·H, T, d)
            .reshaped([b, heads, t, d]).permuted([0, 2, 1, 3]).reshaped([b, t, dim])
        return (output(context), attention.reshaped([b, heads, t, t]))
    }
}
