import Figures
import Statistics

extension GenerativeEvaluation {
    /// Two panels: the samples (blue) over the reference (grey) on the reference's first two
    /// principal components, and sample vs reference connected correlations C_ij(a,b).
    public func figure(title: String) throws -> Canvas {
        let pca = Chart(title: "\(title): PCA of the reference", xLabel: "PC1", yLabel: "PC2",
                        series: [.init("reference", x: referenceProjection.map(\.0), y: referenceProjection.map(\.1), style: .points, color: .grey),
                                 .init("samples", x: sampleProjection.map(\.0), y: sampleProjection.map(\.1), style: .points, color: .blue)])
        let r = connectedPearson.map { "Pearson r \((($0 * 1000).rounded() / 1000))" } ?? "Pearson r n/a"
        let c = Chart(title: "\(title): connected correlations", xLabel: "reference C_ij(a,b)", yLabel: "samples C_ij(a,b)",
                      series: [.init("pairs", x: connectedPoints.map(\.0), y: connectedPoints.map(\.1), style: .points, color: .blue)],
                      note: r)
        let left = pca.render(), right = c.render()
        var canvas = Canvas(width: left.width + right.width, height: Swift.max(left.height, right.height))
        canvas.place(left, x: 0, y: 0)
        canvas.place(right, x: left.width, y: 0)
        return canvas
    }
}
