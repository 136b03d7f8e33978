import ArgumentParser
import Figures

/// `--width`, `--height`, `--dpi`: the size of every figure a command writes. Charts take the
/// size as given; maps, heatmaps and logos fit their cells to it (cells stay whole pixels, so
/// the figure comes out at most that size). `--dpi` is recorded in PNG files (pHYs), so a
/// 1000-pixel figure at 200 dpi prints 5 inches wide; pixel sizes do not change with it.
struct FigureOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Figure width in pixels (default: each figure's own, e.g. 720 for charts).")
    var width: Int?

    @Option(parsing: .unconditional, help: "Figure height in pixels (charts, contact maps; default: each figure's own).")
    var height: Int?

    @Option(parsing: .unconditional, help: "Resolution recorded in PNG files, in dots per inch (matplotlib's default: 100).")
    var dpi = 100

    func validate() throws {
        if let width, !(200...20000).contains(width) { throw ValidationError("--width must be 200–20000 pixels, got \(width)") }
        if let height, !(150...20000).contains(height) { throw ValidationError("--height must be 150–20000 pixels, got \(height)") }
        if !(10...2400).contains(dpi) { throw ValidationError("--dpi must be 10–2400, got \(dpi)") }
    }

    func write(_ canvas: Canvas, to path: String, overwrite: Bool) throws {
        try canvas.write(to: path, overwrite: overwrite, dpi: dpi)
    }

    func apply(_ chart: inout Chart) {
        if let width { chart.width = width }
        if let height { chart.height = height }
    }

    func apply(_ plot: inout ContactMapPlot) {
        let side = [width.map { $0 - plot.margin.left - 30 }, height.map { $0 - plot.margin.top - 120 }].compactMap { $0 }.min()
        if let side { plot.mapSize = Swift.max(side, 2 * plot.length, 50) }
        if let width { plot.figureWidth = Swift.max(width, plot.margin.left + plot.cell * plot.length + 10) }
    }

    func apply(_ plot: inout HeatmapPlot) {
        if let width { plot.mapWidth = Swift.max(width - plot.origin.x - 110, 50) }
    }

    func apply(_ logo: inout SequenceLogo) {
        if let width { logo.width = width }
    }

    /// Panel side for a grid of `columns` panels across the figure width.
    func panelSize(columns: Int, default value: Int = 220) -> Int {
        guard let width else { return value }
        return Swift.max(60, (width - 30 - 24) / columns - 24 - MatrixPanel.tickRoom)
    }
}
