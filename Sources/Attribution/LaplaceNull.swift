#if canImport(Glibc)
import Glibc
#endif

/// TF-MoDISco-lite's null for seqlet window scores (`_laplacian_null` in tfmodisco-lite and
/// tangermeme), fitted to the real scores themselves: their mode μ (a 1,000-bin histogram, refined by
/// a second over the peak bin's values), and on each side of it a Laplace tail,
///   P(S ≥ μ + x | S ≥ μ) = e^{−λ₊x},   P(S ≤ μ − x | S ≤ μ) = e^{−λ₋x}   (x ≥ 0),
/// with each rate the largest — the most aggressive, as there — over the 5th, 10th, …, 95th
/// percentiles p of that side: λ₊ = max_p −ln(1 − p) / (Q₊(p) − μ), Q₊ the quantile of {S ≥ μ}
/// (linear interpolation, NumPy's), and λ₋ from |Q₋(1 − p) − μ| over {S ≤ μ}. The bulk of the scores
/// is taken to be noise, so whatever makes noise windows sum high (neighbouring positions that move
/// together) is in the null too; the tails are used in closed form instead of sampled.
public struct LaplaceNull: Sendable, Equatable {
    public var mode: Double
    /// λ₊, λ₋ (per unit of S; infinity when a side has no spread).
    public var positiveRate: Double, negativeRate: Double
    /// The fraction of scores at or above the mode.
    public var positiveFraction: Double

    public init(mode: Double, positiveRate: Double, negativeRate: Double, positiveFraction: Double) {
        self.mode = mode; self.positiveRate = positiveRate; self.negativeRate = negativeRate; self.positiveFraction = positiveFraction
    }

    /// Fits the null to window scores (at least one).
    public init(fitting scores: [Float]) {
        precondition(!scores.isEmpty, "no window scores to fit")
        let values = scores.map(Double.init).sorted()
        let mu = Self.mode(values)
        let upper = values.filter { $0 >= mu }, lower = values.filter { $0 <= mu }
        let percentiles = (1...19).map { Double($0) * 0.05 }
        func rate(_ deviation: (Double) -> Double) -> Double {
            var best = 0.0
            for p in percentiles {
                let d = deviation(p)
                if d > 0 { best = Swift.max(best, -log(1 - p) / d) }
            }
            return best > 0 ? best : .infinity
        }
        self.init(mode: mu,
                  positiveRate: rate { Self.quantile(upper, $0) - mu },
                  negativeRate: rate { mu - Self.quantile(lower, 1 - $0) },
                  positiveFraction: Double(upper.count) / Double(values.count))
    }

    /// P(|S| ≥ t) under the null (t ≥ 0): the upper side's mass at or above t plus the lower side's
    /// at or below −t.
    public func tail(_ t: Double) -> Double {
        func side(_ x: Double, _ rate: Double) -> Double { x <= 0 ? 1 : exp(-rate * x) }
        return positiveFraction * side(t - mode, positiveRate) + (1 - positiveFraction) * side(mode + t, negativeRate)
    }

    /// The p-quantile of sorted values, interpolated linearly between order statistics (NumPy's default).
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = p * Double(sorted.count - 1), k = Int(h)
        return k + 1 < sorted.count ? sorted[k] + (h - Double(k)) * (sorted[k + 1] - sorted[k]) : sorted[k]
    }

    /// The centre of the fullest of 1,000 bins over the values strictly inside the fullest of 1,000
    /// bins over all of them (sorted; the first of equally full bins; NumPy's bins, the last closed).
    static func mode(_ sorted: [Double]) -> Double {
        func peak(_ v: [Double]) -> (Double, Double) {
            let lo = v.first!, hi = v.last!
            guard hi > lo else { return (lo, hi) }
            let width = (hi - lo) / 1000
            var counts = [Int](repeating: 0, count: 1000)
            for x in v { counts[Swift.min(999, Int((x - lo) / width))] += 1 }
            let b = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
            return (lo + Double(b) * width, lo + Double(b + 1) * width)
        }
        let (l, r) = peak(sorted)
        let inside = sorted.filter { $0 > l && $0 < r }
        guard !inside.isEmpty else { return (l + r) / 2 }
        let (l2, r2) = peak(inside)
        return (l2 + r2) / 2
    }
}
