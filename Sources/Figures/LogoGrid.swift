/// Information-content logos of many short motifs (e.g. a CNN's first-layer filters) in a grid,
/// `columns` logos per row, each with its own title. `signed` marks panels drawn as signed
/// letter heights (contribution-weight matrices) instead of information logos.
public struct LogoGrid: Sendable {
    public var logos: [(title: String, probabilities: [[Double]])]
    public var columns: Int
    public var signed: Set<Int>

    public init(logos: [(title: String, probabilities: [[Double]])], columns: Int = 4, signed: Set<Int> = []) {
        self.logos = logos; self.columns = Swift.max(1, columns); self.signed = signed
    }

    public func render() throws -> Canvas {
        let panels = logos.enumerated().map { (k, logo) -> Canvas in
            var plot = SequenceLogo(values: logo.probabilities, letters: ["A", "C", "G", "T"], mode: signed.contains(k) ? .signed : .information, title: logo.title)
            plot.columnsPerRow = Swift.max(logo.probabilities.count, 1)
            return plot.render()
        }
        let cellWidth = panels.map(\.width).max() ?? 400, cellHeight = panels.map(\.height).max() ?? 200
        let rows = (panels.count + columns - 1) / columns
        var canvas = Canvas(width: Swift.max(1, Swift.min(columns, panels.count)) * cellWidth, height: Swift.max(1, rows) * cellHeight)
        for (k, panel) in panels.enumerated() {
            try canvas.image(panel, x: (k % columns) * cellWidth, y: (k / columns) * cellHeight)
        }
        return canvas
    }
}
