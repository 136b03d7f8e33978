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

    @Test func distinctRowsAreFoundBitForBit() {
        // rows 0, 2 and 4 equal; row 3 differs from row 1 in its last scalar only; -0 ≠ +0 bitwise.
        let x = Tensor(shape: [6, 2], scalars: [1, 2, 3, 4, 1, 2, 3, 5, 1, 2, 0, -0.0])
        let (rows, index) = x.distinctRows()
        #expect(rows == [0, 1, 3, 5] && index == [0, 1, 0, 2, 0, 3])
        #expect(Tensor(shape: [0, 2], scalars: []).distinctRows().rows.isEmpty)
    }
}
