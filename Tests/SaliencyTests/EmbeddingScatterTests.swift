import Testing
import Figures
import Saliency
import Tensors

struct EmbeddingScatterTests {
    /// d = 2: the coordinates themselves on axes z₁, z₂, one series per label, largest group first
    /// (ties by name), in the palette's order.
    @Test func groupsAreSeriesLargestFirstOnTheLatentAxes() {
        let z = Tensor(shape: [5, 2], scalars: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        let chart = EmbeddingScatter.chart(z, groups: ["a", "c", "a", "b", "a"], title: "t", note: "n")
        #expect(chart.xLabel == "z₁" && chart.yLabel == "z₂" && chart.title == "t" && chart.note == "n")
        #expect(chart.series.map(\.name) == ["a (3)", "b (1)", "c (1)"])
        #expect(chart.series.map(\.color) == Array(EmbeddingScatter.palette.prefix(3)))
        #expect(chart.series[0].x == [0, 4, 8] && chart.series[0].y == [1, 5, 9] && chart.series[2].x == [2])
    }

    /// More labels than colours: the smallest groups are drawn together in grey as "other", first
    /// (under the rest).
    @Test func labelsBeyondThePaletteAreOther() {
        let groups = (0..<11).flatMap { k in Array(repeating: "g\(k)", count: k < 9 ? 2 : 1) }
        let z = Tensor(shape: [groups.count, 2], scalars: (0..<(2 * groups.count)).map(Float.init))
        let chart = EmbeddingScatter.chart(z, groups: groups, title: "t")
        #expect(chart.series.count == 10 && chart.series[0].name == "other (2)" && chart.series[0].color == .grey)
        #expect(chart.series[1].name == "g0 (2)" && chart.series[9].name == "g8 (2)")
    }

    /// d > 2: principal axes labelled with the variance they explain; unlabelled rows are one series.
    @Test func higherDimensionsUsePrincipalAxes() {
        let z = Tensor(shape: [4, 3], scalars: [1, 0, 0, -1, 0, 0, 0, 0.5, 0, 0, -0.5, 0])
        let chart = EmbeddingScatter.chart(z, title: "t")
        #expect(chart.xLabel == "PC1 of z (80.0%)" && chart.yLabel == "PC2 of z (20.0%)")
        #expect(chart.series.count == 1 && chart.series[0].name == "4 sequences")
        #expect(chart.series[0].x.map { ($0 * 1000).rounded() / 1000 } == [1, -1, 0, 0])
    }
}
