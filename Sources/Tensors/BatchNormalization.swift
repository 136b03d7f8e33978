// Batch normalisation kernels over axis 1 of x viewed as (N, C, S) (S = L for (N,C,L), 1 for (N,C)).
// Per channel c over its M = N·S values:
//   x̂ = (x − μ_c) · r_c,   r_c = 1 / √(σ²_c + ε),   y = γ_c · x̂ + β_c
// and, when μ and σ² are the batch's own (training),
//   ∂L/∂x = γ_c · r_c · (g − mean(g) − x̂ · mean(g · x̂)),  ∂L/∂γ_c = Σ g · x̂,  ∂L/∂β_c = Σ g.
// With fixed (running) statistics ∂L/∂x = γ_c · r_c · g.

/// Channel statistics of one batch-normalisation call, kept for its backward pass.
public struct BatchNormStatistics: Sendable {
    /// μ_c and the biased variance σ²_c (over N·S values) used for normalising.
    public var mean: Tensor, variance: Tensor
    /// Whether μ and σ² came from this batch (so the gradient flows through them).
    public var fromBatch: Bool
}

extension Tensor {
    /// (N, C, S) extents of a rank-2 or rank-3 tensor for channel-wise loops.
    func channelLayout() -> (n: Int, c: Int, s: Int) {
        precondition(rank == 2 || rank == 3, "batch normalisation needs (N,C) or (N,C,L), got \(shape)")
        return (shape[0], shape[1], rank == 3 ? shape[2] : 1)
    }

