/// e^x for every lane of a `Lanes`, vectorised: the pseudolikelihood's softmax takes N·L of them
/// per evaluation, and a scalar `expf` per state (q calls) cost more than the L-term coupling gather
/// when L is short (≈ 50).
///
/// Cephes' `expf` scheme: x = n·ln 2 + r with n = round(x·log₂e) and |r| ≤ ln 2 / 2 (ln 2 split
/// into a high part whose products with n are exact and a low part), e^r = 1 + r + r²·P(r) with
/// Cephes' degree-5 P, and 2ⁿ written into the exponent bits. n is rounded by adding and
/// subtracting 1.5·2²³ (round to nearest even, no conversion instruction); the sum's low mantissa
/// bits are then n itself. Relative error ≤ 2 ulp against `expf` (`LanesExpTests`). Lanes below
/// −87.3 (where `expf` is below 10⁻³⁸, −∞ included) give exactly 0, above 88.72 +∞, NaN gives NaN.
extension Lanes {
    @inline(__always) func exp() -> Lanes {
        Lanes(low: Lanes.exp16(low), high: Lanes.exp8(high))
    }

    // Literals behind computed properties: hot loops read constants, not lazily initialised globals.
    @inline(__always) static var expLowest: Float { -87.3 }
    @inline(__always) static var expHighest: Float { 88.3 }
    @inline(__always) static var expOverflow: Float { 88.72 }
    @inline(__always) static var expShifter: Float { 12_582_912 }   // 1.5·2²³

    /// e^r·(the rounded n) for the clamped x: returns (e^r, x·log₂e + 1.5·2²³).
    @inline(__always) static func reduced<V: SIMD>(_ x: V) -> (er: V, t: V) where V.Scalar == Float {
        let c = pointwiseMin(pointwiseMax(x, V(repeating: expLowest)), V(repeating: expHighest))
        let t = c * 1.442_695_04 + V(repeating: expShifter)        // n + 1.5·2²³
        let n = t - V(repeating: expShifter)
        var r = c - n * 0.693_359_375                              // ln 2, high part
        r = r - n * -2.121_944_40e-4                               // ln 2, low part
        var p = V(repeating: 1.987_569_150_0e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        return (p * (r * r) + r + 1, t)
    }

    @inline(__always) static func exp16(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let (er, t) = reduced(x)
        let n = unsafeBitCast(t, to: SIMD16<Int32>.self) &- unsafeBitCast(SIMD16<Float>(repeating: expShifter), to: SIMD16<Int32>.self)
        var y = er * unsafeBitCast((n &+ 127) &<< 23, to: SIMD16<Float>.self)
        y.replace(with: 0, where: x .< expLowest)
        y.replace(with: .infinity, where: x .> expOverflow)
        y.replace(with: .nan, where: x .!= x)
        return y
    }

    @inline(__always) static func exp8(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let (er, t) = reduced(x)
        let n = unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(SIMD8<Float>(repeating: expShifter), to: SIMD8<Int32>.self)
        var y = er * unsafeBitCast((n &+ 127) &<< 23, to: SIMD8<Float>.self)
        y.replace(with: 0, where: x .< expLowest)
        y.replace(with: .infinity, where: x .> expOverflow)
        y.replace(with: .nan, where: x .!= x)
        return y
    }
}
