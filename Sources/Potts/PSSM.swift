import Sequences
import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// Site-independent model: weighted column frequencies with a pseudocount,
///   f_i(a) = (Σ_n w_n [x_i^n = a] + c/q) / (Neff + c),   h_i(a) = log f_i(a),
/// equivalently f = (1 − λ)·f_emp + λ/q with pseudocount fraction λ = c / (Neff + c)
/// (gauge: the fields are log-probabilities, Σ_a e^{h_i(a)} = 1), and
///   log P(x) = Σ_i h_i(x_i).
public struct PSSM: Sendable {
    public var alphabet: Alphabet
    /// (L, q) log-probabilities.
    public var fields: Tensor
    public var pseudocount: Double

    public init(alphabet: Alphabet, fields: Tensor, pseudocount: Double) {
        self.alphabet = alphabet; self.fields = fields; self.pseudocount = pseudocount
    }

    /// With a pseudocount fraction λ ∈ [0, 1): f = (1 − λ) f_emp + λ/q. `seqgen fit --model pssm`
    /// chooses λ per alignment by `PSSMCrossValidation` (held-out likelihood, no scan; see README).
    public init(_ msa: MultipleSequenceAlignment, weights: [Float], pseudocountFraction lambda: Double) {
        precondition(lambda >= 0 && lambda < 1, "pseudocount fraction must be in [0, 1)")
        let neff = weights.reduce(0.0) { $0 + Double($1) }
        self.init(msa, weights: weights, pseudocount: lambda * neff / (1 - lambda))
    }

    /// With an absolute pseudocount c (total weight spread evenly over the q states).
    public init(_ msa: MultipleSequenceAlignment, weights: [Float], pseudocount: Double = 1) {
        let (l, q) = (msa.length, msa.alphabet.size)
        var counts = [Double](repeating: 0, count: l * q)
        var neff = 0.0
        msa.codes.withUnsafeBufferPointer { c in
            for n in 0..<msa.count {
                let w = Double(weights[n])
                neff += w
                for i in 0..<l { counts[i * q + Int(c[n * l + i])] += w }
            }
        }
        let f = counts.map { Float(Glibc.log(($0 + pseudocount / Double(q)) / (neff + pseudocount))) }
        self.init(alphabet: msa.alphabet, fields: Tensor(shape: [l, q], scalars: f), pseudocount: pseudocount)
    }

    /// EVmutation's independent model (EVcouplings `CouplingsModel.to_independent_model`): the gap is
    /// missing data, f_i the weighted residue frequencies among sequences with a residue at i (plmc's
    /// `-g` marginals), and per site the MAP fields of a 20-state softmax under an L2 prior,
    ///   h_i = argmin_h Neff·(log Σ_a e^{h(a)} − Σ_a f_i(a)·h(a)) + λ_h·‖h‖²,   λ_h = 0.01,
    /// found by damped Newton steps (Hessian Neff·(diag P − PPᵀ) + 2λ_h I) in double precision. The
    /// stored fields are log P_i(a) over the residues; the gap (not a state) gets the least likely
    /// residue's value so that files stay finite. `pseudocount` records λ_h.
    public static func evmutationIndependent(_ msa: MultipleSequenceAlignment, weights: [Float], lambdaFields: Double = 0.01) -> PSSM {
        let (l, q) = (msa.length, msa.alphabet.size)
        let gap = Int(msa.alphabet.gap), r = q - 1
        let neff = weights.reduce(0.0) { $0 + Double($1) }
        var out = [Float](repeating: 0, count: l * q)
        for i in 0..<l {
            var f = [Double](repeating: 0, count: r)
            for n in 0..<msa.count where Int(msa[n, i]) != gap { f[Int(msa[n, i])] += Double(weights[n]) }
            let total = f.reduce(0, +)
            f = f.map { total > 0 ? $0 / total : 1 / Double(r) }
            let h = independentSiteFields(f, neff: neff, lambda: lambdaFields)
            let m = h.max()!
            let logZ = m + Glibc.log(h.reduce(0.0) { $0 + Glibc.exp($1 - m) })
            let logP = h.map { $0 - logZ }
            for a in 0..<r { out[i * q + a] = Float(logP[a]) }
            out[i * q + gap] = Float(logP.min()!)
        }
        return PSSM(alphabet: msa.alphabet, fields: Tensor(shape: [l, q], scalars: out), pseudocount: lambdaFields)
    }

    /// argmin_h N·(logsumexp(h) − f·h) + λ‖h‖² (strictly convex for λ > 0).
    static func independentSiteFields(_ f: [Double], neff n: Double, lambda: Double) -> [Double] {
        let r = f.count
        func objective(_ h: [Double]) -> Double {
            let m = h.max()!
            let logZ = m + Glibc.log(h.reduce(0.0) { $0 + Glibc.exp($1 - m) })
            return n * (logZ - zip(f, h).reduce(0.0) { $0 + $1.0 * $1.1 }) + lambda * h.reduce(0.0) { $0 + $1 * $1 }
        }
        var h = [Double](repeating: 0, count: r)
        var value = objective(h)
        for _ in 0..<200 {
            let m = h.max()!
            var p = h.map { Glibc.exp($0 - m) }
            let z = p.reduce(0, +)
            p = p.map { $0 / z }
            let g = (0..<r).map { n * (p[$0] - f[$0]) + 2 * lambda * h[$0] }
            if g.reduce(0.0, { Swift.max($0, Swift.abs($1)) }) < 1e-10 * Swift.max(1, n) { break }
            // Newton direction: solve (N(diag p − ppᵀ) + 2λI) d = −g by Gaussian elimination.
            var a = [Double](repeating: 0, count: r * (r + 1))
            for x in 0..<r {
                for y in 0..<r { a[x * (r + 1) + y] = -n * p[x] * p[y] + (x == y ? n * p[x] + 2 * lambda : 0) }
                a[x * (r + 1) + r] = -g[x]
            }
            for c in 0..<r {
                let pivot = (c..<r).max { Swift.abs(a[$0 * (r + 1) + c]) < Swift.abs(a[$1 * (r + 1) + c]) }!
                if pivot != c { for k in 0...r { a.swapAt(c * (r + 1) + k, pivot * (r + 1) + k) } }
                let d = a[c * (r + 1) + c]
                for x in (c + 1)..<Swift.max(r, c + 1) {
                    let factor = a[x * (r + 1) + c] / d
                    if factor != 0 { for k in c...r { a[x * (r + 1) + k] -= factor * a[c * (r + 1) + k] } }
                }
            }
            var d = [Double](repeating: 0, count: r)
            for x in stride(from: r - 1, through: 0, by: -1) {
                var t = a[x * (r + 1) + r]
                for k in (x + 1)..<Swift.max(r, x + 1) { t -= a[x * (r + 1) + k] * d[k] }
                d[x] = t / a[x * (r + 1) + x]
            }
            var step = 1.0, next = h, nextValue = value
            while step > 1e-12 {
                next = (0..<r).map { h[$0] + step * d[$0] }
                nextValue = objective(next)
                if nextValue <= value { break }
                step *= 0.5
            }
            if !(nextValue < value) { break }
            h = next; value = nextValue
        }
        return h
    }

    public var length: Int { fields.shape[0] }

    /// log P(x) = Σ_i h_i(x_i) for an encoded sequence of length L.
    public func logLikelihood(_ codes: ArraySlice<UInt8>) -> Double {
        let q = alphabet.size
        var s = 0.0
        for (i, c) in codes.enumerated() { s += Double(fields.scalars[i * q + Int(c)]) }
        return s
    }
}
