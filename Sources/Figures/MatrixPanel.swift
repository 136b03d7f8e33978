/// An L×L matrix drawn as a titled square panel with a colour bar: sequential values in viridis
/// (scaled between the 2nd and 98th percentiles), or signed values in the diverging map (scaled to
/// ±the 98th percentile of |v|).
public struct MatrixPanel: Sendable {
    public var values: [Float]
    public var length: Int
    public var title: String
    public var diverging: Bool

    public init(values: [Float], length: Int, title: String, diverging: Bool = false) {
        precondition(values.count == length * length, "a panel needs L×L values")
        self.values = values; self.length = length; self.title = title; self.diverging = diverging
    }

    /// The value range shown: 2nd–98th percentile (sequential) or ±98th percentile of |v| (diverging).
    public var range: (low: Double, high: Double) {
        let finite = values.filter(\.isFinite).map(Double.init).sorted()
        guard !finite.isEmpty else { return (0, 1) }
        if diverging {
            let limit = Swift.max(finite.map { Swift.abs($0) }.sorted()[Int(Double(finite.count - 1) * 0.98)], 1e-12)
            return (-limit, limit)
        }
        let (low, high) = (finite[Int(Double(finite.count - 1) * 0.02)], finite[Int(Double(finite.count - 1) * 0.98)])
        return high > low ? (low, high) : (finite.first!, finite.last!)      // few distinct values: the full range
    }

    /// Height the panel takes: title line, the square, its colour bar and labels.
    public static func height(size: Int) -> Int { 12 + size + 34 }

    /// Draws the panel with its top-left corner at (x, y): title, a `size`-pixel square (an embedded
    /// image in SVG) and a colour bar beneath.
    public func draw(into canvas: inout Canvas, x: Int, y: Int, size: Int) {
        canvas.text(title, x: x, y: y, scale: 1)
        let top = y + 12
        let (low, high) = range
        let map: Colormap = diverging ? .diverging : .viridis
        var square = Canvas(width: size, height: size)
        for py in 0..<size {
            let i = py * length / size
            for px in 0..<size { square.set(x: px, y: py, map.color(Double(values[i * length + px * length / size]), low: low, high: high)) }
        }
        try? canvas.image(square, x: x, y: top)
        canvas.rectangle(x: x - 1, y: top - 1, width: size + 2, height: size + 2, .black)
        map.drawBar(into: &canvas, x: x, y: top + size + 8, width: size, height: 6, low: low, high: high)
    }

    /// Panels in a grid of `columns`, each `size` pixels, under a title.
    public static func grid(_ panels: [MatrixPanel], columns: Int, size: Int = 220, title: String) -> Canvas {
        let rows = (panels.count + columns - 1) / Swift.max(columns, 1)
        let gap = 24
        var canvas = Canvas(width: Swift.max(columns * (size + gap) + gap, Canvas.textWidth(title) + 2 * gap), height: 44 + rows * (MatrixPanel.height(size: size) + gap) + gap)
        canvas.text(title, x: gap, y: 12, scale: 2)
        for (k, p) in panels.enumerated() {
            p.draw(into: &canvas, x: gap + (k % columns) * (size + gap), y: 44 + (k / columns) * (MatrixPanel.height(size: size) + gap), size: size)
        }
        return canvas
    }
}
