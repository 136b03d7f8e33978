#if canImport(Glibc)
import Glibc
#endif
import Tensors

// Fused ops of a transformer encoder: GELU, layer normalisation and the key-padding-masked,
// scaled softmax of attention. Each is one pass forward and one pass backward over its input
// (no intermediate tensors on the tape), forward and pullback side by side.

extension Variable {
    /// GELU (Hendrycks & Gimpel 2016), exact form: y = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)).
    /// ∂y/∂x = Φ(x) + x·φ(x), φ(x) = e^{−x²/2}/√(2π).
    public func gelu() -> Variable {
        let x = value
        var y = [Float](uninitializedCount: x.count), slope = [Float](uninitializedCount: x.count)
        x.scalars.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                slope.withUnsafeMutableBufferPointer { sb in
                    nonisolated(unsafe) let (xp, yp, sp) = (xb.baseAddress!, yb.baseAddress!, sb.baseAddress!)
                    Parallel.forEachChunk(x.count, minimumPerThread: 1 << 14) { r in geluKernel(xp, yp, sp, r) }
                }
            }
        }
        let d = Tensor(shape: x.shape, scalars: slope)
        return Variable.record(Tensor(shape: x.shape, scalars: y), [self]) { g in [g * d] }
    }
}

/// GELU and its derivative on `range`, 16 lanes at a time: Φ(x) from Abramowitz & Stegun 7.1.26,
///   erf(z) = 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)·e^{−z²},  t = 1/(1 + p·z),  z = |x|/√2  (|error| ≤ 1.5·10⁻⁷),
/// whose e^{−z²} = e^{−x²/2} also gives φ(x) = e^{−x²/2}/√(2π); y = x·Φ(x), y′ = Φ(x) + x·φ(x).
@inline(__always)
private func geluKernel(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ slope: UnsafeMutablePointer<Float>, _ range: Range<Int>) {
    func lanes(_ v: SIMD16<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        let e = VectorExp.exp(-0.5 * v * v)
        let z = v.replacing(with: -v, where: v .< 0) * 0.707_106_78
        let t = 1 / (1 + 0.327_591_1 * z)
        var p = SIMD16<Float>(repeating: 1.061_405_429)
        p = SIMD16<Float>(repeating: -1.453_152_027).addingProduct(p, t)
        p = SIMD16<Float>(repeating: 1.421_413_741).addingProduct(p, t)
        p = SIMD16<Float>(repeating: -0.284_496_736).addingProduct(p, t)
        p = SIMD16<Float>(repeating: 0.254_829_592).addingProduct(p, t)
        let tail = 0.5 * p * t * e                                   // ½(1 − erf(|x|/√2)) = Φ(−|x|)
        let phi = tail.replacing(with: 1 - tail, where: v .>= 0)
        return (v * phi, phi + v * e * 0.398_942_28)
    }
    var i = range.lowerBound
    while i + 16 <= range.upperBound {
        let (a, b) = lanes(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self))
        UnsafeMutableRawPointer(y + i).storeBytes(of: a, as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(slope + i).storeBytes(of: b, as: SIMD16<Float>.self)
        i += 16
    }
    if i < range.upperBound {
        var v = SIMD16<Float>(repeating: 0)
        for l in 0..<(range.upperBound - i) { v[l] = x[i + l] }
        let (a, b) = lanes(v)
        for l in 0..<(range.upperBound - i) { y[i + l] = a[l]; slope[i + l] = b[l] }
    }
}

