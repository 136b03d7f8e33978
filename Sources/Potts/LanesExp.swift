import Tensors

/// e^x for every lane of a `Lanes` (`VectorExp`, ≤ 2 ulp from `expf`), and tree reductions of the
/// lanes.
extension Lanes {
    @inline(__always) func exp() -> Lanes {
        Lanes(low: VectorExp.exp(low), high: VectorExp.exp(high))
    }

    /// Σ of the lanes by a tree (Swift's `sum()` adds the scalars in order, one at a time).
    @inline(__always) func laneSum() -> Float {
        let s8 = (low.lowHalf + low.highHalf) + high
        let s4 = s8.lowHalf + s8.highHalf
        let s2 = s4.lowHalf + s4.highHalf
        return s2[0] + s2[1]
    }

    /// Max of the lanes by a tree of compares and blends (`max()` and `pointwiseMax` compile to
    /// scalar calls here). NaN lanes may or may not win, as with `max()`.
    @inline(__always) func laneMax() -> Float {
        var m8 = low.lowHalf.replacing(with: low.highHalf, where: low.lowHalf .< low.highHalf)
        m8.replace(with: high, where: m8 .< high)
        let m4 = m8.lowHalf.replacing(with: m8.highHalf, where: m8.lowHalf .< m8.highHalf)
        let m2 = m4.lowHalf.replacing(with: m4.highHalf, where: m4.lowHalf .< m4.highHalf)
        return Swift.max(m2[0], m2[1])
    }
}
