import Tensors
import Autodiff
import Sequences

/// The same pseudolikelihood written with the generic autodiff ops — the reference the fused
/// kernel is tested against, and a readable statement of the objective:
///   Z = X·J + h  (X: N×Lq one-hot, J: Lq×Lq with zero diagonal blocks),
///   −PLL = −Σ_n w_n Σ_i log_softmax(Z_n,i)[x_i^n].
/// With gaps as missing data (plmc `-g`): the gap's one-hot column is zero (a gap at j adds nothing to
/// Z_n,i), the gap logit is pushed to −10⁹ (the softmax runs over the residues) and gapped sites
/// carry no term: −PLL = −Σ_n w_n Σ_{i: x_i^n ≠ −} log_softmax(Z_n,i)[x_i^n].
/// Cost N·(Lq)² — for tests and small problems only.
public enum PseudoLikelihoodAutodiff {
    /// −PLL (without regularisation) for fields h (L, q) and couplings as an (L·q, L·q) matrix
    /// M with M[(i,a),(j,b)] = J_ij(a,b); diagonal blocks are masked to zero.
    public static func negativeLogPseudoLikelihood(_ msa: MultipleSequenceAlignment, weights: [Float],
                                                   fields h: Variable, couplings m: Variable,
                                                   gapsAsMissing: Bool = false) -> Variable {
        let (n, l, q) = (msa.count, msa.length, msa.alphabet.size)
        let gap = Int(msa.alphabet.gap)
        var oneHot = msa.oneHot()
        if gapsAsMissing { for s in 0..<n { for i in 0..<l where Int(msa[s, i]) == gap { oneHot[s, i, gap] = 0 } } }
        let x = Variable(oneHot.reshaped([n, l * q]))
        var mask = Tensor(repeating: 1, shape: [l * q, l * q])
        for i in 0..<l { for a in 0..<q { for b in 0..<q { mask[i * q + a, i * q + b] = 0 } } }
        var z = matmul(x, m * Variable(mask)).reshaped([n, l, q]) + h
        if gapsAsMissing {
            var bias = Tensor(zeros: [l, q])
            for i in 0..<l { bias[i, gap] = -1e9 }
            z = z + Variable(bias)
        }
        let logits = z.logSoftmax(alongAxis: 2)
        // Observed-state log-probabilities, weighted: Σ_n w_n Σ_i logits[n, i, x_i^n].
        var select = Tensor(zeros: [n, l, q])
        for s in 0..<n { for i in 0..<l where !(gapsAsMissing && Int(msa[s, i]) == gap) { select[s, i, Int(msa[s, i])] = weights[s] } }
        return -(logits * Variable(select)).sum()
    }
}
