#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors

// Fused ops for mean-field Gaussian parameters θ ~ N(μ, σ²), σ = e^ρ (Bayesian layers, VAEs):
// one pass each way instead of the five element-wise ops (exp, *, +, and the KL's square, exp, sum)
// the plain composition records.

/// θ = μ + e^ρ ⊙ ε for a constant noise tensor ε (the reparameterisation trick), e^ρ sixteen
/// lanes at a time (`VectorExp`, ≤ 2 ulp from `expf`).
/// ∂θ/∂μ = 1, ∂θ/∂ρ = e^ρ ⊙ ε.
public func reparameterizedGaussian(mean: Variable, logStd: Variable, noise: Tensor) -> Variable {
    precondition(mean.shape == logStd.shape && mean.shape == noise.shape, "reparameterizedGaussian: shapes \(mean.shape), \(logStd.shape), \(noise.shape)")
    let n = mean.value.count
    var spread: [Float] = []                          // e^ρ ε, kept for the pullback
    let theta = filled(n) { t in
        spread = filled(n) { s in
            mean.value.scalars.withUnsafeBufferPointer { mu in
                logStd.value.scalars.withUnsafeBufferPointer { rho in
                    noise.scalars.withUnsafeBufferPointer { eps in
                        nonisolated(unsafe) let (mu, rho, eps, s, t) = (mu.baseAddress!, rho.baseAddress!, eps.baseAddress!, s, t)
                        Parallel.forEachChunk(n, minimumPerThread: elementwiseGrain) { range in
                            VectorExp.forEachLanes(range) { i, count in
                                let e = VectorExp.exp(VectorExp.lanes(rho + i, count)) * VectorExp.lanes(eps + i, count)
                                VectorExp.store(e, s + i, count); VectorExp.store(VectorExp.lanes(mu + i, count) + e, t + i, count)
                            }
                        }
                    }
                }
            }
        }
    }
    let shape = mean.shape
    return Variable.record(Tensor(shape: shape, scalars: theta), [mean, logStd]) { g in
        [g, Tensor(shape: shape, scalars: spread) * g]
    }
}

/// Elements per thread below which these element-wise passes stay on one thread.
let elementwiseGrain = 1 << 15

/// n Floats written by `fill` (every one of them, over whichever threads it likes) — no zeroing
/// pass first. The pointer is shareable across the threads of `fill`'s loops.
func filled(_ n: Int, _ fill: (_ out: UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: n) { buffer, count in
        if n > 0 { fill(buffer.baseAddress!) }
        count = n
    }
}

/// KL(N(μ, e^{2ρ}) ‖ N(m, s²)) summed over elements:
///   Σ_i [ log s − ρ_i + (e^{2ρ_i} + (μ_i − m)²) / (2s²) − ½ ]
/// ∂/∂μ_i = (μ_i − m)/s²,  ∂/∂ρ_i = e^{2ρ_i}/s² − 1.
/// e^{2ρ} sixteen lanes at a time (`VectorExp`, ≤ 2 ulp from `expf`); the sum runs in Float lanes
/// over fixed blocks of 4,096 elements, the blocks added in order in Double: the same bits whichever
/// thread sums which block.
public func gaussianKL(mean: Variable, logStd: Variable, priorMean m: Float = 0, priorStd s: Float = 1) -> Variable {
    precondition(mean.shape == logStd.shape, "gaussianKL: shapes \(mean.shape), \(logStd.shape)")
    let n = mean.value.count
    let inv = 1 / (s * s)
    let block = 4096
    var partial = [Float](repeating: 0, count: (n + block - 1) / block)
    let variance = filled(n) { v in
        mean.value.scalars.withUnsafeBufferPointer { mu in
            logStd.value.scalars.withUnsafeBufferPointer { rho in
                partial.withUnsafeMutableBufferPointer { sums in
                    nonisolated(unsafe) let (mu, rho, sums, v) = (mu.baseAddress!, rho.baseAddress!, sums, v)
                    Parallel.forEachChunk(sums.count, minimumPerThread: Swift.max(1, elementwiseGrain / block)) { blocks in
                        for b in blocks {
                            var acc = SIMD16<Float>(repeating: 0), tail: Float = 0
                            VectorExp.forEachLanes((b * block)..<Swift.min(n, (b + 1) * block)) { i, count in
                                let r = VectorExp.lanes(rho + i, count), d = VectorExp.lanes(mu + i, count) - m
                                let e = VectorExp.exp(2 * r)
                                VectorExp.store(e, v + i, count)
                                let term = 0.5 * (e + d * d) * inv - r
                                if count == 16 { acc += term } else { for k in 0..<count { tail += term[k] } }
                            }
                            sums[b] = acc.sum() + tail
                        }
                    }
                }
            }
        }
    }
    var total = partial.reduce(0.0) { $0 + Double($1) }
    total += Double(n) * (Double(logf(s)) - 0.5)
    let (mv, shape) = (mean.value, mean.shape)
    return Variable.record(Tensor(Float(total)), [mean, logStd]) { g in
        let c = g.scalar
        return [mv.mapChunks { mu, y, r in for i in r { y[i] = c * (mu[i] - m) * inv } },
                Tensor(shape: shape, scalars: variance).mapChunks { v, y, r in for i in r { y[i] = c * (v[i] * inv - 1) } }]
    }
}
