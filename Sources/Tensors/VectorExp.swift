/// e^x on 16 or 8 float lanes at once (`VectorExp.exp`), for softmaxes in hot loops: the Potts
/// pseudolikelihood takes N·L of them per evaluation and a transformer's attention B·H·T² per
/// step, where a scalar `expf` per element cost as much as the products around it.
///
/// Cephes' `expf` scheme: x = n·ln 2 + r with n = round(x·log₂e) and |r| ≤ ln 2 / 2 (ln 2 split
/// into a high part whose products with n are exact and a low part), e^r = 1 + r + r²·P(r) with
/// Cephes' degree-5 P, and 2ⁿ written into the exponent bits. n is rounded by adding and
/// subtracting 1.5·2²³ (round to nearest even, no conversion instruction); the sum's low mantissa
/// bits are then n itself; the polynomial runs on fused multiply-adds. Clamping uses compares and
/// blends (`replacing(with:where:)`): `pointwiseMin`/`pointwiseMax` compile to scalar code here.
/// Relative error ≤ 2 ulp against `expf` on [−87.3, 88.3] (`LanesExpTests`). x is clamped to that
/// range first (no branches, no masks): below it the result is e^{−87.3} ≈ 1.2·10⁻³⁸ (−∞
/// included), above it e^{88.3}; NaN stays NaN. Callers that need exact zeros multiply by a 0/1
/// mask or overwrite the lanes.
public enum VectorExp {
    // Literals in the bodies: hot loops read constants, not lazily initialised globals.
    @inlinable @inline(__always) public static func exp(_ x: SIMD16<Float>) -> SIMD16<Float> {
        let c = x.replacing(with: -87.3, where: x .< -87.3).replacing(with: 88.3, where: x .> 88.3)
        let shifter = SIMD16<Float>(repeating: 12_582_912)   // 1.5·2²³
        let t = c * 1.442_695_04 + shifter                          // n + 1.5·2²³
        let n = t - shifter
        var r = c - n * 0.693_359_375                                // ln 2, high part
        r = r - n * -2.121_944_40e-4                                 // ln 2, low part
        var p = SIMD16<Float>(repeating: 1.987_569_150_0e-4)
        p = SIMD16<Float>(repeating: 1.398_199_950_7e-3).addingProduct(p, r)
        p = SIMD16<Float>(repeating: 8.333_451_907_3e-3).addingProduct(p, r)
        p = SIMD16<Float>(repeating: 4.166_579_589_4e-2).addingProduct(p, r)
        p = SIMD16<Float>(repeating: 1.666_666_545_9e-1).addingProduct(p, r)
        p = SIMD16<Float>(repeating: 5.000_000_120_1e-1).addingProduct(p, r)
        let er = p * (r * r) + r + 1
        let ni = unsafeBitCast(t, to: SIMD16<Int32>.self) &- unsafeBitCast(shifter, to: SIMD16<Int32>.self)
        return er * unsafeBitCast((ni &+ 127) &<< 23, to: SIMD16<Float>.self)
    }

    /// The same on eight lanes.
    @inlinable @inline(__always) public static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        let c = x.replacing(with: -87.3, where: x .< -87.3).replacing(with: 88.3, where: x .> 88.3)
        let shifter = SIMD8<Float>(repeating: 12_582_912)   // 1.5·2²³
        let t = c * 1.442_695_04 + shifter
        let n = t - shifter
        var r = c - n * 0.693_359_375
        r = r - n * -2.121_944_40e-4
        var p = SIMD8<Float>(repeating: 1.987_569_150_0e-4)
        p = SIMD8<Float>(repeating: 1.398_199_950_7e-3).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 8.333_451_907_3e-3).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 4.166_579_589_4e-2).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 1.666_666_545_9e-1).addingProduct(p, r)
        p = SIMD8<Float>(repeating: 5.000_000_120_1e-1).addingProduct(p, r)
        let er = p * (r * r) + r + 1
        let ni = unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(shifter, to: SIMD8<Int32>.self)
        return er * unsafeBitCast((ni &+ 127) &<< 23, to: SIMD8<Float>.self)
    }

    /// Calls `body(i, count)` for i = start, start + 16, … over `range`: `count` is 16 except at the
    /// tail, where it is what is left. With `lanes` (zero-padded loads) and `store` (`count` lanes
    /// written), every element gets the same lane arithmetic wherever its chunk starts — the same
    /// bits at any split over threads.
    @inlinable @inline(__always)
    public static func forEachLanes(_ range: Range<Int>, _ body: (_ i: Int, _ count: Int) -> Void) {
        var i = range.lowerBound
        while i + 16 <= range.upperBound { body(i, 16); i += 16 }
        if i < range.upperBound { body(i, range.upperBound - i) }
    }

    /// p[0..<count] in lanes, the rest zero.
    @inlinable @inline(__always)
    public static func lanes(_ p: UnsafePointer<Float>, _ count: Int) -> SIMD16<Float> {
        if count == 16 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
        var v = SIMD16<Float>(repeating: 0)
        for k in 0..<count { v[k] = p[k] }
        return v
    }

    /// Writes the first `count` lanes of v to p.
    @inlinable @inline(__always)
    public static func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ count: Int) {
        if count == 16 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self); return }
        for k in 0..<count { p[k] = v[k] }
    }
}
