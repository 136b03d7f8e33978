import Testing
import TestSupport
import Sequences
import Figures
import Pipelines

/// `seqgen info --plot`: four chart panels in a 2 × 2 grid, each drawn.
@Suite struct AlignmentFigureTests {
    @Test func fourPanelsAreDrawn() throws {
        let msa = try AlignmentReader().read(writeText(">F\nACDE\n>s1\nACDF\n>s2\nA-DE\n>s3\nAKGH\n", "figure.fa"))
        let canvas = AlignmentSummary(msa).figure()
        let chart = Chart(title: "", xLabel: "", yLabel: "", series: [])
        #expect(canvas.width == 2 * chart.width && canvas.height == 2 * chart.height)
        // Each panel's series colour appears in its own quadrant (its line and legend swatch).
        let colours: [Canvas.Color] = [.blue, .green, .orange, .grey]
        for (k, colour) in colours.enumerated() {
            let (x0, y0) = ((k % 2) * chart.width, (k / 2) * chart.height)
            var found = false
            for y in y0..<(y0 + chart.height) where !found { for x in x0..<(x0 + chart.width) where canvas.color(x: x, y: y) == colour { found = true; break } }
            #expect(found, "panel \(k)")
        }
    }
}
