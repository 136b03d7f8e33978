#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An x–y chart: a framed plot area with "nice" ticks (1, 2 or 5 × 10ᵏ; decades on a log axis)
/// labelled in one format per axis, axis labels, a legend, and any number of series drawn as
/// lines (training curves) or points (scatter plots). Points are alpha-blended with an opacity
/// that falls as the count grows (opaque discs up to 50 points, 35% up to 2,000 points, then 35%·√(2000/n), at least 5%), so dense
/// regions of a 50,000-point scatter shade by density instead of saturating; in SVG the point
/// layer is one embedded image and lines stay vectors. `logY` draws y on a log₁₀ scale
/// (non-positive values are left out).
public struct Chart: Sendable {
    public enum Style: Sendable { case line, points }

    public struct Series: Sendable {
        /// The legend's label; an empty name keeps the series out of the legend.
        public var name: String
        public var x: [Double], y: [Double]
        public var style: Style
        public var color: Canvas.Color
        /// One name per point, written beside it when the chart has at most 50 points (candidates).
        public var labels: [String]?
        /// Error bars: each point's half-width e, drawn from y − e to y + e (standard errors).
        public var errors: [Double]?
        public init(_ name: String, x: [Double], y: [Double], style: Style, color: Canvas.Color, labels: [String]? = nil, errors: [Double]? = nil) {
            precondition(x.count == y.count, "a series needs as many x as y values")
            precondition(labels.map { $0.count == x.count } ?? true, "a labelled series needs one label per point")
            precondition(errors.map { $0.count == x.count } ?? true, "error bars need one half-width per point")
            self.name = name; self.x = x; self.y = y; self.style = style; self.color = color; self.labels = labels; self.errors = errors
        }
    }

    public var title: String, xLabel: String, yLabel: String
    public var series: [Series] { didSet { updateRanges() } }
    /// A line of text in the plot's top-left corner (e.g. a correlation), or the corner that hides
    /// the fewest data points; under the x-axis title when every corner would hide some.
    public var note: String?
    public var width = 720, height = 480
    /// y on a log₁₀ axis (objective curves spanning decades).
    public var logY = false { didSet { updateRanges() } }
    /// Named x ticks (categories at x = 0, 1, …): each name under its position instead of numbers.
    public var xTickNames: [String]? { didSet { updateRanges() } }
    /// Values the y axis shows whatever the data (e.g. [0, 1] for fractions, so that 0.998–1 is not
    /// drawn as the whole axis).
    public var yIncludes: [Double] = [] { didSet { updateRanges() } }

    public init(title: String, xLabel: String, yLabel: String, series: [Series], note: String? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series; self.note = note
        updateRanges()
    }

    /// Where a note that would hide data in every corner is written instead: under the x-axis title.
    public var notePositionBelowAxis: Int { area.y + area.height + 54 }

    /// The plot area in pixels: left, top, width, height.
    public var area: (x: Int, y: Int, width: Int, height: Int) { (95, 50, width - 125, height - 120) }

    /// Data ranges: the finite values' extent widened by 4% (a single value gets ±1); on a log
    /// axis the range of log₁₀ y over positive values.
    /// Kept with the series (every point's position reads them).
    public private(set) var xRange: (Double, Double) = (0, 1), yRange: (Double, Double) = (0, 1)

    private mutating func updateRanges() {
        xRange = Chart.range(series.flatMap(\.x) + (xTickNames.map { [-0.5, Double($0.count) - 0.5] } ?? []))
        let bars = series.flatMap { s in s.errors.map { e in zip(s.y, e).flatMap { [$0 - $1, $0 + $1] } } ?? [] }
        yRange = Chart.range((series.flatMap(\.y) + bars + yIncludes).compactMap(axisY))
    }

    /// y as placed on the axis: log₁₀ y on a log axis (nil for y ≤ 0), else y.
    func axisY(_ y: Double) -> Double? { logY ? (y > 0 ? log10(y) : nil) : y }

    /// Point opacity for `n` points: 0.35 up to 2,000, then 0.35·√(2000/n), at least 0.05.
    public static func pointAlpha(count n: Int) -> Double { n <= 50 ? 1 : n <= 2000 ? 0.35 : Swift.max(0.05, 0.35 * (2000 / Double(n)).squareRoot()) }
    /// Point marker radius in pixels: a few points (≤ 50, e.g. candidate models) are drawn as 7-pixel
    /// opaque discs so each one is visible; many as 3-pixel crosses blended into a density.
    public static func pointRadius(count n: Int) -> Int { n <= 50 ? 3 : 1 }

