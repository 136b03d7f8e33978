#if canImport(Glibc)
import Glibc
#endif
import Tensors
import Autodiff
import Layers

/// Multi-head self-attention across the positions of a convolutional feature map, as in the
/// CNN + transformer hybrids used to find motif interactions (e.g. Ullah & Ben-Hur 2021, SATORI):
/// x: (N, C, L) is read as L tokens of C features, z = xᵀ: (N, L, C), and
///   y = z + MHA(z),  returned as (N, C, L),
/// with MHA the scaled dot-product multi-head attention of `Layers.MultiHeadAttention` (H heads of
/// C/H features; A_h = softmax(Q_h K_hᵀ / √(C/H))) and a residual connection. Built only from the
/// tape's existing ops (permute, matmul, softmax, add), so its gradient is theirs; a
/// finite-difference test checks the composition.
public final class SelfAttentionBlock: FixableLayer {
    public let attention: MultiHeadAttention

    public init(channels: Int, heads: Int, using rng: inout RandomGenerator) {
        attention = MultiHeadAttention(dimension: channels, heads: heads, using: &rng)
    }

    private init(_ attention: MultiHeadAttention) { self.attention = attention }

    public func fixed() -> any SequentialLayer { SelfAttentionBlock(attention.fixed()) }

    public var heads: Int { attention.heads }

    public var namedParameters: [(String, Variable)] { attention.namedParameters.map { ("attention.\($0.0)", $0.1) } }

    public func callAsFunction(_ x: Variable, training: Bool) -> Variable { attend(x).output }

    /// y (N, C, L) and the attention maps A (N, H, L, L): A[n, h, i, j] is how much position i
    /// of the feature map reads position j.
    public func attend(_ x: Variable) -> (output: Variable, attention: Variable) {
        let z = x.permuted([0, 2, 1])
        let (y, a) = attention(z)
        return ((z + y).permuted([0, 2, 1]), a)
    }
}

/// Sinusoidal positional encoding (Vaswani et al. 2017) added to a feature map x: (N, C, L):
///   y[n, c, l] = x[n, c, l] + P[c, l],  P[2k, l] = sin(l / 10000^{2k/C}),  P[2k+1, l] = cos(l / 10000^{2k/C}),
/// so attention after it can tell positions (and distances) apart. P is a constant: ∂y/∂x = I.
public final class PositionalEncoding: SequentialLayer {
    /// P: (1, C, L).
    public let table: Tensor

    public init(channels: Int, length: Int) {
        var p = Tensor(zeros: [1, channels, length])
        for c in 0..<channels {
            let k = c / 2
            let frequency = 1 / pow(10000, Double(2 * k) / Double(channels))
            for l in 0..<length {
                let angle = Double(l) * frequency
                p.scalars[c * length + l] = Float(c % 2 == 0 ? sin(angle) : cos(angle))
            }
        }
        table = p
    }

    public var namedParameters: [(String, Variable)] { [] }

    public func callAsFunction(_ x: Variable, training: Bool) -> Variable { x + Variable(table) }
}
