import Tensors
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Direct information (Weigt et al. 2009, PNAS 106:67; Morcos et al. 2011, PNAS 108:E1293): the
/// mutual information of the isolated two-site model of a pair,
///   P^dir_ij(a,b) = exp(e_ij(a,b) + h̃_i(a) + h̃_j(b)) / Z_ij,
/// whose local fields h̃ are fixed so that its marginals equal the single-site frequencies f_i, f_j:
///   Σ_b P^dir_ij(a,b) = f_i(a),   Σ_a P^dir_ij(a,b) = f_j(b),
///   DI_ij = Σ_{a,b} P^dir_ij(a,b) log(P^dir_ij(a,b) / (f_i(a) f_j(b))).
/// DI ≥ 0 (a KL divergence), DI_ij = DI_ji, and DI = 0 when e_ij is a sum of a row and a column term
/// (no coupling in any gauge). The fields are found by Morcos et al.'s fixed point (`dca.m`,
/// `compute_mu`): with W = exp(e), μ_i ← f_i / (W μ_j), μ_j ← f_j / (Wᵀ μ_i), each normalised, until
/// no entry moves by more than `tolerance`; P^dir ∝ W ∘ μ_i μ_jᵀ. e_ij are the Potts couplings of any
/// model (for a Gaussian / mean-field model e_ij = −(C⁻¹)_ij, as stored in its Potts form, gap terms 0).
public enum DirectInformation {
    /// Morcos et al.'s pseudocount weight λ in f ← (1 − λ) f + λ/q (`dca.m`: pseudocount_weight = 0.5);
    /// it keeps every frequency positive (a zero would need h̃ = −∞).
    public static let defaultPseudocount = 0.5

    /// The two-site model P^dir (q×q, row-major, a major) of couplings `e` (q×q, row-major) with
    /// marginals `fi`, `fj` (positive, each summing to 1).
    public static func twoSiteModel(couplings e: [Double], fi: [Double], fj: [Double],
                                    tolerance: Double = 1e-10, maxIterations: Int = 100_000) -> [Double] {
        let q = fi.count
        precondition(fj.count == q && e.count == q * q, "couplings must be q×q for q = \(q) states")
        let top = e.max() ?? 0
        let w = e.map { exp($0 - top) }                       // the constant cancels in the normalisation
        var mi = [Double](repeating: 1 / Double(q), count: q), mj = mi
        var newI = mi, newJ = mj
        for _ in 0..<maxIterations {
            for a in 0..<q { var s = 0.0; for b in 0..<q { s += w[a * q + b] * mj[b] }; newI[a] = fi[a] / s }
            for b in 0..<q { var s = 0.0; for a in 0..<q { s += w[a * q + b] * mi[a] }; newJ[b] = fj[b] / s }
            let si = newI.reduce(0, +), sj = newJ.reduce(0, +)
            var change = 0.0
            for a in 0..<q {
                newI[a] /= si; newJ[a] /= sj
                change = Swift.max(change, abs(newI[a] - mi[a]), abs(newJ[a] - mj[a]))
            }
            swap(&mi, &newI); swap(&mj, &newJ)
            if change <= tolerance { break }
        }
        var p = [Double](repeating: 0, count: q * q)
        var z = 0.0
        for a in 0..<q { for b in 0..<q { p[a * q + b] = w[a * q + b] * mi[a] * mj[b]; z += p[a * q + b] } }
        return p.map { $0 / z }
    }

    /// DI of one pair (natural logarithm, nats).
    public static func pair(couplings e: [Double], fi: [Double], fj: [Double]) -> Double {
        let q = fi.count
        let p = twoSiteModel(couplings: e, fi: fi, fj: fj)
        var di = 0.0
        for a in 0..<q { for b in 0..<q where p[a * q + b] > 0 {
            di += p[a * q + b] * log(p[a * q + b] / (fi[a] * fj[b]))
        } }
        return Swift.max(di, 0)           // a KL divergence; rounding can leave −1e-17
    }

    /// (1 − λ) f + λ/q for each site of `frequencies` (L×q, row-major).
    public static func withPseudocount(_ frequencies: [Double], states q: Int, weight lambda: Double) -> [Double] {
        frequencies.map { (1 - lambda) * $0 + lambda / Double(q) }
    }

    /// DI of every pair: couplings (L, L, q, q) symmetric, frequencies L×q single-site frequencies
    /// (each row summing to 1) to which the pseudocount `pseudocount` is added first.
    public static func map(couplings: Tensor, frequencies: [Double], pseudocount: Double = defaultPseudocount) -> ContactMap {
        let table = Couplings(couplings)
        let (l, q) = (table.length, table.states)
        precondition(frequencies.count == l * q, "frequencies must be L×q")
        let f = withPseudocount(frequencies, states: q, weight: pseudocount)
        var list: [(Int, Int)] = []
        for i in 0..<l { for k in (i + 1)..<Swift.max(l, i + 1) { list.append((i, k)) } }
        let pairs = list
        let values = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(pairs.count, 1))
        defer { values.deallocate() }
        nonisolated(unsafe) let out = values
        Parallel.forEachChunk(pairs.count, minimumPerThread: 1) { chunk in
            var e = [Double](repeating: 0, count: q * q)
            for t in chunk {
                let (i, k) = pairs[t]
                let base = Couplings.blockOffset(i, k, length: l, states: q)
                for s in 0..<(q * q) { e[s] = Double(table.scalars[base + s]) }
                out[t] = pair(couplings: e, fi: Array(f[(i * q)..<(i * q + q)]), fj: Array(f[(k * q)..<(k * q + q)]))
            }
        }
        var s = [Float](repeating: 0, count: l * l)
        for (t, (i, k)) in pairs.enumerated() { s[i * l + k] = Float(values[t]); s[k * l + i] = Float(values[t]) }
        return ContactMap(length: l, scores: s)
    }
}
