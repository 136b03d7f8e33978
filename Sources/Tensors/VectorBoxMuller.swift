/// Standard normal pairs from uniform pairs, sixteen at a time (the Box–Muller transform), for the
/// millions of weight draws a Bayesian decoder takes per step:
///   r = √(−2 ln u₁),   (z₁, z₂) = (r cos x, r sin x),   x = 2π u₂ − π.
/// The shift by π flips both outputs' signs, which leaves them independent standard normals.
/// ln, sin and cos are Cephes' single-precision polynomials (`logf`: u = m·2ᵉ with m ∈ [√½, √2),
/// degree 9 in m − 1; `sinf`/`cosf` on [−π/4, π/4] after x is reduced by multiples of π/2, the
/// quadrant choosing which and with what sign), written without per-lane selects (which Swift
/// compiles to a loop over the lanes) — within a few ulp of libm (`VectorBoxMullerTests`),
/// the same function in every lane, so any split of the work over threads gives the same bits.
public enum VectorBoxMuller {
    /// ln x for positive normal x: x = m·2ᵉ with m ∈ [√½, √2) read off the bits after adding
    /// 1 − √½'s offset (no compares), then Cephes' polynomial in m − 1.
    @inlinable @inline(__always) public static func log(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let bits = unsafeBitCast(x, to: SIMD16<Int32>.self) &+ (0x3f80_0000 - 0x3f35_04f3)
        let e = SIMD16<Float>((bits &>> 23) &- 127)
        let m = unsafeBitCast((bits & 0x007f_ffff) &+ 0x3f35_04f3, to: SIMD16<Float>.self) - 1
        let z = m * m
        var y = SIMD16<Float>(repeating: 7.037_683_629_2e-2)
        y = SIMD16<Float>(repeating: -1.151_461_031_0e-1).addingProduct(y, m)
        y = SIMD16<Float>(repeating: 1.167_699_874_0e-1).addingProduct(y, m)
        y = SIMD16<Float>(repeating: -1.242_014_084_6e-1).addingProduct(y, m)
        y = SIMD16<Float>(repeating: 1.424_932_278_7e-1).addingProduct(y, m)
        y = SIMD16<Float>(repeating: -1.666_805_766_5e-1).addingProduct(y, m)
        y = SIMD16<Float>(repeating: 2.000_071_476_5e-1).addingProduct(y, m)
        y = SIMD16<Float>(repeating: -2.499_999_399_3e-1).addingProduct(y, m)
        y = SIMD16<Float>(repeating: 3.333_333_117_4e-1).addingProduct(y, m)
        y = y * m * z
        y = y + e * -2.121_944_40e-4 - 0.5 * z
        return m + y + e * 0.693_359_375
    }

    /// (sin x, cos x) for x ∈ [−π, π].
    @inlinable @inline(__always) public static func sinCos(_ x: SIMD16<Float>) -> (sin: SIMD16<Float>, cos: SIMD16<Float>) {
        let shifter = SIMD16<Float>(repeating: 12_582_912)                       // 1.5·2²³: round to nearest
        let t = x * 0.636_619_772_367_581_343 + shifter                          // j + 1.5·2²³, j = round(2x/π)
        let j = t - shifter
        // y = x − j·π/2, π/2 in three parts whose products with j are exact.
        let y = ((x - j * 1.570_312_5) - j * 4.837_512_969_970_703_125e-4) - j * 7.549_789_954_891_882_16e-8
        let z = y * y
        var s = SIMD16<Float>(repeating: -1.951_529_589_1e-4)
        s = SIMD16<Float>(repeating: 8.332_160_873_6e-3).addingProduct(s, z)
        s = SIMD16<Float>(repeating: -1.666_665_461_1e-1).addingProduct(s, z)
        s = (s * z) * y + y
        var c = SIMD16<Float>(repeating: 2.443_315_711_809_948e-5)
        c = SIMD16<Float>(repeating: -1.388_731_625_493_765e-3).addingProduct(c, z)
        c = SIMD16<Float>(repeating: 4.166_664_568_298_827e-2).addingProduct(c, z)
        c = c * z * z - 0.5 * z + 1
        // Quadrant q = j mod 4 (the shifter's low bits): odd q swaps sin and cos, and the signs flip
        // by q's second bit (sin) and (q + 1)'s (cos) — bit operations, no per-lane selects.
        let q = unsafeBitCast(t, to: SIMD16<Int32>.self) & 3
        let swap = 0 &- (q & 1)
        let (sb, cb) = (unsafeBitCast(s, to: SIMD16<Int32>.self), unsafeBitCast(c, to: SIMD16<Int32>.self))
        let sine = unsafeBitCast(((sb & ~swap) | (cb & swap)) ^ ((q & 2) &<< 30), to: SIMD16<Float>.self)
        let cosine = unsafeBitCast(((cb & ~swap) | (sb & swap)) ^ (((q &+ 1) & 2) &<< 30), to: SIMD16<Float>.self)
        return (sine, cosine)
    }

    /// The transform of sixteen pairs: u₁ ∈ (0, 1], u₂ ∈ [0, 1).
    @inlinable @inline(__always) public static func normals(_ u1: SIMD16<Float>, _ u2: SIMD16<Float>) -> (SIMD16<Float>, SIMD16<Float>) {
        let r = (-2 * log(u1)).squareRoot()
        let (s, c) = sinCos(u2 * 6.283_185_307_179_586 - 3.141_592_653_589_793)
        return (r * c, r * s)
    }
}
