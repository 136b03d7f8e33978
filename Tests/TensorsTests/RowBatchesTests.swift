import Testing
import Tensors

@Suite struct RowBatchesTests {
    @Test func rowsAndBatchesCoverEveryRowOnceInOrder() {
        let x = Tensor(shape: [5, 2, 3], scalars: (0..<30).map(Float.init))
        #expect(x.rows(1..<3) == Tensor(shape: [2, 2, 3], scalars: (6..<18).map(Float.init)))
        var sizes: [Int] = []
        let out = x.mapRowBatches(size: 2) { batch in sizes.append(batch.shape[0]); return batch * 2 }
        #expect(sizes == [2, 2, 1])
        #expect(out == (0..<30).map { Float($0) * 2 })
    }
}