    /// Ticks of the y axis as (axis position, value): nice linear ticks, or on a log axis the
    /// decades inside the range (with 2× and 5× when fewer than 3 decades show; linear ticks
    /// within a single decade).
    public var yTicks: [(position: Double, value: Double)] {
        let (y0, y1) = yRange
        guard logY else { return Chart.ticks(low: y0, high: y1).map { ($0, $0) } }
        var values: [Double] = []
        for e in Int(y0.rounded(.down))...Int(y1.rounded(.up)) {
            let d = pow(10, Double(e))
            values += y1 - y0 < 3 ? [d, 2 * d, 5 * d] : [d]
        }
        values = values.filter { v in let l = log10(v); return l >= y0 - 1e-9 && l <= y1 + 1e-9 }
        if values.count < 2 { values = Chart.ticks(low: pow(10, y0), high: pow(10, y1)).filter { $0 > 0 } }
        return values.map { (log10($0), $0) }
    }

    static func range(_ v: [Double]) -> (Double, Double) {
        let f = v.filter(\.isFinite)
        guard let lo = f.min(), let hi = f.max() else { return (0, 1) }
        if hi == lo { return (lo - 1, hi + 1) }
        let pad = 0.04 * (hi - lo)
        return (lo - pad, hi + pad)
    }

    /// The pixel of a data point.
    public func position(x: Double, y: Double) -> (x: Int, y: Int) {
        position(x: x, axisY: axisY(y) ?? -.infinity)
    }

    func position(x: Double, axisY y: Double) -> (x: Int, y: Int) {
        let (a, (x0, x1), (y0, y1)) = (area, xRange, yRange)
        let px = Double(a.x) + (x - x0) / (x1 - x0) * Double(a.width - 1)
        let py = Double(a.y + a.height - 1) - (y - y0) / (y1 - y0) * Double(a.height - 1)
        return (Int(px.rounded()), Int(Swift.max(-1e6, Swift.min(1e6, py)).rounded()))
    }

    /// About `count` round tick values covering [low, high].
    public static func ticks(low: Double, high: Double, count: Int = 5) -> [Double] {
        guard high > low, low.isFinite, high.isFinite else { return [low] }
        let raw = (high - low) / Double(Swift.max(count, 1))
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        var ticks: [Double] = []
        var t = (low / step).rounded(.up) * step
        while t <= high + step * 1e-9 { ticks.append(Swift.abs(t) < step * 1e-9 ? 0 : t); t += step }
        return ticks
    }

