import Tensors
import Sequences
#if canImport(Glibc)
import Glibc
#endif

/// The regression of one position p of an autoregressive model (a weighted multinomial logistic
/// regression of x_{σ(p)} on the one-hot of the earlier positions):
///
///   F_p(W_p, h_p) = −Σ_n w_n log softmax(h_p + Σ_{m<p} W_p[(m, y_m^n), ·])[y_p^n]
///                   + λ_J ‖W_p‖² + λ_h ‖h_p‖²,
///   ∂F/∂h_p(a)          = Σ_n w_n (P_n(a) − [y_p^n = a]) + 2λ_h h_p(a),
///   ∂F/∂W_p[(m, b), a]  = Σ_n w_n (P_n(a) − [y_p^n = a]) [y_m^n = b] + 2λ_J W_p[(m, b), a],
///
/// with weights normalised to Σ w = 1 (as ArDCA.jl does, so the λs do not scale with Neff).
///
/// The design matrix X (N × p·q) is one-hot with exactly p ones per row, so X·W_p is a gather of p
/// rows of W_p per sequence and Xᵀ·R a scatter-add: N·p·q adds each way instead of the 2·N·p·q²
/// FLOPs of a dense sgemm over the N × p·q design (q = 21× fewer operations, and no N × L·q
/// one-hot matrix in memory). Per evaluation: 2·N·p·q adds + N·q exps; W_p (p·q² floats,
/// ≤ 280 kB for L = 159) stays in cache. `ArDCAObjectiveAutodiff` states the same function with
/// dense matrices, and a test holds the two together.
public struct ArDCAObjective: Sendable {
    /// N × L codes in *position* order (row n = sequence n rearranged by the model's order).
    public let codes: [UInt8]
    public let count: Int, length: Int, states: Int
    /// Normalised weights (Σ = 1).
    public let weights: [Float]
    public let lambdaCouplings: Float, lambdaFields: Float

    public init(positionOrderedCodes codes: [UInt8], count: Int, length: Int, states: Int, weights: [Float],
                lambdaCouplings: Float, lambdaFields: Float) {
        precondition(codes.count == count * length && weights.count == count)
        let total = weights.reduce(0.0) { $0 + Double($1) }
        precondition(total > 0, "weights must have a positive sum")
        self.codes = codes; self.count = count; self.length = length; self.states = states
        self.weights = weights.map { Float(Double($0) / total) }
        self.lambdaCouplings = lambdaCouplings; self.lambdaFields = lambdaFields
    }

    /// Parameters of position p: p·q² couplings then q fields.
    public func parameterCount(position p: Int) -> Int { ArDCAModel.blockSize(position: p, states: states) }

    /// F_p(θ) with its gradient written into `gradient`; `scratch` holds ≥ 2q floats (no allocation).
    public func evaluate(position p: Int, _ theta: UnsafePointer<Float>, _ gradient: UnsafeMutablePointer<Float>,
                         scratch: UnsafeMutablePointer<Float>) -> Double {
        let (q, l) = (states, length)
        let nw = p * q * q
        let h = theta + nw
        var penalty = 0.0
        for k in 0..<nw { gradient[k] = 2 * lambdaCouplings * theta[k]; penalty += Double(lambdaCouplings * theta[k] * theta[k]) }
        for a in 0..<q { gradient[nw + a] = 2 * lambdaFields * h[a]; penalty += Double(lambdaFields * h[a] * h[a]) }
        let z = scratch, r = scratch + q
        var nll = 0.0
        codes.withUnsafeBufferPointer { cp in
            weights.withUnsafeBufferPointer { wp in
                if q == 21 {
                    nll = ArDCAObjective.accumulate21(count: count, length: l, position: p, codes: cp.baseAddress!, weights: wp.baseAddress!,
                                                      couplings: theta, fields: h, gradient: gradient, scratch: r)
                    return
                }
                for n in 0..<count {
                    let w = wp[n]
                    if w == 0 { continue }
                    let y = cp.baseAddress! + n * l
                    for a in 0..<q { z[a] = h[a] }
                    for m in 0..<p {
                        let row = theta + (m * q + Int(y[m])) * q
                        for a in 0..<q { z[a] += row[a] }
                    }
                    var mx = -Float.infinity
                    for a in 0..<q { mx = Swift.max(mx, z[a]) }
                    var s: Float = 0
                    for a in 0..<q { r[a] = expf(z[a] - mx); s += r[a] }
                    let target = Int(y[p])
                    nll -= Double(w) * (Double(z[target] - mx) - Double(logf(s)))
                    let scale = w / s
                    for a in 0..<q { r[a] *= scale }
                    r[target] -= w
                    let gh = gradient + nw
                    for a in 0..<q { gh[a] += r[a] }
                    for m in 0..<p {
                        let row = gradient + (m * q + Int(y[m])) * q
                        for a in 0..<q { row[a] += r[a] }
                    }
                }
            }
        }
        return nll + penalty
    }