/// Layer normalisation over the last axis (Ba et al. 2016) of x: (…, D), one fused kernel:
///   μ = mean_d x_d, r = 1/√(var_d x_d + ε), x̂ = (x − μ)·r, y = γ ⊙ x̂ + β.
/// Pullback per row: ∂β = Σ_rows g, ∂γ = Σ_rows g ⊙ x̂, and with ĝ = g ⊙ γ,
///   ∂x = r · (ĝ − mean_d ĝ − x̂ · mean_d(ĝ ⊙ x̂)).
/// Cost: ≈ 8·N·D FLOPs forward, ≈ 10·N·D backward; keeps x̂ and r (N·(D + 1) floats).
public func layerNorm(_ x: Variable, gamma: Variable, beta: Variable, epsilon: Float = 1e-5) -> Variable {
    let d = x.shape.last ?? 0
    precondition(gamma.shape == [d] && beta.shape == [d], "layerNorm: x \(x.shape), γ \(gamma.shape), β \(beta.shape)")
    let rows = d == 0 ? 0 : x.value.count / d
    var normalised = [Float](uninitializedCount: rows * d)
    var rstd = [Float](uninitializedCount: rows)
    var y = [Float](uninitializedCount: rows * d)
    let perThread = Swift.max(1, (1 << 14) / Swift.max(d, 1))
    x.value.scalars.withUnsafeBufferPointer { xb in
        gamma.value.scalars.withUnsafeBufferPointer { gb in
            beta.value.scalars.withUnsafeBufferPointer { bb in
                normalised.withUnsafeMutableBufferPointer { nb in
                    rstd.withUnsafeMutableBufferPointer { sb in
                        y.withUnsafeMutableBufferPointer { yb in
                            nonisolated(unsafe) let (xp, gp, bp, hp, sp, yp) = (xb.baseAddress!, gb.baseAddress!, bb.baseAddress!, nb.baseAddress!, sb.baseAddress!, yb.baseAddress!)
                            Parallel.forEachChunk(rows, minimumPerThread: perThread) { chunk in
                                for r in chunk {
                                    let base = r * d
                                    var mean: Float = 0
                                    for k in 0..<d { mean += xp[base + k] }
                                    mean /= Float(d)
                                    var variance: Float = 0
                                    for k in 0..<d { let c = xp[base + k] - mean; variance += c * c }
                                    let s = 1 / (variance / Float(d) + epsilon).squareRoot()
                                    sp[r] = s
                                    for k in 0..<d {
                                        let h = (xp[base + k] - mean) * s
                                        hp[base + k] = h
                                        yp[base + k] = gp[k] * h + bp[k]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let gammaValue = gamma.value
    return Variable.record(Tensor(shape: x.shape, scalars: y), [x, gamma, beta]) { g in
        var dx = [Float](uninitializedCount: rows * d)
        var dgamma = [Float](repeating: 0, count: d), dbeta = [Float](repeating: 0, count: d)
        g.scalars.withUnsafeBufferPointer { gb in
            gammaValue.scalars.withUnsafeBufferPointer { gmb in
                normalised.withUnsafeBufferPointer { nb in
                    rstd.withUnsafeBufferPointer { sb in
                        dx.withUnsafeMutableBufferPointer { db in
                            nonisolated(unsafe) let (gg, gm, hp, sp, dp) = (gb.baseAddress!, gmb.baseAddress!, nb.baseAddress!, sb.baseAddress!, db.baseAddress!)
                            Parallel.forEachChunk(rows, minimumPerThread: perThread) { chunk in
                                for r in chunk {
                                    let base = r * d
                                    var meanG: Float = 0, meanGH: Float = 0
                                    for k in 0..<d {
                                        let gh = gg[base + k] * gm[k]
                                        meanG += gh; meanGH += gh * hp[base + k]
                                    }
                                    meanG /= Float(d); meanGH /= Float(d)
                                    for k in 0..<d {
                                        dp[base + k] = sp[r] * (gg[base + k] * gm[k] - meanG - hp[base + k] * meanGH)
                                    }
                                }
                            }
                        }
                        // ∂β, ∂γ: each column summed over the rows in order, the columns split over threads.
                        dgamma.withUnsafeMutableBufferPointer { dgb in
                            dbeta.withUnsafeMutableBufferPointer { dbb in
                                nonisolated(unsafe) let (gg, hp, dgp, dbp) = (gb.baseAddress!, nb.baseAddress!, dgb.baseAddress!, dbb.baseAddress!)
                                Parallel.forEachChunk(d, minimumPerThread: rows * d >= 1 << 15 ? 16 : d) { columns in
                                    for r in 0..<rows {
                                        let base = r * d
                                        for k in columns { dbp[k] += gg[base + k]; dgp[k] += gg[base + k] * hp[base + k] }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return [Tensor(shape: g.shape, scalars: dx), Tensor(shape: [d], scalars: dgamma), Tensor(shape: [d], scalars: dbeta)]
    }
}

/// Scaled softmax over the last axis of attention scores x: (G, T, S) with a key-padding mask:
///   y[g,t,s] = exp(c·x[g,t,s]) / Σ_{s' < K_g} exp(c·x[g,t,s'])  for s < K_g,  0 for s ≥ K_g,
/// where K_g = `validKeys[g]` ≥ 1 (the unpadded length of group g's sequence) and c = `scale`
/// (1/√d in attention). Masked keys never enter the sum, so a padded sequence attends exactly as
/// the unpadded one. Pullback: ∂x = c · y ⊙ (g − Σ_s g·y) (zero at masked keys).
/// One pass each way, G·T·S exp evaluations; no mask tensor is built.
public func maskedSoftmax(_ x: Variable, validKeys: [Int], scale: Float = 1) -> Variable {
    precondition(x.value.rank == 3 && validKeys.count == x.shape[0], "maskedSoftmax: scores \(x.shape) with \(validKeys.count) key lengths")
    let (groups, t, s) = (x.shape[0], x.shape[1], x.shape[2])
    precondition(validKeys.allSatisfy { $0 >= 1 && $0 <= s }, "maskedSoftmax: key lengths must be in 1…\(s)")
    var y = [Float](uninitializedCount: groups * t * s)             // every element is written below
    x.value.scalars.withUnsafeBufferPointer { xb in
        y.withUnsafeMutableBufferPointer { yb in
            nonisolated(unsafe) let (xp, yp) = (xb.baseAddress!, yb.baseAddress!)
            Parallel.forEachChunk(groups * t, minimumPerThread: 64) { rows in
                for row in rows {
                    let k = validKeys[row / t]
                    softmaxRow(xp + row * s, yp + row * s, k, scale)
                    (yp + row * s + k).update(repeating: 0, count: s - k)
                }
            }
        }
    }
    let out = Tensor(shape: x.shape, scalars: y)
    return Variable.record(out, [x]) { g in
        var dx = [Float](uninitializedCount: groups * t * s)        // every element is written below
        g.scalars.withUnsafeBufferPointer { gb in
            out.scalars.withUnsafeBufferPointer { yb in
                dx.withUnsafeMutableBufferPointer { db in
                    nonisolated(unsafe) let (gp, yp, dp) = (gb.baseAddress!, yb.baseAddress!, db.baseAddress!)
                    Parallel.forEachChunk(groups * t, minimumPerThread: 64) { rows in
                        for row in rows {
                            let k = validKeys[row / t]
                            softmaxPullbackRow(gp + row * s, yp + row * s, dp + row * s, k, scale)
                            (dp + row * s + k).update(repeating: 0, count: s - k)
                        }
                    }
                }
            }
        }
        return [Tensor(shape: g.shape, scalars: dx)]
    }
}

/// One row of `maskedSoftmax` over its k valid keys, 16 lanes at a time (`VectorExp`); the last
/// partial chunk is padded with the row's first score (never above its maximum, so no lane
/// overflows) and only its k mod 16 lanes are kept.
@inline(__always)
private func softmaxRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ k: Int, _ scale: Float) {
    let full = k / 16 * 16
    func chunk(_ j: Int) -> SIMD16<Float> {
        if j + 16 <= k { return UnsafeRawPointer(x + j).loadUnaligned(as: SIMD16<Float>.self) }
        var v = SIMD16<Float>(repeating: x[0])
        for l in 0..<(k - j) { v[l] = x[j + l] }
        return v
    }
    var m16 = chunk(0)
    var j = 16
    while j < k { let v = chunk(j); m16.replace(with: v, where: m16 .< v); j += 16 }
    var m: Float = m16[0]
    for l in 1..<16 where m16[l] > m { m = m16[l] }
    let scaledMax = SIMD16<Float>(repeating: scale * m)
    var total = SIMD16<Float>(repeating: 0)
    j = 0
    while j < full {
        let e = VectorExp.exp(chunk(j) * scale - scaledMax)
        UnsafeMutableRawPointer(y + j).storeBytes(of: e, as: SIMD16<Float>.self)
        total += e
        j += 16
    }
    var sum = total.sum()
    if full < k {
        let e = VectorExp.exp(chunk(full) * scale - scaledMax)
        for l in 0..<(k - full) { y[full + l] = e[l]; sum += e[l] }
    }
    let inv = 1 / sum
    for j in 0..<k { y[j] *= inv }
}

/// One row of the pullback: ∂x = c · y ⊙ (g − Σ g·y) over the k valid keys (zero beyond).
@inline(__always)
private func softmaxPullbackRow(_ g: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ k: Int, _ scale: Float) {
    var acc = SIMD16<Float>(repeating: 0)
    var j = 0
    while j + 16 <= k {
        acc.addProduct(UnsafeRawPointer(g + j).loadUnaligned(as: SIMD16<Float>.self), UnsafeRawPointer(y + j).loadUnaligned(as: SIMD16<Float>.self))
        j += 16
    }
    var dot = acc.sum()
    while j < k { dot += g[j] * y[j]; j += 1 }
    for j in 0..<k { dx[j] = scale * y[j] * (g[j] - dot) }
}

/// Rotary position embedding (Su et al. 2021, RoFormer; ESM-2) of x: (N, T, d), d even, the
/// position of a row being its index t along T. Each pair (x_{2i}, x_{2i+1}) is rotated by the
/// angle t·θ_i, θ_i = 10000^{−2i/d}:
///   y_{2i} = x_{2i} cos tθ_i − x_{2i+1} sin tθ_i,   y_{2i+1} = x_{2i} sin tθ_i + x_{2i+1} cos tθ_i,
/// so a query at t and a key at s meet through R_tᵀR_s = R_{s−t}: attention sees relative
/// position only. The pullback is the inverse rotation, ∂x = R_tᵀ g.
public func rotaryEmbedding(_ x: Variable) -> Variable {
    precondition(x.shape.count == 3 && x.shape[2] % 2 == 0, "rotaryEmbedding: x \(x.shape) must be (N, T, d) with d even")
    let (n, t, d) = (x.shape[0], x.shape[1], x.shape[2])
    let angles = (0..<t).flatMap { p in (0..<(d / 2)).map { i in Double(p) * pow(10000, -2 * Double(i) / Double(d)) } }
    let cosines = angles.map { Float(cos($0)) }, sines = angles.map { Float(sin($0)) }
    func rotate(_ v: Tensor, inverse: Bool) -> Tensor {
        let sign: Float = inverse ? -1 : 1
        return v.mapRows(d, minimumPerThread: Swift.max(1, (1 << 14) / d)) { vb, out, row in
            let base = row * d, angles = (row % t) * d / 2
            for i in 0..<(d / 2) {
                let c = cosines[angles + i], s = sign * sines[angles + i]
                let a = vb[base + 2 * i], b = vb[base + 2 * i + 1]
                out[base + 2 * i] = a * c - b * s
                out[base + 2 * i + 1] = a * s + b * c
            }
        }
    }
    return Variable.record(rotate(x.value, inverse: false), [x]) { g in [rotate(g, inverse: true)] }
}
