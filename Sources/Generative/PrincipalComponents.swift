import Tensors
import Sequences

/// The first two principal components of an alignment's weighted one-hot encoding (N × L·q,
/// centred by the weighted mean μ), found by subspace iteration on the covariance
/// C = Σ_n w_n (x_n − μ)(x_n − μ)ᵀ / Σ w without forming it: each step is two sgemms with the
/// one-hot matrix (4·N·L·q·2 FLOPs), then Gram–Schmidt. Seeded start, 200 steps.
public struct PrincipalComponents: Sendable {
    public let mean: [Float]
    /// D × 2, column-major pairs (components[d·2 + k]).
    public let components: [Float]
    public let dimension: Int

    public init(_ msa: MultipleSequenceAlignment, weights: [Float], seed: UInt64, steps: Int = 200) {
        let (n, l, q) = (msa.count, msa.length, msa.alphabet.size)
        let d = l * q
        dimension = d
        let total = weights.reduce(0.0) { $0 + Double($1) }
        let w = weights.map { Float(Double($0) / total) }
        let x = PrincipalComponents.oneHot(msa)
        var mu = [Float](repeating: 0, count: d)
        for s in 0..<n { for i in 0..<l { mu[i * q + Int(msa.codes[s * l + i])] += w[s] } }
        var rng = RandomGenerator(seed: seed)
        var v = (0..<(d * 2)).map { _ in rng.normal() }
        PrincipalComponents.orthonormalise(&v, d)
        var u = [Float](repeating: 0, count: n * 2), y = [Float](repeating: 0, count: d * 2)
        for _ in 0..<steps {
            // u = (X − 1μᵀ)·v, scaled by w; y = (X − 1μᵀ)ᵀ·u.
            x.withUnsafeBufferPointer { xp in v.withUnsafeBufferPointer { vp in u.withUnsafeMutableBufferPointer { up in
                sgemm(false, false, n, 2, d, 1, xp.baseAddress!, d, vp.baseAddress!, 2, 0, up.baseAddress!, 2)
            } } }
            var muV: (Float, Float) = (0, 0)
            for k in 0..<d { muV.0 += mu[k] * v[k * 2]; muV.1 += mu[k] * v[k * 2 + 1] }
            var su: (Float, Float) = (0, 0)
            for s in 0..<n {
                u[s * 2] = (u[s * 2] - muV.0) * w[s]; u[s * 2 + 1] = (u[s * 2 + 1] - muV.1) * w[s]
                su.0 += u[s * 2]; su.1 += u[s * 2 + 1]
            }
            x.withUnsafeBufferPointer { xp in u.withUnsafeBufferPointer { up in y.withUnsafeMutableBufferPointer { yp in
                sgemm(true, false, d, 2, n, 1, xp.baseAddress!, d, up.baseAddress!, 2, 0, yp.baseAddress!, 2)
            } } }
            for k in 0..<d { y[k * 2] -= mu[k] * su.0; y[k * 2 + 1] -= mu[k] * su.1 }
            PrincipalComponents.orthonormalise(&y, d)
            swap(&v, &y)
        }
        mean = mu; components = v
    }

    static func oneHot(_ msa: MultipleSequenceAlignment) -> [Float] {
        let (l, q) = (msa.length, msa.alphabet.size)
        var x = [Float](repeating: 0, count: msa.count * l * q)
        for s in 0..<msa.count { for i in 0..<l { x[(s * l + i) * q + Int(msa.codes[s * l + i])] = 1 } }
        return x
    }

    /// Gram–Schmidt on the two columns of a D × 2 matrix.
    static func orthonormalise(_ v: inout [Float], _ d: Int) {
        var n0 = 0.0
        for k in 0..<d { n0 += Double(v[k * 2] * v[k * 2]) }
        let s0 = Float(1 / Swift.max(n0.squareRoot(), 1e-30))
        for k in 0..<d { v[k * 2] *= s0 }
        var dot = 0.0
        for k in 0..<d { dot += Double(v[k * 2] * v[k * 2 + 1]) }
        for k in 0..<d { v[k * 2 + 1] -= Float(dot) * v[k * 2] }
        var n1 = 0.0
        for k in 0..<d { n1 += Double(v[k * 2 + 1] * v[k * 2 + 1]) }
        let s1 = Float(1 / Swift.max(n1.squareRoot(), 1e-30))
        for k in 0..<d { v[k * 2 + 1] *= s1 }
    }

    /// (PC1, PC2) of every sequence: (x − μ)·v_k.
    public func project(_ msa: MultipleSequenceAlignment) -> [(Double, Double)] {
        let (l, q) = (msa.length, msa.alphabet.size)
        var muV = (0.0, 0.0)
        for k in 0..<dimension { muV.0 += Double(mean[k] * components[k * 2]); muV.1 += Double(mean[k] * components[k * 2 + 1]) }
        return (0..<msa.count).map { s in
            var p = (0.0, 0.0)
            for i in 0..<l {
                let k = i * q + Int(msa.codes[s * l + i])
                p.0 += Double(components[k * 2]); p.1 += Double(components[k * 2 + 1])
            }
            return (p.0 - muV.0, p.1 - muV.1)
        }
    }
}
