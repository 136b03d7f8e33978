import Tensors
import Sequences

/// A Potts model (Markov random field) over L sites with q states:
///   E(x) = Σ_i h_i(x_i) + Σ_{i<j} J_ij(x_i, x_j),   P(x) ∝ exp E(x).
/// h: (L, q). J: (L, L, q, q) stored in full, symmetric J[i,j,a,b] == J[j,i,b,a], J[i,i] = 0.
public struct PottsModel: Sendable {
    public var alphabet: Alphabet
    public var fields: Tensor
    public var couplings: Tensor

    public init(alphabet: Alphabet, fields: Tensor, couplings: Tensor) {
        let (l, q) = (fields.shape[0], fields.shape[1])
        precondition(couplings.shape == [l, l, q, q], "couplings must be (L, L, q, q)")
        self.alphabet = alphabet; self.fields = fields; self.couplings = couplings
    }

    public var length: Int { fields.shape[0] }
    public var states: Int { fields.shape[1] }

    @inlinable public func coupling(_ i: Int, _ j: Int, _ a: Int, _ b: Int) -> Float {
        couplings.scalars[Couplings.index(i, j, a, b, length: length, states: states)]
    }

    /// E(x) for an encoded sequence.
    public func energy<C: Collection>(_ x: C) -> Double where C.Element == UInt8, C.Index == Int {
        let s = Array(x)
        let (l, q) = (length, states)
        var e = 0.0
        fields.scalars.withUnsafeBufferPointer { h in
            couplings.scalars.withUnsafeBufferPointer { j in
                for i in 0..<l {
                    e += Double(h[i * q + Int(s[i])])
                    for k in (i + 1)..<Swift.max(l, i + 1) { e += Double(j[Couplings.index(i, k, Int(s[i]), Int(s[k]), length: l, states: q)]) }
                }
            }
        }
        return e
    }

    /// The same distribution in the zero-sum gauge: Σ_a J_ij(a,b) = Σ_b J_ij(a,b) = 0 and
    /// Σ_a h_i(a) = 0, with row/column means moved into the fields so every energy difference
    /// E(x) − E(y) is unchanged. Each block is double centred by `Couplings.centredBlock`.
    public func zeroSumGauge() -> PottsModel {
        let (l, q) = (length, states)
        let table = Couplings(couplings)
        var h = fields.scalars, centred = Couplings(length: l, states: q)
        for i in 0..<l {
            for k in 0..<l where k != i {
                let block = table.centredBlock(i, k, states: 0..<q)
                let base = Couplings.blockOffset(i, k, length: l, states: q)
                for t in 0..<(q * q) { centred.scalars[base + t] = block[t] }
                // Only the (i, k) orientation feeds site i's field, so each pair's terms are moved once.
                if i < k {
                    let (rowMean, columnMean, mean) = table.blockMeans(i, k, states: 0..<q)
                    for a in 0..<q { h[i * q + a] += rowMean[a] - mean / 2 }
                    for b in 0..<q { h[k * q + b] += columnMean[b] - mean / 2 }
                }
            }
        }
        let qf = Float(q)
        for i in 0..<l {
            let m = (0..<q).reduce(Float(0)) { $0 + h[i * q + $1] } / qf
            for a in 0..<q { h[i * q + a] -= m }
        }
        return PottsModel(alphabet: alphabet, fields: Tensor(shape: [l, q], scalars: h), couplings: centred.tensor)
    }
}
