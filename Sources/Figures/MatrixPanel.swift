/// An L×L matrix drawn as a titled square panel with residue ticks on both axes and a colour bar:
/// sequential values in viridis (scaled between the 2nd and 98th percentiles), or signed values in
/// the diverging map (scaled to ±the 98th percentile of |v|).
public struct MatrixPanel: Sendable {
    public var values: [Float]
    public var length: Int
    public var title: String
    public var diverging: Bool
    /// Tick labels per row/column (residue numbers; negative = focus gap, unlabelled); default 1…L.
    public var residueNumbers: [Int]
    /// What the ticks number ("Residue"; "Position (bp)" for DNA).
    public var axisName: String

    public init(values: [Float], length: Int, title: String, diverging: Bool = false, residueNumbers: [Int]? = nil, axisName: String = "Residue") {
        precondition(values.count == length * length, "a panel needs L×L values")
        self.values = values; self.length = length; self.title = title; self.diverging = diverging
        self.residueNumbers = residueNumbers ?? Array(1...Swift.max(1, length)); self.axisName = axisName
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

    /// Height the panel takes: title line, the square, its ticks, colour bar and labels.
    public static func height(size: Int) -> Int { 20 + size + 76 }

    /// Room left of the square for the y tick labels.
    public static let tickRoom = 34

    /// Draws the panel with its top-left corner at (x, y): title, a `size`-pixel square (an embedded
    /// image in SVG) and a colour bar beneath.
    public func draw(into canvas: inout Canvas, x: Int, y: Int, size: Int) {
        canvas.text(title, x: x, y: y, scale: 1)
        let top = y + 20
        let (low, high) = range
        let map: Colormap = diverging ? .diverging : .viridis
        var square = Canvas(width: size, height: size)
        for py in 0..<size {
            let i = py * length / size
            for px in 0..<size { square.set(x: px, y: py, map.color(Double(values[i * length + px * length / size]), low: low, high: high)) }
        }
        try? canvas.image(square, x: x, y: top)
        canvas.rectangle(x: x - 1, y: top - 1, width: size + 2, height: size + 2, .black)
        // Residue ticks (every 10/20/50/100), x below and y to the left.
        let step = [10, 20, 50, 100, 200].first { length / $0 <= 6 } ?? 500
        let th = Canvas.textHeight(scale: 1)
        for k in 0..<length where residueNumbers[k] > 0 && residueNumbers[k] % step == 0 {
            let label = String(residueNumbers[k]), p = (2 * k + 1) * size / (2 * length)
            canvas.line(x0: x + p, y0: top + size + 1, x1: x + p, y1: top + size + 4, .black)
            canvas.text(label, x: x + p - Canvas.textWidth(label, scale: 1) / 2, y: top + size + 7, scale: 1)
            canvas.line(x0: x - 5, y0: top + p, x1: x - 2, y1: top + p, .black)
            canvas.text(label, x: x - 8 - Canvas.textWidth(label, scale: 1), y: top + p - th / 2, scale: 1)
        }
        canvas.text(axisName, x: x + size / 2 - Canvas.textWidth(axisName, scale: 1) / 2, y: top + size + 24, scale: 1)
        map.drawBar(into: &canvas, x: x, y: top + size + 46, width: size, height: 6, low: low, high: high)
    }

    /// Panels in a grid of `columns`, each `size` pixels, under a title.
    /// Panels in a grid of `columns`, each `size` pixels, under a title; the y axis name on the
    /// left edge (each panel names its x axis).
    public static func grid(_ panels: [MatrixPanel], columns: Int, size: Int = 220, title: String) -> Canvas {
        let rows = (panels.count + columns - 1) / Swift.max(columns, 1)
        let gap = 24, left = 30, pitch = size + gap + tickRoom
        var canvas = Canvas(width: Swift.max(left + columns * pitch, Swift.min(Canvas.textWidth(title) + 2 * gap, Canvas.titleWidthLimit)), height: 44 + rows * (MatrixPanel.height(size: size) + gap))
        canvas.text(Canvas.fitting(title, width: canvas.width - 2 * gap), x: gap, y: 12, scale: 2)
        for (k, p) in panels.enumerated() {
            p.draw(into: &canvas, x: left + tickRoom + (k % columns) * pitch, y: 44 + (k / columns) * (MatrixPanel.height(size: size) + gap), size: size)
        }
        for r in 0..<rows {
            let y = 44 + r * (MatrixPanel.height(size: size) + gap) + 20 + size / 2
            let name = panels.first?.axisName ?? "Residue"
            canvas.text(name, x: 6, y: y + Canvas.textWidth(name, scale: 1) / 2, scale: 1, vertical: true)
        }
        return canvas
    }
}
