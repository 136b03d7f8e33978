import Figures
import Sequences
import Statistics

extension AlignmentSummary {
    /// `seqgen info --plot`: four panels — each column's occupancy (non-gap fraction) and
    /// conservation (bits), and the distributions of the sequences' identity to the focus (the focus
    /// left out) and of their gap fractions, as counts per 5% bin.
    public func figure() -> Canvas {
        let name = focusName.split(separator: " ").first.map(String.init) ?? focusName
        let columns = (1...Swift.max(columns, 1)).map(Double.init)
        var occupancy = Chart(title: "\(name): \(sequences) sequences × \(self.columns) columns, Neff \((neff * 10).rounded() / 10)",
                              xLabel: "column", yLabel: "non-gap fraction",
                              series: [.init("occupancy", x: columns, y: columnOccupancy, style: .line, color: .blue)])
        occupancy.yIncludes = [0, 1]
        var conservation = Chart(title: "conservation (weighted, gaps left out)", xLabel: "column", yLabel: "bits",
                                 series: [.init("conservation", x: columns, y: columnConservation, style: .line, color: .green)])
        conservation.yIncludes = [0]
        let others = identityOfOthers
        let identity = Chart(title: "identity to the focus (\(others.count) other sequences)", xLabel: "identity (over the focus's residues)",
                             yLabel: "sequences", series: [Self.histogram(others, color: .orange)],
                             note: others.isEmpty ? nil : "median \(Int((median(others) * 100).rounded()))%")
        let gaps = Chart(title: "gaps per sequence", xLabel: "gap fraction", yLabel: "sequences",
                         series: [Self.histogram(sequenceGapFractions, color: .grey)],
                         note: "\(sequencesWithGapsOverHalf) over half gaps")
        let panels = [occupancy, conservation, identity, gaps].map { $0.render() }
        let (w, h) = (panels.map(\.width).max()!, panels.map(\.height).max()!)
        var canvas = Canvas(width: 2 * w, height: 2 * h)
        for (k, p) in panels.enumerated() { canvas.place(p, x: (k % 2) * w, y: (k / 2) * h) }
        return canvas
    }

    /// Counts of `values` in [0, 1] per 5% bin, drawn at the bins' centres.
    static func histogram(_ values: [Double], color: Canvas.Color) -> Chart.Series {
        var counts = [Double](repeating: 0, count: 20)
        for v in values where v.isFinite { counts[Swift.min(19, Swift.max(0, Int(v * 20)))] += 1 }
        return .init("sequences", x: (0..<20).map { (Double($0) + 0.5) / 20 }, y: counts, style: .line, color: color)
    }
}
