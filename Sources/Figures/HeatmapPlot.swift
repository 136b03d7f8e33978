/// A mutation-scan heatmap: one column per position, one row per amino acid, coloured by a
/// diverging blue–white–red map (`Colormap.diverging`) centred at 0 (blue = deleterious, red = beneficial), the wild type
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
                canvas.fill(x: ox + p * cw, y: oy + r * ch, width: cw, height: ch, Colormap.diverging.color(v, low: -lim, high: lim))
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
        Colormap.diverging.drawBar(into: &canvas, x: ox, y: oy + rows * ch + 30, low: -lim, high: lim,
                                   caption: "DELETERIOUS  <  SCORE  >  BENEFICIAL    WILD TYPE: DOT")
        return canvas
    }
}
