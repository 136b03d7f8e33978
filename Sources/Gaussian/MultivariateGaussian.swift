import Tensors
import Sequences
import Potts

/// The multivariate Gaussian model of an alignment (GaussDCA; the MG of the unified
/// PSSM/MRF/MG framework): one-hot sequences with the gap state dropped as each column's reference,
/// D = L·(q−1) features, treated as Gaussian with weighted mean μ and shrunk covariance
///   C = Σ_n w_n (x_n − μ)(x_n − μ)ᵀ / Neff,   Θ = (C + λI)⁻¹,   λ = 4.5 / √Neff by default,
/// and log-density log p(x) = −½ (x − μ)ᵀ Θ (x − μ) + const.
///
/// Covariance: one `ssyrk` over the √w-scaled one-hot rows (N·D² flops, single precision, then
/// centred in double). Precision: LAPACK Cholesky `dpotrf` + `dpotri` in double precision.
public struct MultivariateGaussian: Sendable {
    public let length: Int
    public let alphabet: Alphabet
    /// Features per column (q − 1: every state but the gap).
    public var statesPerColumn: Int { alphabet.size - 1 }
    public var features: Int { length * statesPerColumn }
    /// μ (D).
    public var mean: [Double]
    /// Θ (D × D, row-major, symmetric).
    public var precision: [Double]
    public var shrinkage: Double
    public var neff: Double

    /// Bytes a fit needs at its peak, D = L(q − 1): the largest of the one-hot design beside the Float
    /// covariance (4·N·D + 4·D²), that covariance beside the D × D double matrix built from it
    /// (12·D²; the Cholesky factorisation and inversion then work in place), and the precision beside
    /// the (L, L, q, q) Potts-form couplings (8·D² + 4·L²q²) — plus OpenBLAS's work buffers for the
    /// covariance's ssyrk (32 MB per thread).
    public static func memoryEstimate(sequences n: Int, length l: Int, states q: Int, threads: Int = Parallel.threadCount) -> Int {
        let d = l * (q - 1)
        return Swift.max(12 * d * d, 4 * n * d + 4 * d * d, 8 * d * d + 4 * l * l * q * q) + threads * (32 << 20)
    }

    public struct FitError: Error, CustomStringConvertible { public let description: String }

    public init(_ msa: MultipleSequenceAlignment, weights: [Float], shrinkage: Double? = nil) throws {
        let (n, l, q1) = (msa.count, msa.length, msa.alphabet.size - 1)
        let d = l * q1
        guard n >= 2, l >= 1 else { throw FitError(description: "a Gaussian model needs at least 2 sequences") }
        length = l; alphabet = msa.alphabet
        neff = weights.reduce(0.0) { $0 + Double($1) }
        self.shrinkage = shrinkage ?? 4.5 / neff.squareRoot()
        // X_s: N × D with √w_n at the observed (non-gap) state of each column.
        var xs = [Float](repeating: 0, count: n * d)
        var mu = [Double](repeating: 0, count: d)
        for s in 0..<n {
            let r = weights[s].squareRoot()
            for i in 0..<l {
                let c = Int(msa.codes[s * l + i])
                if c < q1 { xs[s * d + i * q1 + c] = r; mu[i * q1 + c] += Double(weights[s]) }
            }
        }
        for k in 0..<d { mu[k] /= neff }
        var s2 = [Float](repeating: 0, count: d * d)
        BLAS.ssyrkTransposed(Int32(d), Int32(n), 1, xs, Int32(d), 0, &s2, Int32(d))
        xs = []
        // A = S/Neff − μμᵀ + λI (upper triangle, double).
        var a = [Double](repeating: 0, count: d * d)
        for r in 0..<d {
            for c in r..<d { a[r * d + c] = Double(s2[r * d + c]) / neff - mu[r] * mu[c] }
            a[r * d + r] += self.shrinkage
        }
        s2 = []
        if let failure = BLAS.invertPositiveDefinite(&a, dimension: d) {
            if failure.routine == "dpotrf" {
                throw FitError(description: "covariance + λI is not positive definite (dpotrf info \(failure.info)); increase --shrinkage")
            }
            throw FitError(description: "inverting the covariance failed (dpotri info \(failure.info))")
        }
        for r in 0..<d { for c in 0..<r { a[r * d + c] = a[c * d + r] } }
        mean = mu
        precision = a
    }

    /// One-hot features (D) of an encoded sequence (gap = all zeros for that column).
    public func features(_ codes: [UInt8]) -> [Double] {
        let q1 = statesPerColumn
        var x = [Double](repeating: 0, count: features)
        for (i, c) in codes.enumerated() where Int(c) < q1 { x[i * q1 + Int(c)] = 1 }
        return x
    }

    /// −½ (x − μ)ᵀ Θ (x − μ).
    public func logDensity(_ codes: [UInt8]) -> Double {
        let x = features(codes)
        let d = features
        let z = (0..<d).map { x[$0] - mean[$0] }
        var s = 0.0
        for r in 0..<d {
            var row = 0.0
            for c in 0..<d { row += precision[r * d + c] * z[c] }
            s += z[r] * row
        }
        return -0.5 * s
    }

    /// The same log-density as a Potts energy (up to a constant) so contacts and mutation effects
    /// use the Potts code: J_ij(a,b) = −Θ_(i,a),(j,b) for i ≠ j, h_i(a) = (Θμ)_(i,a) − ½Θ_(i,a),(i,a);
    /// every gap term is 0 (the gap is the reference state).
    public func pottsModel() -> PottsModel {
        let (l, q, q1, d) = (length, alphabet.size, statesPerColumn, features)
        var thetaMu = [Double](repeating: 0, count: d)
        for r in 0..<d { var s = 0.0; for c in 0..<d { s += precision[r * d + c] * mean[c] }; thetaMu[r] = s }
        var h = [Float](repeating: 0, count: l * q)
        var j = [Float](repeating: 0, count: l * l * q * q)
        for i in 0..<l {
            for a in 0..<q1 {
                let r = i * q1 + a
                h[i * q + a] = Float(thetaMu[r] - 0.5 * precision[r * d + r])
                for k in 0..<l where k != i {
                    for b in 0..<q1 { j[Couplings.index(i, k, a, b, length: l, states: q)] = Float(-precision[r * d + k * q1 + b]) }
                }
            }
        }
        return PottsModel(alphabet: alphabet, fields: Tensor(shape: [l, q], scalars: h), couplings: Tensor(shape: [l, l, q, q], scalars: j))
    }

    /// Θ's diagonal (D), for partial correlations −Θ_uv / √(Θ_uu Θ_vv).
    public var precisionDiagonal: [Double] { (0..<features).map { precision[$0 * features + $0] } }
}
