import Archive
import Console
import NumPyIO
import Sequences
import Gaussian

/// `ModelKind.gaussian`: a multivariate Gaussian over one-hot features (D = L·(q−1)), precision
/// (C + λI)⁻¹ by Cholesky, stored in Potts form (J = −Θ blocks) with the mean `mu` and the
/// precision's diagonal `precision_diagonal` (both (L, q−1)) for partial correlations.
public struct GaussianFitting: ModelFitting {
    public var settings: FitSettings
    public init(_ settings: FitSettings) { self.settings = settings }

    public func memoryEstimate(sequences n: Int, length l: Int, states q: Int) -> Int {
        MultivariateGaussian.memoryEstimate(sequences: n, length: l, states: q)
    }

    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive {
        let d = msa.length * (msa.alphabet.size - 1)
        try session.checkMemory(memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size),
                                what: "D = \(d) features", hint: "the covariance is D × D: drop gappy columns (--max-col-gaps 0.5) or fit a sub-region")
        // The covariance (N·D² flops) and its Cholesky inverse (D³) run in LAPACK/BLAS without a
        // progress hook: say what is running where it takes more than a few seconds.
        if d >= 3000 {
            log("Gaussian: the \(d) × \(d) weighted covariance and its inverse by Cholesky (≈ \(fixed(Double(d) * Double(d) * Double(d + msa.count) / 1e9, 0))·10⁹ flops)…")
        }
        let mg: MultivariateGaussian
        do { mg = try MultivariateGaussian(msa, weights: weights, shrinkage: settings.shrinkage) }
        catch let e as MultivariateGaussian.FitError { throw PipelineError(path: session.source.isEmpty ? nil : session.source, e.description) }
        let potts = mg.pottsModel()
        var a = ModelArchive(kind: .gaussian, msa: msa, fields: potts.fields, couplings: potts.couplings,
                             metadata: session.metadata + [("shrinkage", .real(mg.shrinkage))])
        a.extras += [("mu", NumPyArray(doubles: mg.mean, shape: [msa.length, msa.alphabet.size - 1])),
                     ("precision_diagonal", NumPyArray(doubles: mg.precisionDiagonal, shape: [msa.length, msa.alphabet.size - 1]))]
        log("Gaussian: D = \(d) features, λ = \(fixed(mg.shrinkage, 4)), fitted in \(fixed(session.clock.seconds, 2)) s")
        return a
    }
}
