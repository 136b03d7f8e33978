import Figures
import Statistics

extension GenerativeEvaluation {
    /// Two panels: the samples (blue) over the reference (grey) on the reference's first two
    /// principal components, and sample vs reference connected correlations C_ij(a,b).
    public func figure(title: String) throws -> Canvas {
        let pca = Chart(title: "\(title)  PCA OF THE REFERENCE", xLabel: "PC1", yLabel: "PC2",
                        series: [.init("REFERENCE", x: referenceProjection.map(\.0), y: referenceProjection.map(\.1), style: .points, color: .grey),
                                 .init("SAMPLES", x: sampleProjection.map(\.0), y: sampleProjection.map(\.1), style: .points, color: .blue)])
        let r = connectedPearson.map { "PEARSON R \((($0 * 1000).rounded() / 1000))" } ?? "PEARSON R N/A"
        let c = Chart(title: "\(title)  CONNECTED CORRELATIONS", xLabel: "REFERENCE C_IJ(A,B)", yLabel: "SAMPLES C_IJ(A,B)",
                      series: [.init("PAIRS", x: connectedPoints.map(\.0), y: connectedPoints.map(\.1), style: .points, color: .blue)],
                      note: r)
        let left = pca.render(), right = c.render()
        var canvas = Canvas(width: left.width + right.width, height: Swift.max(left.height, right.height))
        try canvas.image(left, x: 0, y: 0)
        try canvas.image(right, x: left.width, y: 0)
        return canvas
    }
}
