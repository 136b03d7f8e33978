/// An x–y chart: a framed plot area with "nice" ticks (1, 2 or 5 × 10ᵏ), axis labels, a legend,
/// and any number of series drawn as lines (training curves) or points (scatter plots). Points are
/// alpha-blended (each darkens its pixels by 35%), so dense regions of a 50,000-point scatter read
/// as density; in SVG the point layer is one embedded image and lines stay vectors.
public struct Chart: Sendable {
    public enum Style: Sendable { case line, points }

    public struct Series: Sendable {
        public var name: String
        public var x: [Double], y: [Double]
        public var style: Style
        public var color: Canvas.Color
        public init(_ name: String, x: [Double], y: [Double], style: Style, color: Canvas.Color) {
            precondition(x.count == y.count, "a series needs as many x as y values")
            self.name = name; self.x = x; self.y = y; self.style = style; self.color = color
        }
    }

    public var title: String, xLabel: String, yLabel: String
    public var series: [Series]
    /// A line of text in the plot's top-left corner (e.g. a correlation).
    public var note: String?
    public var width = 720, height = 480

    public init(title: String, xLabel: String, yLabel: String, series: [Series], note: String? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series; self.note = note
    }

    /// The plot area in pixels: left, top, width, height.
    public var area: (x: Int, y: Int, width: Int, height: Int) { (90, 50, width - 120, height - 115) }

    /// Data ranges: the finite values' extent widened by 4% (a single value gets ±1).
    public var xRange: (Double, Double) { Chart.range(series.flatMap(\.x)) }
    public var yRange: (Double, Double) { Chart.range(series.flatMap(\.y)) }

    static func range(_ v: [Double]) -> (Double, Double) {
        let f = v.filter(\.isFinite)
        guard let lo = f.min(), let hi = f.max() else { return (0, 1) }
        if hi == lo { return (lo - 1, hi + 1) }
        let pad = 0.04 * (hi - lo)
        return (lo - pad, hi + pad)
    }

    /// The pixel of a data point.
    public func position(x: Double, y: Double) -> (x: Int, y: Int) {
        let (a, (x0, x1), (y0, y1)) = (area, xRange, yRange)
        let px = Double(a.x) + (x - x0) / (x1 - x0) * Double(a.width - 1)
        let py = Double(a.y + a.height - 1) - (y - y0) / (y1 - y0) * Double(a.height - 1)
        return (Int(px.rounded()), Int(py.rounded()))
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

    public func render() -> Canvas {
        var canvas = Canvas(width: width, height: height)
        let a = area
        canvas.text(title, x: a.x, y: 16, scale: 2)
        // Grid and ticks.
        let ((x0, x1), (y0, y1)) = (xRange, yRange)
        for t in Chart.ticks(low: x0, high: x1) {
            let p = position(x: t, y: y0)
            canvas.line(x0: p.x, y0: a.y, x1: p.x, y1: a.y + a.height - 1, .lightGrey)
            canvas.line(x0: p.x, y0: a.y + a.height, x1: p.x, y1: a.y + a.height + 4, .black)
            let label = Colormap.label(t)
            canvas.text(label, x: p.x - Canvas.textWidth(label, scale: 1) / 2, y: a.y + a.height + 8, scale: 1)
        }
        for t in Chart.ticks(low: y0, high: y1) {
            let p = position(x: x0, y: t)
            canvas.line(x0: a.x, y0: p.y, x1: a.x + a.width - 1, y1: p.y, .lightGrey)
            canvas.line(x0: a.x - 5, y0: p.y, x1: a.x - 1, y1: p.y, .black)
            let label = Colormap.label(t)
            canvas.text(label, x: a.x - 8 - Canvas.textWidth(label, scale: 1), y: p.y - 3, scale: 1)
        }
        // Points: one blended layer.
        if series.contains(where: { $0.style == .points }) {
            var layer = [Double](repeating: 1, count: a.width * a.height * 3)
            var touched = [Bool](repeating: false, count: a.width * a.height)
            for s in series where s.style == .points {
                let c = [Double(s.color.r), Double(s.color.g), Double(s.color.b)].map { $0 / 255 }
                for (x, y) in zip(s.x, s.y) where x.isFinite && y.isFinite {
                    let p = position(x: x, y: y)
                    for dy in -1...1 { for dx in -1...1 where dx * dy == 0 {
                        let (u, v) = (p.x + dx - a.x, p.y + dy - a.y)
                        guard u >= 0, v >= 0, u < a.width, v < a.height else { continue }
                        let k = v * a.width + u
                        touched[k] = true
                        for ch in 0..<3 { layer[3 * k + ch] = layer[3 * k + ch] * 0.65 + c[ch] * 0.35 }
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
        }
        for s in series where s.style == .line {
            let pts = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }.map { position(x: $0.0, y: $0.1) }
            canvas.polyline(pts, s.color, thickness: 2)
        }
        canvas.rectangle(x: a.x - 1, y: a.y - 1, width: a.width + 2, height: a.height + 2, .black)
        // Axis labels.
        canvas.text(xLabel, x: a.x + a.width / 2 - Canvas.textWidth(xLabel, scale: 2) / 2, y: a.y + a.height + 26, scale: 2)
        canvas.text(yLabel, x: 14, y: a.y + a.height / 2 + Canvas.textWidth(yLabel, scale: 2) / 2, scale: 2, vertical: true)
        // Legend (top right) and note (top left).
        var ly = a.y + 8
        for s in series where series.count > 1 || s.style == .line {
            let w = Canvas.textWidth(s.name, scale: 1)
            let lx = a.x + a.width - w - 30
            canvas.fill(x: lx - 2, y: ly - 3, width: w + 30, height: 13, .white)
            canvas.fill(x: lx, y: ly + 2, width: 16, height: 3, s.color)
            canvas.text(s.name, x: lx + 22, y: ly, scale: 1)
            ly += 14
        }
        if let note {
            canvas.fill(x: a.x + 6, y: a.y + 5, width: Canvas.textWidth(note, scale: 1) + 6, height: 12, .white)
            canvas.text(note, x: a.x + 9, y: a.y + 8, scale: 1)
        }
        return canvas
    }
}
