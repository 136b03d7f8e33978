import Sequences

/// K-fold cross-validation of the PSSM over the sequences of an alignment — a criterion for the
/// pseudocount that uses no mutational scan. Each fold is a set of whole single-linkage clusters at
/// the weights' identity (`ClusterHoldout.folds`), so that no held-out sequence
/// has a neighbour among the fitted ones (a split by rows leaves near-copies of every held-out
/// sequence in the fitted part and rewards too small a pseudocount, as `ArDCACrossValidation`
/// measured for ArDCA's λ). The PSSM of the other folds (same weights: a cluster has no neighbour
/// outside itself, so they are exactly each part's own) scores the held-out fold by its weighted mean
/// log-likelihood per sequence,
///   ℓ(λ) = (1/K) Σ_k Σ_{n ∈ fold k} w_n log P_{−k}(x^n) / Σ_{n ∈ fold k} w_n   (nats per sequence),
/// and the best λ is the one with the highest ℓ.
public enum PSSMCrossValidation {
    /// ℓ(λ) with `folds[n]` the fold of row n (folds 0..<K, each non-empty, K ≥ 2).
    public static func heldOutLogLikelihood(_ msa: MultipleSequenceAlignment, weights: [Float], folds: [Int],
                                            pseudocountFraction lambda: Double) -> Double {
        let k = (folds.max() ?? 0) + 1
        precondition(folds.count == msa.count && k >= 2, "need a fold for every row and K ≥ 2 folds")
        var total = 0.0
        for fold in 0..<k {
            let train = (0..<msa.count).filter { folds[$0] != fold }
            let test = (0..<msa.count).filter { folds[$0] == fold }
            let pssm = PSSM(msa.selectingRows(train), weights: train.map { weights[$0] }, pseudocountFraction: lambda)
            var ll = 0.0, w = 0.0
            for n in test {
                ll += Double(weights[n]) * pssm.logLikelihood(msa.row(n))
                w += Double(weights[n])
            }
            total += w > 0 ? ll / w : 0
        }
        return total / Double(k)
    }

    /// ℓ(λ) for each candidate and the best one (the first of equals).
    public static func best(_ msa: MultipleSequenceAlignment, weights: [Float], folds: [Int],
                            candidates: [Double]) -> (best: Double, scores: [Double]) {
        let scores = candidates.map { heldOutLogLikelihood(msa, weights: weights, folds: folds, pseudocountFraction: $0) }
        let i = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
        return (candidates[i], scores)
    }
}
