/// A mutation-scan heatmap: one column per position, one row per amino acid, coloured by a
/// diverging blue–white–red map (`Colormap.diverging`) centred at 0 (blue = deleterious, red =
/// beneficial), the wild type marked with a black dot, residue numbers on the x axis, letters on
/// the y axis grouped by property, and a colour bar.
///
/// Row order: the 20 amino acids are grouped by side-chain property (as in EVmutation's and
/// most DMS papers' heatmaps): acidic D E · basic K R H · polar N Q S T · C · G · P ·
/// aliphatic A V I L M · aromatic F W Y; other alphabets keep their order.
public struct HeatmapPlot: Sendable {
    /// values[position][row]; NaN cells are drawn light grey.
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnNumbers: [Int]
    /// The wild-type row of each position (nil = none: the focus has a gap there).
    public var wildType: [Int?]
    public var title: String
    /// Row groups (first row, count, name) drawn with separators; empty when not grouped.
    public var groups: [(first: Int, count: Int, name: String)] = []

    public static let propertyGroups: [(letters: String, name: String)] = [
        ("DE", "acidic"), ("KRH", "basic"), ("NQST", "polar"), ("C", ""), ("G", ""), ("P", ""), ("AVILM", "aliphatic"), ("FWY", "aromatic"),
    ]

    /// Rows are given in any order (e.g. the alphabet's, values[p][k] for rowLabels[k]); the
    /// 20 amino acids are reordered into `propertyGroups`.
    public init(values: [[Double]], rowLabels: [String], columnNumbers: [Int], wildType: [Int?], title: String) {
        self.values = values; self.rowLabels = rowLabels; self.columnNumbers = columnNumbers
        self.wildType = wildType; self.title = title
        let order = HeatmapPlot.propertyGroups.flatMap { $0.letters.map(String.init) }
        guard Set(rowLabels) == Set(order), rowLabels.count == order.count else { return }
        let perm = order.map { rowLabels.firstIndex(of: $0)! }
        self.values = values.map { row in perm.map { row[$0] } }
        self.rowLabels = order
        self.wildType = wildType.map { $0.flatMap { perm.firstIndex(of: $0) } }
        var first = 0
        for g in HeatmapPlot.propertyGroups { groups.append((first, g.letters.count, g.name)); first += g.letters.count }
    }

    /// Width of the map in pixels (about; cells are whole pixels, 3–16 wide).
    public var mapWidth = 1000

    public var cellWidth: Int { Swift.max(3, Swift.min(16, mapWidth / Swift.max(values.count, 1))) }
    public let cellHeight = 16
    public let groupGap = 3
    public var origin: (x: Int, y: Int) { (70, 50) }

    /// The colour limit: a symmetric range ±R at the data's robust maximum, R = the 99th
    /// percentile of |v| over the mutant cells of positions where the focus has a residue (the
    /// wild-type cells are 0 by definition; focus-gap columns are not positions of the protein
    /// and would otherwise set the scale), never more than the largest |v|.
    public var limit: Double {
        var a: [Double] = []
        for (p, column) in values.enumerated() where wildType[p] != nil {
            for (r, v) in column.enumerated() where r != wildType[p] && v.isFinite { a.append(Swift.abs(v)) }
        }
        if a.isEmpty { a = values.flatMap { $0 }.filter(\.isFinite).map { Swift.abs($0) } }
        a.sort()
        guard let top = a.last, top > 0 else { return 1 }
        return a[Swift.min(a.count - 1, Int((Double(a.count - 1) * 0.99).rounded(.up)))]
    }

    /// The pixel row of row `r` (groups are separated by a small gap).
    public func rowTop(_ r: Int) -> Int {
        origin.y + r * cellHeight + groupGap * groups.filter { $0.first <= r && $0.first > 0 }.count
    }

    public func render() -> Canvas {
        let (cw, ch) = (cellWidth, cellHeight)
        let (ox, oy) = origin
        let rows = rowLabels.count
        let bottom = rowTop(rows - 1) + ch
        let width = Swift.max(ox + values.count * cw + 110, 560)
        var canvas = Canvas(width: width, height: bottom + 110)
        canvas.text(Canvas.fitting(title, width: width - ox - 8), x: ox, y: 16, scale: 2)
        let lim = limit
        for (p, column) in values.enumerated() {
            for (r, v) in column.enumerated() {
                canvas.fill(x: ox + p * cw, y: rowTop(r), width: cw, height: ch, Colormap.diverging.color(v, low: -lim, high: lim))
            }
            if let w = wildType[p] {
                let d = Swift.max(2, Swift.min(cw, ch) / 2)
                canvas.fill(x: ox + p * cw + (cw - d) / 2, y: rowTop(w) + (ch - d) / 2, width: d, height: d, .black)
            }
        }
        canvas.rectangle(x: ox - 1, y: oy - 1, width: values.count * cw + 2, height: bottom - oy + 2, .black)
        let th = Canvas.textHeight(scale: 1)
        for (r, label) in rowLabels.enumerated() {
            canvas.line(x0: ox - 5, y0: rowTop(r) + ch / 2, x1: ox - 2, y1: rowTop(r) + ch / 2, .black)
            canvas.text(label, x: ox - 9 - Canvas.textWidth(label, scale: 1), y: rowTop(r) + (ch - th) / 2, scale: 1)
        }
        // Group names to the right of the map.
        for g in groups where !g.name.isEmpty {
            let top = rowTop(g.first), end = rowTop(g.first + g.count - 1) + ch
            canvas.line(x0: ox + values.count * cw + 5, y0: top + 1, x1: ox + values.count * cw + 5, y1: end - 2, .grey)
            canvas.text(g.name, x: ox + values.count * cw + 9, y: (top + end - th) / 2, scale: 1, .grey)
        }
        let step = values.count <= 60 ? 10 : (values.count <= 300 ? 20 : 50)
        var lastRight = Int.min
        for (p, n) in columnNumbers.enumerated() where n % step == 0 && (wildType[p] != nil || wildType.allSatisfy { $0 == nil }) {
            let x = ox + p * cw + cw / 2, label = String(n), w = Canvas.textWidth(label, scale: 1)
            guard x - w / 2 > lastRight + 4 else { continue }
            canvas.line(x0: x, y0: bottom + 1, x1: x, y1: bottom + 5, .black)
            canvas.text(label, x: x - w / 2, y: bottom + 9, scale: 1)
            lastRight = x - w / 2 + w
        }
        canvas.text("Residue", x: ox + values.count * cw / 2 - Canvas.textWidth("Residue") / 2, y: bottom + 30, scale: 2)
        canvas.text("Substitution", x: 12, y: (oy + bottom) / 2 + Canvas.textWidth("Substitution") / 2, scale: 2, vertical: true)
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let extent = finite.isEmpty ? "" : "; colours ±\(Colormap.label(lim)) (data \(Colormap.label(finite.min()!)) to \(Colormap.label(finite.max()!)))"
        Colormap.diverging.drawBar(into: &canvas, x: ox, y: bottom + 60, low: -lim, high: lim,
                                   caption: "score (deleterious < 0 < beneficial); dot = wild type" + extent)
        return canvas
    }
}