    /// y = γ ⊙ (x − μ) / √(σ² + ε) + β per channel; μ, σ² from the batch when `statistics` is nil.
    public static func batchNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float,
                                 statistics: (mean: Tensor, variance: Tensor)? = nil) -> (Tensor, BatchNormStatistics) {
        let (n, c, s) = x.channelLayout()
        precondition(gamma.count == c && beta.count == c, "batchNorm: γ \(gamma.shape), β \(beta.shape) for \(c) channels")
        var mean = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
        var y = [Float](uninitializedCount: x.count)                    // every element is written below
        let m = n * s
        x.scalars.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                mean.withUnsafeMutableBufferPointer { mb in
                    variance.withUnsafeMutableBufferPointer { vb in
                        gamma.scalars.withUnsafeBufferPointer { gb in
                            beta.scalars.withUnsafeBufferPointer { bb in
                                nonisolated(unsafe) let (xp, yp, mp, vp, gp, bp) = (xb.baseAddress!, yb.baseAddress!, mb.baseAddress!, vb.baseAddress!, gb.baseAddress!, bb.baseAddress!)
                                let fixed = statistics.map { ($0.mean.scalars, $0.variance.scalars) }
                                Parallel.forEachChunk(c, minimumPerThread: Swift.max(1, (1 << 15) / Swift.max(m, 1))) { channels in
                                    for ch in channels {
                                        var mu: Float, va: Float
                                        if let fixed {
                                            (mu, va) = (fixed.0[ch], fixed.1[ch])
                                        } else {
                                            var sum = 0.0
                                            for i in 0..<n { sum += Double(rowSum(xp + (i * c + ch) * s, s)) }
                                            mu = Float(sum / Double(Swift.max(m, 1)))
                                            var sq = 0.0
                                            for i in 0..<n { sq += Double(rowSquaredDeviation(xp + (i * c + ch) * s, s, mu)) }
                                            va = Float(sq / Double(Swift.max(m, 1)))
                                        }
                                        mp[ch] = mu; vp[ch] = va
                                        let a = gp[ch] / (va + epsilon).squareRoot(), b = bp[ch] - mu * a
                                        for i in 0..<n {
                                            let src = xp + (i * c + ch) * s, dst = yp + (i * c + ch) * s
                                            for t in 0..<s { dst[t] = a * src[t] + b }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (Tensor(shape: x.shape, scalars: y),
                BatchNormStatistics(mean: Tensor(mean), variance: Tensor(variance), fromBatch: statistics == nil))
    }

    /// Gradients of `batchNorm` with respect to x, γ and β given ∂L/∂y (see the file comment).
    public static func batchNormBackward(_ gy: Tensor, _ x: Tensor, gamma: Tensor, epsilon: Float,
                                         _ stats: BatchNormStatistics) -> (dx: Tensor, dgamma: Tensor, dbeta: Tensor) {
        let (n, c, s) = x.channelLayout()
        let m = Float(n * s)
        var dx = [Float](uninitializedCount: x.count)
        var dgamma = [Float](repeating: 0, count: c), dbeta = [Float](repeating: 0, count: c)
        x.scalars.withUnsafeBufferPointer { xb in
            gy.scalars.withUnsafeBufferPointer { gyb in
                dx.withUnsafeMutableBufferPointer { dxb in
                    dgamma.withUnsafeMutableBufferPointer { dgb in
                        dbeta.withUnsafeMutableBufferPointer { dbb in
                            stats.mean.scalars.withUnsafeBufferPointer { mb in
                                stats.variance.scalars.withUnsafeBufferPointer { vb in
                                    gamma.scalars.withUnsafeBufferPointer { gb in
                                        nonisolated(unsafe) let (xp, gyp, dxp, dgp, dbp) = (xb.baseAddress!, gyb.baseAddress!, dxb.baseAddress!, dgb.baseAddress!, dbb.baseAddress!)
                                        nonisolated(unsafe) let (mp, vp, gp) = (mb.baseAddress!, vb.baseAddress!, gb.baseAddress!)
                                        let fromBatch = stats.fromBatch
                                        Parallel.forEachChunk(c, minimumPerThread: Swift.max(1, (1 << 15) / Swift.max(n * s, 1))) { channels in
                                            for ch in channels {
                                                let mu = mp[ch], r = 1 / (vp[ch] + epsilon).squareRoot()
                                                var sumG = 0.0, sumGX = 0.0
                                                for i in 0..<n {
                                                    let xr = xp + (i * c + ch) * s, gr = gyp + (i * c + ch) * s
                                                    let (a, b) = rowSumAndCentredDot(gr, xr, s, mu)
                                                    sumG += Double(a); sumGX += Double(b)
                                                }
                                                let db = Float(sumG), dg = Float(sumGX) * r
                                                dbp[ch] = db; dgp[ch] = dg
                                                let scale = gp[ch] * r
                                                let meanG = fromBatch ? db / m : 0, meanGX = fromBatch ? dg / m : 0
                                                for i in 0..<n {
                                                    let xr = xp + (i * c + ch) * s, gr = gyp + (i * c + ch) * s, dr = dxp + (i * c + ch) * s
                                                    for t in 0..<s { dr[t] = scale * (gr[t] - meanG - (xr[t] - mu) * r * meanGX) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (Tensor(shape: x.shape, scalars: dx), Tensor(dgamma), Tensor(dbeta))
    }
}

/// Σ_{t<n} p[t] with eight partial sums (vectorises; Float addition is not reassociated otherwise).
@inline(__always)
func rowSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(), t = 0
    while t + 8 <= n { acc += UnsafeRawPointer(p + t).loadUnaligned(as: SIMD8<Float>.self); t += 8 }
    var s = acc.sum()
    while t < n { s += p[t]; t += 1 }
    return s
}

/// Σ_{t<n} (p[t] − mu)².
@inline(__always)
func rowSquaredDeviation(_ p: UnsafePointer<Float>, _ n: Int, _ mu: Float) -> Float {
    var acc = SIMD8<Float>(), t = 0
    let m = SIMD8<Float>(repeating: mu)
    while t + 8 <= n { let d = UnsafeRawPointer(p + t).loadUnaligned(as: SIMD8<Float>.self) - m; acc += d * d; t += 8 }
    var s = acc.sum()
    while t < n { let d = p[t] - mu; s += d * d; t += 1 }
    return s
}

/// (Σ g[t], Σ g[t]·(x[t] − mu)) over t < n.
@inline(__always)
func rowSumAndCentredDot(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, _ mu: Float) -> (Float, Float) {
    var a = SIMD8<Float>(), b = SIMD8<Float>(), t = 0
    let m = SIMD8<Float>(repeating: mu)
    while t + 8 <= n {
        let gv = UnsafeRawPointer(g + t).loadUnaligned(as: SIMD8<Float>.self)
        a += gv; b += gv * (UnsafeRawPointer(x + t).loadUnaligned(as: SIMD8<Float>.self) - m); t += 8
    }
    var (sa, sb) = (a.sum(), b.sum())
    while t < n { sa += g[t]; sb += g[t] * (x[t] - mu); t += 1 }
    return (sa, sb)
}
