import Tensors
import Sequences

/// Chooses ArDCA's regularisation λ = λ_J = λ_h per alignment, with no mutational scan: by the
/// likelihood of family members the fit has not seen. Whole single-linkage clusters at the weights'
/// identity are held out (`ClusterHoldout`, about 1/K of the sequences) so that no held-out sequence
/// has a neighbour among the fitted ones (`Benchmarks/ardca-lambda.sh` shows why: a random split
/// leaves near-copies of every held-out sequence in the fitted part and rewards an under-regularised
/// model). Each candidate is fitted to the rest and scored by the weighted mean exact
/// log-likelihood of the held-out sequences,
///   ℓ(λ) = Σ_{n held out} w_n log P_λ(x^n) / Σ_{n held out} w_n   (nats per sequence),
/// and the best λ is the one with the highest ℓ. One held-out part, not K of them: every candidate
/// costs a fit.
public enum ArDCACrossValidation {
    /// λ_J = λ_h candidates, a half-decade apart from 10⁻³ (ArDCA's sampling-minded settings) to ArDCA.jl's 10⁻² and beyond.
    public static let candidates: [Float] = [0.001, 0.003, 0.01, 0.03, 0.1]

    /// ℓ: the weighted mean log P(x) of `rows` under `model` (nats per sequence).
    public static func heldOutLogLikelihood(_ model: ArDCAModel, _ msa: MultipleSequenceAlignment, rows: [Int], weights: [Float]) -> Double {
        var ll = 0.0, w = 0.0
        for n in rows {
            ll += Double(weights[n]) * model.logLikelihood(msa.row(n))
            w += Double(weights[n])
        }
        return w > 0 ? ll / w : -.infinity
    }

    public struct Outcome: Sendable {
        /// The candidate with the highest ℓ (the first of equals).
        public var best: Float
        /// ℓ of each candidate, in `candidates` order.
        public var scores: [Double]
    }

    /// Fits `fitter` with each candidate λ (λ_J = λ_h) to the rows not held out and scores the
    /// held-out ones. `fit(fitter, part, weights)` runs one fit (nil: stopped, and so is this).
    public static func choose(_ msa: MultipleSequenceAlignment, weights: [Float], heldOut: [Int], fitter: ArDCAFit,
                              candidates: [Float] = candidates,
                              fit: (ArDCAFit, MultipleSequenceAlignment, [Float]) -> ArDCAModel?) -> Outcome? {
        precondition(!heldOut.isEmpty && !candidates.isEmpty, "need held-out rows and candidates")
        let test = Set(heldOut)
        let train = (0..<msa.count).filter { !test.contains($0) }
        let part = msa.selectingRows(train), partWeights = train.map { weights[$0] }
        var scores: [Double] = []
        for lambda in candidates {
            var f = fitter
            f.lambdaCouplings = lambda; f.lambdaFields = lambda
            guard let model = fit(f, part, partWeights) else { return nil }
            scores.append(heldOutLogLikelihood(model, msa, rows: heldOut, weights: weights))
        }
        let i = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!
        return Outcome(best: candidates[i], scores: scores)
    }
}
