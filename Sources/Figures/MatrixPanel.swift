/// An L×L matrix drawn as a titled square panel: sequential values in a viridis-like map
/// (dark purple → teal → yellow, scaled between the 2nd and 98th percentiles), or signed values in
/// the diverging map of `HeatmapPlot` (scaled to the 98th percentile of |v|).
public struct MatrixPanel: Sendable {
    public var values: [Float]
    public var length: Int
    public var title: String
    public var diverging: Bool

    public init(values: [Float], length: Int, title: String, diverging: Bool = false) {
        precondition(values.count == length * length, "a panel needs L×L values")
        self.values = values; self.length = length; self.title = title; self.diverging = diverging
    }

    static let viridis: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]

    public static func sequential(_ t: Double) -> Canvas.Color {
        let x = Swift.max(0, Swift.min(1, t)) * Double(viridis.count - 1)
        let k = Swift.min(viridis.count - 2, Int(x)), f = x - Double(k)
        let (a, b) = (viridis[k], viridis[k + 1])
        return Canvas.Color(UInt8(a.0 + (b.0 - a.0) * f), UInt8(a.1 + (b.1 - a.1) * f), UInt8(a.2 + (b.2 - a.2) * f))
    }

    /// Draws the panel with its top-left corner at (x, y), `size` pixels square (plus a title line).
    public func draw(into canvas: inout Canvas, x: Int, y: Int, size: Int) {
        canvas.text(title, x: x, y: y, scale: 1)
        let top = y + 12
        let finite = values.filter(\.isFinite).map(Double.init).sorted()
        guard !finite.isEmpty else { return }
        let lo = finite[Int(Double(finite.count - 1) * 0.02)], hi = finite[Int(Double(finite.count - 1) * 0.98)]
        let limit = finite.map { Swift.abs($0) }.sorted()[Int(Double(finite.count - 1) * 0.98)]
        for py in 0..<size {
            let i = py * length / size
            for px in 0..<size {
                let j = px * length / size
                let v = Double(values[i * length + j])
                let color = diverging ? HeatmapPlot.diverging(v, limit: limit) : MatrixPanel.sequential(hi > lo ? (v - lo) / (hi - lo) : 0)
                canvas.set(x: x + px, y: top + py, color)
            }
        }
        canvas.rectangle(x: x - 1, y: top - 1, width: size + 2, height: size + 2, .black)
    }

    /// Panels in a grid of `columns`, each `size` pixels, under a title.
    public static func grid(_ panels: [MatrixPanel], columns: Int, size: Int = 220, title: String) -> Canvas {
        let rows = (panels.count + columns - 1) / Swift.max(columns, 1)
        let gap = 24
        var canvas = Canvas(width: Swift.max(columns * (size + gap) + gap, Canvas.textWidth(title) + 2 * gap), height: 44 + rows * (size + 12 + gap) + gap)
        canvas.text(title, x: gap, y: 12, scale: 2)
        for (k, p) in panels.enumerated() {
            p.draw(into: &canvas, x: gap + (k % columns) * (size + gap), y: 44 + (k / columns) * (size + 12 + gap), size: size)
        }
        return canvas
    }
}
