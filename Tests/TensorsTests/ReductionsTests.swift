import Testing
import Tensors

@Suite struct ReductionsTests {
    /// (N, 4, L) attribution maps less each position's mean over the 4 channels (hand-computed).
    @Test func subtractingTheMeanAlongAnAxisCentresEverySlice() {
        // One sequence, 4 channels, 2 positions: position 0 holds 1, 2, 3, 6 (mean 3), position 1 all 5.
        let x = Tensor(shape: [1, 4, 2], scalars: [1, 5, 2, 5, 3, 5, 6, 5])
        #expect(x.subtractingMean(alongAxis: 1).scalars == [-2, 0, -1, 0, 0, 0, 3, 0])
        #expect(x.subtractingMean(alongAxis: 2).scalars == [-2, 2, -1.5, 1.5, -1, 1, 0.5, -0.5])
    }
}
