// Reordering, selecting and combining axes. All results are new contiguous tensors.

extension Tensor {
    /// Axes reordered: result axis k is input axis `axes[k]` (NumPy `transpose(axes)`).
    public func permuted(_ axes: [Int]) -> Tensor {
        precondition(axes.sorted() == Array(0..<rank), "permutation \(axes) for rank \(rank)")
        if axes == Array(0..<rank) { return self }
        let newShape = axes.map { shape[$0] }
        if rank >= 2 && axes == Array(0..<(rank - 2)) + [rank - 1, rank - 2] { return batchedTranspose(newShape) }
        let inStrides = strides
        return gathered(newShape, strides: axes.map { inStrides[$0] })
    }

    /// The tensor of `shape` whose element at multi-index i is this tensor's element at offset
    /// Σ_k i_k·strides[k] (a permutation's strides, or 0 on a broadcast axis). Rows along the
    /// last axis split over threads; each chunk starts its multi-index from its first row, then
    /// counts (odometer order).
    private func gathered(_ shape: [Int], strides src: [Int]) -> Tensor {
        let n = shape.reduce(1, *), r = shape.count
        guard n > 0 else { return Tensor(shape: shape, scalars: []) }
        let inner = shape[r - 1], innerStride = src[r - 1]
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialised in
            nonisolated(unsafe) let y = buffer.baseAddress!
            scalars.withUnsafeBufferPointer { xb in
                nonisolated(unsafe) let x = xb.baseAddress!
                Parallel.forEachChunk(n / inner, minimumPerThread: Swift.max(1, (1 << 15) / inner)) { rows in
                    var index = [Int](repeating: 0, count: r), offset = 0, rest = rows.lowerBound
                    for k in stride(from: r - 2, through: 0, by: -1) {
                        index[k] = rest % shape[k]; rest /= shape[k]; offset += index[k] * src[k]
                    }
                    for row in rows {
                        let o = row * inner
                        switch innerStride {
                        case 1: (y + o).initialize(from: x + offset, count: inner)
                        case 0: (y + o).initialize(repeating: x[offset], count: inner)
                        default: for j in 0..<inner { (y + o + j).initialize(to: x[offset + j * innerStride]) }
                        }
                        var k = r - 2
                        while k >= 0 {
                            index[k] += 1; offset += src[k]
                            if index[k] < shape[k] { break }
                            offset -= src[k] * shape[k]; index[k] = 0
                            k -= 1
                        }
                    }
                }
            }
            initialised = n
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// The last two axes swapped, out[…, j, i] = x[…, i, j], in 32 × 32 tiles: a row-at-a-time copy
    /// strides one side through memory a whole row apart per element (a cache line and often a page
    /// each), the tile keeps both sides' lines in L1 until they are used up.
    private func batchedTranspose(_ newShape: [Int]) -> Tensor {
        let rows = shape[rank - 2], cols = shape[rank - 1], size = rows * cols, tile = 32
        let batches = size == 0 ? 0 : count / size
        let out = [Float](unsafeUninitializedCapacity: count) { y, initialized in
            scalars.withUnsafeBufferPointer { x in
                for b in 0..<batches {
                    let (xb, yb) = (x.baseAddress! + b * size, y.baseAddress! + b * size)
                    for i0 in stride(from: 0, to: rows, by: tile) {
                        let i1 = Swift.min(rows, i0 + tile)
                        for j0 in stride(from: 0, to: cols, by: tile) {
                            for j in j0..<Swift.min(cols, j0 + tile) { for i in i0..<i1 { yb[j * rows + i] = xb[i * cols + j] } }
                        }
                    }
                }
            }
            initialized = count
        }
        return Tensor(shape: newShape, scalars: out)
    }

    /// Swaps the last two axes.
    public func transposed() -> Tensor {
        precondition(rank >= 2, "transposed() needs rank ≥ 2")
        var axes = Array(0..<rank)
        axes.swapAt(rank - 1, rank - 2)
        return permuted(axes)
    }

    /// Materialises broadcasting to `target` (NumPy's `broadcast_to`, copied).
    public func broadcast(to target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(Tensor.broadcastShape(shape, target) == target, "\(shape) does not broadcast to \(target)")
        return gathered(target, strides: Tensor.broadcastStrides(shape, to: target))
    }

    /// Elements `range` along `axis`.
    public func slice(alongAxis axis: Int, _ range: Range<Int>) -> Tensor {
        let a = self.axis(axis)
        precondition(range.lowerBound >= 0 && range.upperBound <= shape[a], "slice \(range) of axis extent \(shape[a])")
        let (outer, n, inner) = split(around: a)
        let m = range.count
        var out = [Float]()
        out.reserveCapacity(outer * m * inner)
        scalars.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                let start = (o * n + range.lowerBound) * inner
                out.append(contentsOf: x[start..<(start + m * inner)])
            }
        }
        var newShape = shape
        newShape[a] = m
        return Tensor(shape: newShape, scalars: out)
    }

    /// Joins tensors along an existing axis; all other extents must agree.
    public static func concatenate(_ parts: [Tensor], alongAxis axis: Int) -> Tensor {
        precondition(!parts.isEmpty, "concatenate of nothing")
        let a = parts[0].axis(axis)
        var newShape = parts[0].shape
        newShape[a] = 0
        for p in parts {
            var s = p.shape; s[a] = 0
            precondition(s == { var t = parts[0].shape; t[a] = 0; return t }(), "concatenate: \(p.shape) vs \(parts[0].shape)")
            newShape[a] += p.shape[a]
        }
        let outer = parts[0].shape[..<a].reduce(1, *)
        var out = [Float]()
        out.reserveCapacity(newShape.reduce(1, *))
        for o in 0..<outer {
            for p in parts {
                let block = p.count / Swift.max(outer, 1)
                out.append(contentsOf: p.scalars[(o * block)..<((o + 1) * block)])
            }
        }
        return Tensor(shape: newShape, scalars: out)
    }

    /// Stacks equal-shaped tensors along a new axis.
    public static func stack(_ parts: [Tensor], alongAxis axis: Int = 0) -> Tensor {
        precondition(!parts.isEmpty, "stack of nothing")
        let r = parts[0].rank
        let a = axis < 0 ? axis + r + 1 : axis
        let expanded = parts.map { p -> Tensor in
            precondition(p.shape == parts[0].shape, "stack: \(p.shape) vs \(parts[0].shape)")
            var s = p.shape; s.insert(1, at: a); return p.reshaped(s)
        }
        return concatenate(expanded, alongAxis: a)
    }

    /// Picks `indices` along `axis` (NumPy `take`): result extent on `axis` = indices.count.
    public func gathering(_ indices: [Int], alongAxis axis: Int) -> Tensor {
        let a = self.axis(axis)
        let (outer, n, inner) = split(around: a)
        var out = [Float](repeating: 0, count: outer * indices.count * inner)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                var d = 0
                for o in 0..<outer {
                    for idx in indices {
                        precondition(idx >= 0 && idx < n, "gather index \(idx) out of 0..<\(n)")
                        let s = (o * n + idx) * inner
                        for i in 0..<inner { y[d + i] = x[s + i] }
                        d += inner
                    }
                }
            }
        }
        var newShape = shape
        newShape[a] = indices.count
        return Tensor(shape: newShape, scalars: out)
    }

    /// The adjoint of `gathering`: a tensor with extent `size` on `axis`, zero except that
    /// slice `indices[k]` accumulates slice k of `self` (repeated indices add up).
    public func scatterAdding(_ indices: [Int], alongAxis axis: Int, size: Int) -> Tensor {
        let a = self.axis(axis)
        precondition(shape[a] == indices.count, "scatter: \(indices.count) indices for extent \(shape[a])")
        let (outer, m, inner) = split(around: a)
        var out = [Float](repeating: 0, count: outer * size * inner)
        scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                for o in 0..<outer {
                    for k in 0..<m {
                        let idx = indices[k]
                        precondition(idx >= 0 && idx < size, "scatter index \(idx) out of 0..<\(size)")
                        let s = (o * m + k) * inner, d = (o * size + idx) * inner
                        for i in 0..<inner { y[d + i] += x[s + i] }
                    }
                }
            }
        }
        var newShape = shape
        newShape[a] = size
        return Tensor(shape: newShape, scalars: out)
    }

    /// (indices.count, depth) with a 1 at [k, indices[k]]; an index outside 0..<depth gives a zero row.
    public static func oneHot(_ indices: [Int], depth: Int) -> Tensor {
        var t = Tensor(zeros: [indices.count, depth])
        for (k, i) in indices.enumerated() where i >= 0 && i < depth { t.scalars[k * depth + i] = 1 }
        return t
    }
}
