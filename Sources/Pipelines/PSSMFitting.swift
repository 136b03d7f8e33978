import Archive
import Console
import Sequences
import Potts

/// `ModelKind.pssm`: weighted site-independent frequencies with a pseudocount fraction λ chosen by
/// K-fold cross-validation over whole clusters of sequences (candidates 0.01, 0.05, 0.1, 0.25, 0.5;
/// weighted held-out log-likelihood of the alignment, no DMS), or EVmutation's independent model
/// (`PSSMStyle.evmutation`).
public struct PSSMFitting: ModelFitting {
    public var settings: FitSettings
    public init(_ settings: FitSettings) { self.settings = settings }

    public static let candidates = [0.01, 0.05, 0.1, 0.25, 0.5]

    /// The cross-validation runs (the default λ, or `--cross-validate`) and holds out clusters.
    public var usesClusters: Bool {
        settings.pssmStyle != .evmutation && (settings.pseudocountFraction == nil || settings.crossValidate != nil)
    }

    public func memoryEstimate(sequences n: Int, length l: Int, states q: Int) -> Int { 8 * n + 8 * l * q }

    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive {
        var meta = session.metadata
        if settings.pssmStyle == .evmutation {
            let pssm = PSSM.evmutationIndependent(msa, weights: weights, lambdaFields: Double(settings.resolvedLambdaH))
            meta += [("lambda_h", .real(Double(settings.resolvedLambdaH))), ("gaps_as_missing", .integer(1))]
            return ModelArchive(kind: .pssm, msa: msa, fields: pssm.fields, couplings: nil, metadata: meta)
        }
        let fraction = settings.pseudocountFraction, folds = settings.crossValidate
        if let lambda = fraction, !(lambda > 0 && lambda < 1) { throw PipelineError("--pseudocount-fraction must be in (0, 1)") }
        if let k = folds, !(k >= 2 && k <= msa.count) { throw PipelineError("--cross-validate needs 2 ≤ K ≤ \(msa.count) (the number of sequences)") }
        var lambda = fraction ?? 0.25          // one sequence or one cluster: no cross-validation possible
        if (fraction == nil || folds != nil) && msa.count >= 2 {
            let k = folds ?? Swift.min(5, msa.count), identity = session.identityThreshold
            let clusters = session.clusters ?? clustersShowingProgress(msa, identity: identity, definition: settings.resolvedWeighting, quiet: session.quiet)
            let count = (clusters.max() ?? -1) + 1
            if count >= 2 {
                let assignment = ClusterHoldout.folds(clusters: clusters, count: k)
                let cv = PSSMCrossValidation.best(msa, weights: weights, folds: assignment, candidates: Self.candidates)
                log("cross-validation: \(Swift.min(k, count))-fold, whole clusters at \(fixed(identity * 100, 0))% identity (\(count) clusters); held-out log-likelihood per sequence: "
                    + zip(Self.candidates, cv.scores).map { "λ \($0.0): \(fixed($0.1, 3))" }.joined(separator: ", ") + "; best λ \(cv.best)")
                if fraction == nil { lambda = cv.best }
            } else {
                log("cross-validation: every sequence is in one cluster at \(fixed(identity * 100, 0))% identity, so none can be held out without a neighbour in the rest; λ \(lambda)\(fraction == nil ? " (the default)" : "")")
            }
        }
        let pssm = PSSM(msa, weights: weights, pseudocountFraction: lambda)
        meta += [("pseudocount", .real(pssm.pseudocount)), ("pseudocount_fraction", .real(lambda))]
        return ModelArchive(kind: .pssm, msa: msa, fields: pssm.fields, couplings: nil, metadata: meta)
    }
}
