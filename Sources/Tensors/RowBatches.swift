extension Tensor {
    /// Rows `range` (along axis 0) as a tensor of their own.
    public func rows(_ range: Range<Int>) -> Tensor {
        let width = count / Swift.max(shape[0], 1)
        return Tensor(shape: [range.count] + shape.dropFirst(), scalars: Array(scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    }

    /// The distinct rows (along axis 0), bit for bit, as the index of each one's first occurrence
    /// (`rows`, in order) and, for every row, the position of its own in `rows` (`index`).
    public func distinctRows() -> (rows: [Int], index: [Int]) {
        let n = shape[0], width = count / Swift.max(n, 1)
        var rows: [Int] = [], index = [Int](repeating: 0, count: n)
        var seen: [Int: [Int]] = [:]            // row hash → positions in `rows` with that hash
        scalars.withUnsafeBufferPointer { s in
            func bytes(_ r: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(s)[(r * width * 4)..<((r + 1) * width * 4)]) }
            for r in 0..<n {
                var hasher = Hasher()
                hasher.combine(bytes: bytes(r))
                let h = hasher.finalize()
                if let k = seen[h]?.first(where: { bytes(rows[$0]).elementsEqual(bytes(r)) }) { index[r] = k; continue }
                index[r] = rows.count
                seen[h, default: []].append(rows.count)
                rows.append(r)
            }
        }
        return (rows, index)
    }

    /// Applies `body` to consecutive blocks of at most `size` rows (along axis 0) and concatenates
    /// the results' scalars: batched inference and attribution over a whole dataset.
    /// `progress(rows done)` after each block.
    public func mapRowBatches(size: Int, progress: ((Int) -> Void)? = nil, _ body: (Tensor) -> Tensor) -> [Float] {
        Tensor.mapRowRanges(count: shape[0], size: size, progress: progress) { body(rows($0)) }
    }

    /// `mapRowBatches` over row ranges of `count` rows, for a body that reads several tensors' rows.
    public static func mapRowRanges(count n: Int, size: Int, progress: ((Int) -> Void)? = nil, _ body: (Range<Int>) -> Tensor) -> [Float] {
        var out: [Float] = []
        var start = 0
        while start < n {
            let end = Swift.min(n, start + Swift.max(size, 1))
            let batch = body(start..<end).scalars
            if start == 0 { out.reserveCapacity(batch.count / (end - start) * n) }   // no doubling copies as it grows
            out += batch
            start = end
            progress?(end)
        }
        return out
    }
}
