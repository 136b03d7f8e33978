/// A contact map as a picture: the top predicted pairs above the diagonal (blue = true contact,
/// red = not a contact, dark grey = truth unknown), the true contacts below it in grey, both axes
/// ticked and labelled by residue number, a title and a legend.
public struct ContactMapPlot: Sendable {
    public struct Pair: Sendable { public var i: Int, j: Int; public init(_ i: Int, _ j: Int) { self.i = i; self.j = j } }

    public var length: Int
    /// Predicted pairs to draw (i < j), best first.
    public var predicted: [Pair]
    /// truth(i, j): true / false / nil (unknown); nil closure = no truth.
    public var truth: (@Sendable (Int, Int) -> Bool?)?
    /// Axis labels per column (residue numbers; a focus gap column, numbered −k, is not labelled); default 1…L.
    public var residueNumbers: [Int]
    public var title: String

    public init(length: Int, predicted: [Pair], truth: (@Sendable (Int, Int) -> Bool?)?, residueNumbers: [Int]? = nil, title: String) {
        self.length = length; self.predicted = predicted; self.truth = truth
        self.residueNumbers = residueNumbers ?? Array(1...Swift.max(1, length)); self.title = title
    }

    /// Side of the map in pixels (about; cells are whole pixels).
    public var mapSize = 600
    /// Figure width in pixels (nil: fitted to the map and title).
    public var figureWidth: Int?

    /// Cell size so the map is about `mapSize` px wide, at least 2 px per residue.
    public var cell: Int { Swift.max(2, mapSize / Swift.max(length, 1)) }
    public var margin: (left: Int, top: Int) { (84, 60) }
    /// A predicted pair's colour when there is no truth to score it against.
    public static let unscored = Canvas.Color(90, 90, 90)

    public func render() -> Canvas {
        let c = cell, side = c * length
        let (left, top) = margin
        let canvasWidth = figureWidth ?? Swift.max(left + side + 30, Swift.min(left + Canvas.textWidth(title) + 30, Canvas.titleWidthLimit), mapSize >= 600 ? 780 : 0)
        var canvas = Canvas(width: canvasWidth, height: top + side + (canvasWidth < 780 ? 140 : 120))
        canvas.text(Canvas.fitting(title, width: canvasWidth - left - 8), x: left, y: 16, scale: 2)
        canvas.fill(x: left, y: top, width: side, height: side, Canvas.Color(250, 250, 250))
        // Truth below the diagonal (row j > column i … drawn at (x = i, y = j)).
        if let truth {
            for i in 0..<length { for j in (i + 1)..<Swift.max(length, i + 1) where truth(i, j) == true {
                canvas.fill(x: left + i * c, y: top + j * c, width: c, height: c, .grey)
            } }
        }
        var tp = 0, fp = 0
        for p in predicted {
            let t = truth?(p.i, p.j)
            let color: Canvas.Color = t == true ? .blue : (t == false ? .red : Self.unscored)
            if t == true { tp += 1 } else if t == false { fp += 1 }
            canvas.fill(x: left + p.j * c, y: top + p.i * c, width: c, height: c, color)
        }
        canvas.line(x0: left, y0: top, x1: left + side - 1, y1: top + side - 1, Canvas.Color(200, 200, 200))
        canvas.rectangle(x: left - 1, y: top - 1, width: side + 2, height: side + 2, .black)
        // Ticks every 10/20/50 residues, labelled with residue numbers, on both axes.
        let step = length <= 60 ? 10 : (length <= 200 ? 20 : 50)
        let th = Canvas.textHeight(scale: 1)
        for k in stride(from: 0, to: length, by: 1) where residueNumbers[k] > 0 && residueNumbers[k] % step == 0 {
            let label = String(residueNumbers[k])
            let x = left + k * c + c / 2
            canvas.line(x0: x, y0: top + side + 1, x1: x, y1: top + side + 5, .black)
            canvas.text(label, x: x - Canvas.textWidth(label, scale: 1) / 2, y: top + side + 9, scale: 1)
            let y = top + k * c + c / 2
            canvas.line(x0: left - 6, y0: y, x1: left - 2, y1: y, .black)
            canvas.text(label, x: left - 10 - Canvas.textWidth(label, scale: 1), y: y - th / 2, scale: 1)
        }
        canvas.text("Residue j", x: left + side / 2 - Canvas.textWidth("Residue j") / 2, y: top + side + 30, scale: 2)
        canvas.text("Residue i", x: 14, y: top + side / 2 + Canvas.textWidth("Residue i") / 2, scale: 2, vertical: true)
        // Legend.
        var x = left
        var y = top + side + 60
        let entries = truth == nil ? [(Self.unscored, "predicted")]
            : [(Canvas.Color.blue, "true positive (\(tp))"), (.red, "false positive (\(fp))"), (.grey, "true contact")]
        // The legend's text size: 16 px when it fits the figure's width, else 13 px.
        let scale = left + entries.map { 42 + Canvas.textWidth($0.1, scale: 2) }.reduce(0, +) <= canvasWidth ? 2 : 1
        for (color, label) in entries {
            if x > left && x + 42 + Canvas.textWidth(label, scale: scale) > canvasWidth { x = left; y += 20 }     // wrap
            canvas.fill(x: x, y: y, width: 12, height: 12, color)
            x += 18 + canvas.text(label, x: x + 18, y: y, scale: scale) + 24
        }
        if truth != nil {
            let precision = tp + fp > 0 ? Double(tp) / Double(tp + fp) : 0
            canvas.text("precision \(Int((precision * 1000).rounded()) / 10).\(Int((precision * 1000).rounded()) % 10)% of \(tp + fp) scored pairs", x: left, y: y + 26, scale: scale)
        }
        return canvas
    }
}