    /// The q = 21 (protein) case of `evaluate`'s data term with each 21-float row held as one
    /// SIMD16 + one SIMD4 + one scalar: the gather Σ_m W_p[(m, y_m), ·] stays in registers and the
    /// scatter is 3 vector read-modify-writes per row (same arithmetic, same order per element, as
    /// the scalar loop; about 3× faster measured on dhfr). Returns −Σ_n w_n log P_n(y_p^n).
    @inline(__always)
    static func accumulate21(count: Int, length l: Int, position p: Int, codes: UnsafePointer<UInt8>, weights: UnsafePointer<Float>,
                             couplings theta: UnsafePointer<Float>, fields h: UnsafePointer<Float>,
                             gradient: UnsafeMutablePointer<Float>, scratch r: UnsafeMutablePointer<Float>) -> Double {
        let q = 21
        let gh = gradient + p * q * q
        @inline(__always) func load16(_ x: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(x).loadUnaligned(as: SIMD16<Float>.self) }
        @inline(__always) func load4(_ x: UnsafePointer<Float>) -> SIMD4<Float> { UnsafeRawPointer(x + 16).loadUnaligned(as: SIMD4<Float>.self) }
        @inline(__always) func add(_ x: UnsafeMutablePointer<Float>, _ v16: SIMD16<Float>, _ v4: SIMD4<Float>, _ v1: Float) {
            UnsafeMutableRawPointer(x).storeBytes(of: load16(x) + v16, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(x + 16).storeBytes(of: load4(x) + v4, as: SIMD4<Float>.self)
            x[20] += v1
        }
        let h16 = load16(h), h4 = load4(h), h1 = h[20]
        var nll = 0.0
        for n in 0..<count {
            let w = weights[n]
            if w == 0 { continue }
            let y = codes + n * l
            var z16 = h16, z4 = h4, z1 = h1
            for m in 0..<p {
                let row = theta + (m * q + Int(y[m])) * q
                z16 += load16(row); z4 += load4(row); z1 += row[20]
            }
            let mx = Swift.max(Swift.max(z16.max(), z4.max()), z1)
            var s: Float = 0
            for a in 0..<16 { let e = expf(z16[a] - mx); r[a] = e; s += e }
            for a in 0..<4 { let e = expf(z4[a] - mx); r[16 + a] = e; s += e }
            r[20] = expf(z1 - mx); s += r[20]
            let target = Int(y[p])
            let zt = target < 16 ? z16[target] : (target < 20 ? z4[target - 16] : z1)
            nll -= Double(w) * (Double(zt - mx) - Double(logf(s)))
            let scale = w / s
            r[target] -= s          // (e_t − s)·scale = w·(P_t − 1)
            let r16 = load16(r) * scale, r4 = load4(r) * scale, r1 = r[20] * scale
            add(gh, r16, r4, r1)
            for m in 0..<p { add(gradient + (m * q + Int(y[m])) * q, r16, r4, r1) }
        }
        return nll
    }
}
