import Console
import Figures
import Tensors

/// The scatter of embeddings (N, d) in the plane of `EmbeddingProjection.plane`: the coordinates
/// themselves for d ≤ 2 (axes z₁, z₂), else the first two principal axes, labelled with the share of
/// the variance each explains. With `groups` (one label per row) each label is a series in its own
/// colour, the largest groups first (ties by name); labels beyond the palette's nine are drawn
/// together in grey as "other", under the rest.
public enum EmbeddingScatter {
    public static let palette = Canvas.Color.categorical

    public static func chart(_ z: Tensor, groups: [String]? = nil, title: String, note: String? = nil) -> Chart {
        let (points, explained) = EmbeddingProjection.plane(z)
        let axes = z.shape[1] <= 2 ? ("z₁", "z₂") : ("PC1 of z (\(fixed(explained[0] * 100, 1))%)", "PC2 of z (\(fixed(explained[1] * 100, 1))%)")
        var series: [Chart.Series] = []
        if let groups {
            precondition(groups.count == points.count, "one group label per embedding")
            let counts = Dictionary(groups.map { ($0, 1) }, uniquingKeysWith: +)
            let order = counts.keys.sorted { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : $0 < $1 }
            let shown = Array(order.prefix(palette.count))
            for (k, g) in shown.enumerated() {
                let idx = groups.indices.filter { groups[$0] == g }
                series.append(.init("\(g) (\(idx.count))", x: idx.map { points[$0].0 }, y: idx.map { points[$0].1 }, style: .points, color: palette[k]))
            }
            let rest = groups.indices.filter { !shown.contains(groups[$0]) }
            if !rest.isEmpty { series.insert(.init("other (\(rest.count))", x: rest.map { points[$0].0 }, y: rest.map { points[$0].1 }, style: .points, color: .grey), at: 0) }
        } else {
            series = [.init("\(points.count) sequences", x: points.map(\.0), y: points.map(\.1), style: .points, color: .blue)]
        }
        return Chart(title: title, xLabel: axes.0, yLabel: axes.1, series: series, note: note)
    }
}
