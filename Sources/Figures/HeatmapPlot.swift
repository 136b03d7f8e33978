/// A mutation-scan heatmap: one column per position, one row per amino acid, coloured by a
/// diverging blue–white–red map centred at 0 (blue = deleterious, red = beneficial), the wild type
/// marked with a black dot, residue numbers on the x axis, letters on the y axis, and a colour bar.
public struct HeatmapPlot: Sendable {
    /// values[position][state]; NaN cells are drawn light grey.
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnNumbers: [Int]
    /// The wild-type row of each position (nil = none).
    public var wildType: [Int?]
    public var title: String

    public init(values: [[Double]], rowLabels: [String], columnNumbers: [Int], wildType: [Int?], title: String) {
        self.values = values; self.rowLabels = rowLabels; self.columnNumbers = columnNumbers
        self.wildType = wildType; self.title = title
    }

    public var cellWidth: Int { Swift.max(3, Swift.min(16, 1000 / Swift.max(values.count, 1))) }
    public let cellHeight = 14
    public var origin: (x: Int, y: Int) { (40, 50) }

    /// Blue (−limit) → white (0) → red (+limit).
    public static func diverging(_ v: Double, limit: Double) -> Canvas.Color {
        guard v.isFinite else { return Canvas.Color(220, 220, 220) }
        let t = Swift.max(-1, Swift.min(1, v / Swift.max(limit, 1e-12)))
        func mix(_ a: Double, _ b: Double, _ f: Double) -> UInt8 { UInt8((a + (b - a) * f).rounded()) }
        return t < 0 ? Canvas.Color(mix(255, 33, -t), mix(255, 102, -t), mix(255, 172, -t))
                     : Canvas.Color(mix(255, 178, t), mix(255, 24, t), mix(255, 43, t))
    }

    /// The colour limit: the 98th percentile of |values| (robust to a few extreme cells).
    public var limit: Double {
        let a = values.flatMap { $0 }.filter(\.isFinite).map { Swift.abs($0) }.sorted()
        return a.isEmpty ? 1 : a[Swift.min(a.count - 1, Int(Double(a.count) * 0.98))]
    }

    public func render() -> Canvas {
        let (cw, ch) = (cellWidth, cellHeight)
        let (ox, oy) = origin
        let rows = rowLabels.count
        let width = Swift.max(ox + values.count * cw + 90, 520)
        var canvas = Canvas(width: width, height: oy + rows * ch + 70)
        canvas.text(title, x: ox, y: 14, scale: 2)
        let lim = limit
        for (p, column) in values.enumerated() {
            for (r, v) in column.enumerated() {
                canvas.fill(x: ox + p * cw, y: oy + r * ch, width: cw, height: ch, HeatmapPlot.diverging(v, limit: lim))
            }
            if let w = wildType[p] {
                let d = Swift.max(2, Swift.min(cw, ch) / 2)
                canvas.fill(x: ox + p * cw + (cw - d) / 2, y: oy + w * ch + (ch - d) / 2, width: d, height: d, .black)
            }
        }
        canvas.rectangle(x: ox - 1, y: oy - 1, width: values.count * cw + 2, height: rows * ch + 2, .black)
        for (r, label) in rowLabels.enumerated() { canvas.text(label, x: ox - 14, y: oy + r * ch + 3, scale: 1) }
        let step = values.count <= 60 ? 10 : (values.count <= 300 ? 20 : 50)
        for (p, n) in columnNumbers.enumerated() where n % step == 0 {
            let x = ox + p * cw + cw / 2
            canvas.line(x0: x, y0: oy + rows * ch + 1, x1: x, y1: oy + rows * ch + 5, .black)
            canvas.text(String(n), x: x - Canvas.textWidth(String(n), scale: 1) / 2, y: oy + rows * ch + 8, scale: 1)
        }
        // Colour bar.
        let bx = ox, by = oy + rows * ch + 30
        for k in 0..<200 { canvas.fill(x: bx + k, y: by, width: 1, height: 10, HeatmapPlot.diverging(lim * (Double(k) / 99.5 - 1), limit: lim)) }
        canvas.text(Self.short(-lim), x: bx, y: by + 14, scale: 1)
        canvas.text("0", x: bx + 98, y: by + 14, scale: 1)
        canvas.text(Self.short(lim), x: bx + 200 - Canvas.textWidth(Self.short(lim), scale: 1), y: by + 14, scale: 1)
        canvas.text("DELETERIOUS  <  SCORE  >  BENEFICIAL    WILD TYPE: DOT", x: bx + 215, y: by + 1, scale: 1)
        return canvas
    }

    static func short(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return String(r)
    }
}
