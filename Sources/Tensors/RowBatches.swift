extension Tensor {
    /// Rows `range` (along axis 0) as a tensor of their own.
    public func rows(_ range: Range<Int>) -> Tensor {
        let width = count / Swift.max(shape[0], 1)
        return Tensor(shape: [range.count] + shape.dropFirst(), scalars: Array(scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    }

    /// Applies `body` to consecutive blocks of at most `size` rows (along axis 0) and concatenates
    /// the results' scalars: batched inference and attribution over a whole dataset.
    public func mapRowBatches(size: Int, _ body: (Tensor) -> Tensor) -> [Float] {
        let n = shape[0]
        var out: [Float] = []
        var start = 0
        while start < n {
            let end = Swift.min(n, start + Swift.max(size, 1))
            out += body(rows(start..<end)).scalars
            start = end
        }
        return out
    }
}
