#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors

// Fused ops for mean-field Gaussian parameters θ ~ N(μ, σ²), σ = e^ρ (Bayesian layers, VAEs):
// one pass each way instead of the five element-wise ops (exp, *, +, and the KL's square, exp, sum)
// the plain composition records.

/// θ = μ + e^ρ ⊙ ε for a constant noise tensor ε (the reparameterisation trick).
/// ∂θ/∂μ = 1, ∂θ/∂ρ = e^ρ ⊙ ε.
public func reparameterizedGaussian(mean: Variable, logStd: Variable, noise: Tensor) -> Variable {
    precondition(mean.shape == logStd.shape && mean.shape == noise.shape, "reparameterizedGaussian: shapes \(mean.shape), \(logStd.shape), \(noise.shape)")
    let n = mean.value.count
    var spread = [Float](repeating: 0, count: n)      // e^ρ ε, kept for the pullback
    var theta = [Float](repeating: 0, count: n)
    mean.value.scalars.withUnsafeBufferPointer { mu in
        logStd.value.scalars.withUnsafeBufferPointer { rho in
            noise.scalars.withUnsafeBufferPointer { eps in
                spread.withUnsafeMutableBufferPointer { s in
                    theta.withUnsafeMutableBufferPointer { t in
                        for i in 0..<n { s[i] = expf(rho[i]) * eps[i]; t[i] = mu[i] + s[i] }
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

/// KL(N(μ, e^{2ρ}) ‖ N(m, s²)) summed over elements:
///   Σ_i [ log s − ρ_i + (e^{2ρ_i} + (μ_i − m)²) / (2s²) − ½ ]
/// ∂/∂μ_i = (μ_i − m)/s²,  ∂/∂ρ_i = e^{2ρ_i}/s² − 1.
public func gaussianKL(mean: Variable, logStd: Variable, priorMean m: Float = 0, priorStd s: Float = 1) -> Variable {
    precondition(mean.shape == logStd.shape, "gaussianKL: shapes \(mean.shape), \(logStd.shape)")
    let n = mean.value.count
    let inv = 1 / (s * s)
    var variance = [Float](repeating: 0, count: n)
    var total = 0.0
    mean.value.scalars.withUnsafeBufferPointer { mu in
        logStd.value.scalars.withUnsafeBufferPointer { rho in
            variance.withUnsafeMutableBufferPointer { v in
                var acc: Float = 0, block = 0
                for i in 0..<n {
                    v[i] = expf(2 * rho[i])
                    let d = mu[i] - m
                    acc += 0.5 * (v[i] + d * d) * inv - rho[i]
                    block += 1
                    if block == 4096 { total += Double(acc); acc = 0; block = 0 }
                }
                total += Double(acc)
            }
        }
    }
    total += Double(n) * (Double(logf(s)) - 0.5)
    let (mv, shape) = (mean.value, mean.shape)
    return Variable.record(Tensor(Float(total)), [mean, logStd]) { g in
        let c = g.scalar
        var gm = [Float](repeating: 0, count: n), gr = [Float](repeating: 0, count: n)
        mv.scalars.withUnsafeBufferPointer { mu in
            variance.withUnsafeBufferPointer { v in
                for i in 0..<n { gm[i] = c * (mu[i] - m) * inv; gr[i] = c * (v[i] * inv - 1) }
            }
        }
        return [Tensor(shape: shape, scalars: gm), Tensor(shape: shape, scalars: gr)]
    }
}
