import Tensors
import Autodiff
import Layers
import Sequences
import Potts

/// A single layer of factored attention over an alignment (Bhattacharya et al. 2021, "Single
/// layers of attention suffice to predict protein contacts"; the mogwai lineage): a Potts model
/// whose couplings are built from attention maps.
///
///   A^h = softmax_j(Q^h_i · K^h_j / √d)  with the diagonal masked (A^h_ii = 0),
///   W_ij(a,b) = Σ_h A^h_ij V_h(a,b),      J_ij(a,b) = ½ (W_ij(a,b) + W_ji(b,a)),
/// and the Potts pseudolikelihood with fields b. Q, K: (H, L, d) are positional only (no sequence
/// embedding); V: (H, q, q); b: (L, q), initialised from the PSSM.
public final class FactoredAttention: Layer {
    public let length: Int, states: Int, heads: Int, headDimension: Int
    public let query: Variable, key: Variable, value: Variable, fields: Variable
    /// Rows i·L + j and j·L + i of the (L², H) maps for each pair i < j in packed order (`packedCouplings`).
    let pairRows: [Int]

    public init(length l: Int, states q: Int, heads h: Int, headDimension d: Int, fields: Tensor, valueScale: Float = 0.01, using rng: inout RandomGenerator) {
        length = l; states = q; heads = h; headDimension = d
        let s = 1 / Float(d).squareRoot()
        query = Variable(.normal([h, l, d], std: s, using: &rng), requiresGrad: true)
        key = Variable(.normal([h, l, d], std: s, using: &rng), requiresGrad: true)
        value = Variable(.normal([h, q, q], std: valueScale, using: &rng), requiresGrad: true)
        self.fields = Variable(fields, requiresGrad: true)
        var rows: [Int] = []
        for i in 0..<l { for j in (i + 1)..<Swift.max(l, i + 1) { rows += [i * l + j, j * l + i] } }
        pairRows = rows
    }

    public var namedParameters: [(String, Variable)] {
        [("query", query), ("key", key), ("value", value), ("fields", fields)]
    }

    /// A: (H, L, L) attention maps with masked diagonal.
    public func attention() -> Variable {
        let (l, d) = (length, headDimension)
        var mask = Tensor(zeros: [1, l, l])
        for i in 0..<l { mask[0, i, i] = -.infinity }
        let scores = batchedMatmul(query, key, transposeB: true) / Float(d).squareRoot() + Variable(mask)
        return scores.softmax(alongAxis: -1)
    }

    /// W₂ = Aᵀ·V as an (L², q²) matrix: row i·L + j holds W_ij(a, b) at a·q + b.
    public func rawCouplings(_ a: Variable) -> Variable {
        let (l, q, h) = (length, states, heads)
        return matmul(a.reshaped([h, l * l]), value.reshaped([h, q * q]), transposeA: true)
    }

    /// The symmetrised couplings packed as the Potts kernel's θ reads them: row p of the (P, q²)
    /// result, P = L(L−1)/2 pairs i < j in packed order, holds J_ij(a, b) at a·q + b:
    ///   J_ij = ½ Σ_h (A^h_ij V_h + A^h_ji V_hᵀ) = [A_ij | A_ji] · ½[V; Vᵀ],
    /// one (P, 2H)·(2H, q²) product: no (L², q²) W₂ and no packing or seed pass over it (the same
    /// flops as Aᵀ·V, half the couplings written and read back).
    public func packedCouplings(_ a: Variable) -> Variable {
        let (l, q, h) = (length, states, heads)
        let pairs = a.reshaped([h, l * l]).transposed().gathering(pairRows, alongAxis: 0).reshaped([l * (l - 1) / 2, 2 * h])
        let values = Variable.concatenate([value, value.transposed()], alongAxis: 0).reshaped([2 * h, q * q]) * 0.5
        return matmul(pairs, values)
    }

    /// The plain statement: J as the symmetric (L·q, L·q) matrix ½(W + Wᵀ) with M[(i,a),(j,b)] = J_ij(a,b).
    public func symmetricCouplingMatrix(_ w2: Variable) -> Variable {
        let (l, q) = (length, states)
        let m = w2.reshaped([l, l, q, q]).permuted([0, 2, 1, 3]).reshaped([l * q, l * q])
        return (m + m.transposed()) * 0.5
    }

    /// Symmetrised couplings as a Potts model (J full (L, L, q, q)) with the current fields.
    public func pottsModel(alphabet: Alphabet) -> PottsModel {
        let w = noGrad { rawCouplings(attention()).value }
        let j = Couplings(length: length, states: states, scalars: w.scalars).symmetrised()
        return PottsModel(alphabet: alphabet, fields: fields.value, couplings: j.tensor)
    }

    /// Each head's symmetrised attention map ½(A^h + A^hᵀ): (H, L, L).
    public func symmetricAttention() -> Tensor {
        let a = noGrad { attention().value }
        return (a + a.transposed()) * 0.5
    }
}