    /// Pixels the data cover: every point, and each line sampled every 2 pixels.
    func dataPixels() -> [(x: Int, y: Int)] {
        var out: [(x: Int, y: Int)] = []
        for s in series {
            let pts = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite && axisY($0.1) != nil }.map { position(x: $0.0, y: $0.1) }
            if s.style == .points || pts.count == 1 { out += pts; continue }
            for (p, q) in zip(pts, pts.dropFirst()) {
                let n = Swift.max(1, Swift.max(Swift.abs(q.x - p.x), Swift.abs(q.y - p.y)) / 2)
                for k in 0...n { out.append((p.x + (q.x - p.x) * k / n, p.y + (q.y - p.y) * k / n)) }
            }
        }
        return out
    }

    public func render() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let a = area
        canvas.text(Canvas.fitting(title, width: width - a.x - 8), x: a.x, y: 16, scale: 2)
        // Grid and ticks, each axis's labels in one format.
        let ((x0, x1), (y0, _)) = (xRange, yRange)
        let xt = xTickNames.map { $0.indices.map(Double.init) } ?? Chart.ticks(low: x0, high: x1)
        let xLabels = xTickNames ?? Colormap.tickLabels(xt)
        for (t, label) in zip(xt, xLabels) {
            let p = position(x: t, axisY: y0)
            canvas.line(x0: p.x, y0: a.y, x1: p.x, y1: a.y + a.height - 1, .lightGrey)
            canvas.line(x0: p.x, y0: a.y + a.height, x1: p.x, y1: a.y + a.height + 4, .black)
            canvas.text(label, x: p.x - Canvas.textWidth(label, scale: 1) / 2, y: a.y + a.height + 9, scale: 1)
        }
        let yt = yTicks, yLabels = Colormap.tickLabels(yt.map(\.value))
        for (t, label) in zip(yt, yLabels) {
            let p = position(x: x0, axisY: t.position)
            canvas.line(x0: a.x, y0: p.y, x1: a.x + a.width - 1, y1: p.y, .lightGrey)
            canvas.line(x0: a.x - 5, y0: p.y, x1: a.x - 1, y1: p.y, .black)
            canvas.text(label, x: a.x - 9 - Canvas.textWidth(label, scale: 1), y: p.y - Canvas.textHeight(scale: 1) / 2, scale: 1)
        }
        // Points: one blended layer.
        if series.contains(where: { $0.style == .points }) {
            var layer = [Double](repeating: 1, count: a.width * a.height * 3)
            var touched = [Bool](repeating: false, count: a.width * a.height)
            let count = series.filter { $0.style == .points }.map(\.x.count).reduce(0, +)
            let alpha = Chart.pointAlpha(count: count), radius = Chart.pointRadius(count: count)
            for s in series where s.style == .points {
                let c = [Double(s.color.r), Double(s.color.g), Double(s.color.b)].map { $0 / 255 }
                for (x, y) in zip(s.x, s.y) where x.isFinite && y.isFinite && axisY(y) != nil {
                    let p = position(x: x, y: y)
                    for dy in -radius...radius { for dx in -radius...radius where radius == 1 ? dx * dy == 0 : dx * dx + dy * dy <= radius * radius {
                        let (u, v) = (p.x + dx - a.x, p.y + dy - a.y)
                        guard u >= 0, v >= 0, u < a.width, v < a.height else { continue }
                        let k = v * a.width + u
                        touched[k] = true
                        for ch in 0..<3 { layer[3 * k + ch] = layer[3 * k + ch] * (1 - alpha) + c[ch] * alpha }
                    } }
                }
            }
            var image = Canvas(width: a.width, height: a.height)
            for v in 0..<a.height { for u in 0..<a.width {
                let k = v * a.width + u
                if touched[k] {
                    image.set(x: u, y: v, Canvas.Color(UInt8(layer[3 * k] * 255), UInt8(layer[3 * k + 1] * 255), UInt8(layer[3 * k + 2] * 255)))
                } else {
                    image.set(x: u, y: v, canvas.color(x: a.x + u, y: a.y + v))
                }
            } }
            try? canvas.image(image, x: a.x, y: a.y)
            // Labels beside their points (see `labelPositions`).
            if count <= 50 {
                var labels: [(text: String, x: Int, y: Int, width: Int)] = []
                for s in series where s.style == .points { for (k, label) in (s.labels ?? []).enumerated() {
                    guard s.x[k].isFinite, s.y[k].isFinite, axisY(s.y[k]) != nil else { continue }
                    let p = position(x: s.x[k], y: s.y[k])
                    labels.append((label, p.x, p.y, Canvas.textWidth(label, scale: 1)))
                } }
                let at = Chart.labelPositions(labels.map { ($0.x, $0.y, $0.width) }, height: Canvas.textHeight(scale: 1),
                                              frame: (a.x, a.y, a.width, a.height))
                for (label, p) in zip(labels, at) { canvas.text(label.text, x: p.x, y: p.y, scale: 1) }
            }
        }
        for s in series {       // error bars, with 3-pixel caps
            for (k, e) in (s.errors ?? []).enumerated() where s.x[k].isFinite && s.y[k].isFinite && e.isFinite && e > 0 {
                guard let lo = axisY(s.y[k] - e), let hi = axisY(s.y[k] + e) else { continue }
                let (p, q) = (position(x: s.x[k], axisY: lo), position(x: s.x[k], axisY: hi))
                canvas.line(x0: p.x, y0: p.y, x1: q.x, y1: q.y, s.color)
                for y in [p.y, q.y] { canvas.line(x0: p.x - 3, y0: y, x1: p.x + 3, y1: y, s.color) }
            }
        }
        for s in series where s.style == .line {
            let pts = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite && axisY($0.1) != nil }.map { position(x: $0.0, y: $0.1) }
            canvas.polyline(pts, s.color, thickness: 2)
            if pts.count == 1 { canvas.disc(cx: pts[0].x, cy: pts[0].y, radius: 3, s.color) }   // a one-point curve has no segment
        }
        canvas.rectangle(x: a.x - 1, y: a.y - 1, width: a.width + 2, height: a.height + 2, .black)
        // Axis labels.
        canvas.text(xLabel, x: a.x + a.width / 2 - Canvas.textWidth(xLabel, scale: 2) / 2, y: a.y + a.height + 32, scale: 2)
        let yTitle = logY ? yLabel + " (log scale)" : yLabel
        canvas.text(yTitle, x: 12, y: a.y + a.height / 2 + Canvas.textWidth(yTitle, scale: 2) / 2, scale: 2, vertical: true)
        // Legend and note: each in the corner where it hides the fewest data pixels (as
        // matplotlib's loc="best"), the note first (top left preferred), the legend elsewhere.
        let shown = series.filter { (series.count > 1 || $0.style == .line) && !$0.name.isEmpty }   // unnamed: not in the legend
        let legendWidth = (shown.map { Canvas.textWidth($0.name, scale: 1) }.max() ?? 0) + 34
        let legendHeight = 18 * shown.count
        let occupied = dataPixels()
        var taken: [(Int, Int, Int, Int)] = []
        func place(width w: Int, height h: Int, prefer: Int) -> (x: Int, y: Int, clear: Bool) {
            let corners = [(a.x + 5, a.y + 4), (a.x + a.width - w - 5, a.y + 4), (a.x + a.width - w - 5, a.y + a.height - h - 4), (a.x + 5, a.y + a.height - h - 4)]
            func cost(_ c: (Int, Int)) -> Int {
                let clash = taken.contains { t in c.0 < t.0 + t.2 && t.0 < c.0 + w && c.1 < t.1 + t.3 && t.1 < c.1 + h }
                return clash ? Int.max : occupied.filter { $0.x >= c.0 && $0.x < c.0 + w && $0.y >= c.1 && $0.y < c.1 + h }.count
            }
            let order = [prefer] + (0..<4).filter { $0 != prefer }
            let best = order.min { cost(corners[$0]) < cost(corners[$1]) }!
            let clear = cost(corners[best]) == 0              // before the box is taken (it would clash with itself)
            taken.append((corners[best].0, corners[best].1, w, h))
            return (corners[best].0, corners[best].1, clear)
        }
        if let note {
            let w = Canvas.textWidth(note, scale: 1) + 8
            let p = place(width: w, height: 18, prefer: 0)
            if p.clear || w > width - 8 {
                canvas.fill(x: p.x, y: p.y, width: w, height: 18, .white)
                canvas.text(note, x: p.x + 4, y: p.y + 4, scale: 1)
            } else {
                // Every corner would hide data (a long note, e.g. `cnn select`'s Pareto front):
                // the line under the x-axis title instead, centred under the plot.
                taken.removeLast()
                let x = Swift.min(width - 4 - w, Swift.max(4, a.x + a.width / 2 - w / 2))
                canvas.text(note, x: x + 4, y: notePositionBelowAxis, scale: 1)
            }
        }
        let rowWidth = shown.map { Canvas.textWidth($0.name, scale: 1) + 40 }.reduce(0, +)
        let spot = shown.isEmpty ? nil : place(width: legendWidth, height: legendHeight, prefer: 1)
        if let spot, !spot.clear, shown.count > 1, rowWidth <= a.width {
            // Every corner hides data: one row above the plot area, right-aligned.
            var lx = a.x + a.width - rowWidth
            for s in shown {
                canvas.fill(x: lx, y: a.y - 14, width: 16, height: 3, s.color)
                lx += 22 + canvas.text(s.name, x: lx + 22, y: a.y - 17, scale: 1) + 18
            }
        } else if let p = spot {
            canvas.fill(x: p.x, y: p.y, width: legendWidth, height: legendHeight, .white)
            for (k, s) in shown.enumerated() {
                let ly = p.y + 4 + 18 * k
                canvas.fill(x: p.x + 4, y: ly + 3, width: 16, height: 3, s.color)
                canvas.text(s.name, x: p.x + 26, y: ly, scale: 1)
            }
        }
        return canvas
    }

    /// Top-left corners for point labels (anchor = the point, `width` = the label's): right of the
    /// point, or left where the frame would cut it; a label that would overlap one placed before it
    /// moves up or down by a line, then two (the first free slot inside the frame), else keeps its
    /// first place. Greedy, in the order given, so the same input always gives the same figure.
    public static func labelPositions(_ anchors: [(x: Int, y: Int, width: Int)], height h: Int,
                               frame f: (x: Int, y: Int, width: Int, height: Int)) -> [(x: Int, y: Int)] {
        var placed: [(x: Int, y: Int, width: Int)] = []
        return anchors.map { p in
            let right = p.x + 6, left = p.x - 6 - p.width
            let sides = right + p.width <= f.x + f.width - 2 ? [right, left] : [left, right]
            let top = p.y - h / 2
            var chosen = (x: sides[0], y: top)
            search: for dy in [0, -h, h, -2 * h, 2 * h] {
                for x in sides {
                    let y = top + dy
                    guard x >= f.x + 2, x + p.width <= f.x + f.width - 2, y >= f.y, y + h <= f.y + f.height else { continue }
                    if !placed.contains(where: { x < $0.x + $0.width && $0.x < x + p.width && y < $0.y + h && $0.y < y + h }) {
                        chosen = (x, y); break search
                    }
                }
            }
            placed.append((chosen.x, chosen.y, p.width))
            return chosen
        }
    }
}
