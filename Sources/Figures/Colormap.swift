/// Colour maps for values: `viridis` (perceptually uniform, dark purple → teal → yellow; the
/// matplotlib anchors at ninths, linearly interpolated) for sequential values, and `diverging`
/// (ColorBrewer RdBu: blue → near-white → red) for signed values centred at zero.
public enum Colormap: Sendable {
    case viridis, diverging

    static let viridisAnchors: [(Double, Double, Double)] = [
        (68, 1, 84), (72, 40, 120), (62, 73, 137), (49, 104, 142), (38, 130, 142),
        (31, 158, 137), (53, 183, 121), (110, 206, 88), (253, 231, 37),
    ]
    static let divergingAnchors: [(Double, Double, Double)] = [
        (33, 102, 172), (103, 169, 207), (247, 247, 247), (239, 138, 98), (178, 24, 43),
    ]
    /// The colour of a missing (NaN) value.
    public static let missing = Canvas.Color(220, 220, 220)

    /// The colour at t ∈ [0, 1] (clamped; NaN → `missing`).
    public func color(_ t: Double) -> Canvas.Color {
        guard t.isFinite else { return Colormap.missing }
        let anchors = self == .viridis ? Colormap.viridisAnchors : Colormap.divergingAnchors
        let x = Swift.max(0, Swift.min(1, t)) * Double(anchors.count - 1)
        let k = Swift.min(anchors.count - 2, Int(x)), f = x - Double(k)
        let (a, b) = (anchors[k], anchors[k + 1])
        func mix(_ u: Double, _ v: Double) -> UInt8 { UInt8((u + (v - u) * f).rounded()) }
        return Canvas.Color(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// The colour of `v` on a scale from `low` to `high` (for `diverging`, use −limit … limit).
    public func color(_ v: Double, low: Double, high: Double) -> Canvas.Color {
        guard v.isFinite else { return Colormap.missing }
        return color(high > low ? (v - low) / (high - low) : 0.5)
    }

    /// A horizontal colour bar `width`×`height` at (x, y) with round ticks (1, 2 or 5 × 10ᵏ, as a
    /// matplotlib colour bar; the ends when fewer than two fall inside) labelled under it in one
    /// format, and an optional caption to its right.
    public func drawBar(into canvas: inout Canvas, x: Int, y: Int, width: Int = 200, height: Int = 10,
                        low: Double, high: Double, caption: String? = nil) {
        var strip = Canvas(width: width, height: height)
        for k in 0..<width {
            let c = color(Double(k) / Double(Swift.max(width - 1, 1)))
            for yy in 0..<height { strip.set(x: k, y: yy, c) }
        }
        try? canvas.image(strip, x: x, y: y)
        canvas.rectangle(x: x - 1, y: y - 1, width: width + 2, height: height + 2, .black)
        let n = Swift.max(2, Swift.min(5, width / 60))
        var ticks = Chart.ticks(low: low, high: high, count: n)
        if ticks.count < 3 { ticks = Chart.ticks(low: low, high: high, count: n + 2) }
        if ticks.count < 2 || !(high > low) { ticks = [low, high] }
        var lastRight = Int.min
        for (t, label) in zip(ticks, Colormap.tickLabels(ticks)) {
            let px = x + Int(((t - low) / (high > low ? high - low : 1) * Double(width - 1)).rounded())
            let w = Canvas.textWidth(label, scale: 1)
            let left = Swift.min(Swift.max(px - w / 2, x - w / 2), x + width - w / 2)
            guard left > lastRight + 6 else { continue }
            canvas.line(x0: px, y0: y + height, x1: px, y1: y + height + 3, .black)
            canvas.text(label, x: left, y: y + height + 6, scale: 1)
            lastRight = left + w
        }
        if let caption { canvas.text(caption, x: x + width + 12, y: y + 1, scale: 1) }
    }

    /// Labels for one axis's ticks in one format, as matplotlib's ScalarFormatter writes them:
    /// the same number of decimals on every tick (the fewest that show each tick to 3 significant
    /// digits), a real minus sign (−), and powers of ten as 1e6 beyond 10⁶ or below 10⁻³.
    public static func tickLabels(_ values: [Double]) -> [String] {
        let finite = values.filter { $0.isFinite && $0 != 0 }.map { Swift.abs($0) }
        // Scientific notation for one tick puts every tick in it (not "0.0014" above "8e−4").
        if let big = finite.max(), let small = finite.min(), big >= 1e6 || small < 1e-3 {
            return values.map { $0 == 0 ? "0" : $0.isFinite ? scientific($0) : "nan" }
        }
        var decimals = 0
        for v in values where v.isFinite && v != 0 {
            let needed = Swift.max(0, 2 - Int(Swift.abs(v).log10Floor))
            var d = 0, p = 1.0
            let rounded = Double(label(v).replacingMinus) ?? v
            while d < needed && Swift.abs(rounded * p - (rounded * p).rounded()) > 1e-6 { d += 1; p *= 10 }
            decimals = Swift.max(decimals, d)
        }
        func labels(_ decimals: Int) -> [String] {
            values.map { v in
                guard v.isFinite else { return "nan" }
                let text = trim(Swift.abs(v), decimals, keepZeros: true)
                return (v < 0 && Double(text) != 0 ? "−" : "") + text
            }
        }
        // Three significant digits, or as many more as tell the ticks apart (248582.5 and 248583).
        var out = labels(decimals)
        while Set(out).count < Set(values).count && decimals < 6 { decimals += 1; out = labels(decimals) }
        return out
    }

    /// v as m·10^e with 3 significant digits, e.g. "1.4e−3" (v ≠ 0, finite).
    static func scientific(_ v: Double) -> String {
        var e = 0, m = Swift.abs(v)
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        return (v < 0 ? "−" : "") + trim(m, 2) + "e" + (e < 0 ? "−" : "") + String(Swift.abs(e))
    }

    /// A short tick label: 3 significant digits, no trailing zeros, a real minus sign (−).
    public static func label(_ v: Double) -> String {
        guard v.isFinite else { return "nan" }
        if v == 0 { return "0" }
        let magnitude = Swift.abs(v)
        if magnitude >= 1e6 || magnitude < 1e-3 { return scientific(v) }
        let decimals = Swift.max(0, 2 - Int((magnitude).log10Floor))
        return (v < 0 ? "−" : "") + trim(magnitude, decimals)
    }

    static func trim(_ v: Double, _ decimals: Int, keepZeros: Bool = false) -> String {
        var p = 1.0
        for _ in 0..<decimals { p *= 10 }
        let r = (v * p).rounded()
        var s = String(Int(r / p))
        let frac = Int(r) - Int(r / p) * Int(p)
        if decimals > 0 && (frac != 0 || keepZeros) {
            var f = String(frac)
            while f.count < decimals { f = "0" + f }
            while f.hasSuffix("0") && !keepZeros { f.removeLast() }
            s += "." + f
        }
        return s
    }
}

extension String {
    /// The text with U+2212 minus signs as ASCII hyphens (for parsing labels back).
    var replacingMinus: String { String(map { $0 == "−" ? "-" : $0 }) }
}

extension Double {
    /// ⌊log₁₀ v⌋ for v > 0.
    var log10Floor: Double {
        var e = 0.0, m = self
        while m >= 10 { m /= 10; e += 1 }
        while m < 1 { m *= 10; e -= 1 }
        return e
    }
}
