import Sequences

/// K-fold cross-validation of the PSSM over the sequences of an alignment — a criterion for the
/// pseudocount that uses no mutational scan: sequence n goes to fold n mod K; the PSSM of the other
/// folds (same weights, which were computed on the whole alignment) scores the held-out fold by its
/// weighted mean log-likelihood per sequence,
///   ℓ(λ) = (1/K) Σ_k Σ_{n ∈ fold k} w_n log P_{−k}(x^n) / Σ_{n ∈ fold k} w_n   (nats per sequence),
/// and the best λ is the one with the highest ℓ.
public enum PSSMCrossValidation {
    public static func heldOutLogLikelihood(_ msa: MultipleSequenceAlignment, weights: [Float], folds k: Int,
                                            pseudocountFraction lambda: Double) -> Double {
        precondition(k >= 2 && k <= msa.count, "need 2 ≤ K ≤ N folds")
        var total = 0.0
        for fold in 0..<k {
            let train = (0..<msa.count).filter { $0 % k != fold }
            let test = (0..<msa.count).filter { $0 % k == fold }
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
    public static func best(_ msa: MultipleSequenceAlignment, weights: [Float], folds k: Int,
                            candidates: [Double]) -> (best: Double, scores: [Double]) {
        let scores = candidates.map { heldOutLogLikelihood(msa, weights: weights, folds: k, pseudocountFraction: $0) }
        let i = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
        return (candidates[i], scores)
    }
}
