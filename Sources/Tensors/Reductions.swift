#if canImport(Glibc)
import Glibc
#endif

// Reductions along axes. Along-axis kernels view the tensor as (outer, n, inner)
// (see `split(around:)`) and reduce the middle extent.

/// Σ_{i<n} x[i·stride], with SIMD accumulators when the data is contiguous.
@inlinable
func stridedSum(_ x: UnsafePointer<Float>, _ n: Int, _ stride: Int) -> Float {
    if stride != 1 {
        var s: Float = 0
        for k in 0..<n { s += x[k * stride] }
        return s
    }
    var acc = SIMD16<Float>(repeating: 0)
    var k = 0
    while k + 16 <= n {
        acc += UnsafeRawPointer(x + k).loadUnaligned(as: SIMD16<Float>.self)
        k += 16
    }
    var s = acc.sum()
    while k < n { s += x[k]; k += 1 }
    return s
}

extension Tensor {
    /// Σ of all elements, as a rank-0 tensor.
    public func sum() -> Tensor {
        let n = count
        return scalars.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return Tensor(0) }
            return Tensor(stridedSum(p, n, 1))
        }
    }

    public func mean() -> Tensor { Tensor(sum().scalar / Float(Swift.max(count, 1))) }

    /// Sum along one axis; the axis is kept with extent 1 when `keepingDim`.
    public func sum(alongAxis axis: Int, keepingDim: Bool = false) -> Tensor {
        let a = self.axis(axis)
        let (outer, n, inner) = split(around: a)
        var out = [Float](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { yb in
                nonisolated(unsafe) let x = xb.baseAddress!, y = yb.baseAddress!
                if inner == 1 {
                    Parallel.forEachChunk(outer, minimumPerThread: Swift.max(1, (1 << 15) / Swift.max(n, 1))) { r in
                        for o in r { y[o] = stridedSum(x + o * n, n, 1) }
                    }
                } else {
                    Parallel.forEachChunk(outer, minimumPerThread: Swift.max(1, (1 << 15) / Swift.max(n * inner, 1))) { r in
                        for o in r {
                            let dst = y + o * inner
                            for k in 0..<n {
                                let src = x + (o * n + k) * inner
                                for i in 0..<inner { dst[i] += src[i] }
                            }
                        }
                    }
                }
            }
        }
        var newShape = shape
        if keepingDim { newShape[a] = 1 } else { newShape.remove(at: a) }
        return Tensor(shape: newShape, scalars: out)
    }

    /// Sum over several axes.
    public func sum(alongAxes axes: [Int], keepingDims: Bool = false) -> Tensor {
        let sorted = Set(axes.map(self.axis)).sorted(by: >)
        var t = self
        for a in sorted { t = t.sum(alongAxis: a, keepingDim: true) }
        if !keepingDims {
            t = t.reshaped(shape.enumerated().filter { !sorted.contains($0.offset) }.map(\.element))
        }
        return t
    }

    public func mean(alongAxis axis: Int, keepingDim: Bool = false) -> Tensor {
        sum(alongAxis: axis, keepingDim: keepingDim) / Float(shape[self.axis(axis)])
    }

    public func mean(alongAxes axes: [Int], keepingDims: Bool = false) -> Tensor {
        let n = Set(axes.map(self.axis)).reduce(1) { $0 * shape[$1] }
        return sum(alongAxes: axes, keepingDims: keepingDims) / Float(n)
    }

    /// Applies `body(x, y, n, stride)` to every lane along `axis`, writing lane results.
    @inlinable
    func alongAxis(_ axis: Int, outputLane: Bool,
                   _ body: @Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void) -> Tensor {
        let (outer, n, inner) = split(around: axis)
        let outCount = outputLane ? count : outer * inner
        let out = [Float](unsafeUninitializedCapacity: outCount) { buffer, initialised in
            nonisolated(unsafe) let y = buffer.baseAddress!
            scalars.withUnsafeBufferPointer { xb in
                nonisolated(unsafe) let x = xb.baseAddress!
                Parallel.forEachChunk(outer * inner, minimumPerThread: Swift.max(1, (1 << 14) / Swift.max(n, 1))) { r in
                    for lane in r {
                        let o = lane / inner, i = lane % inner
                        let src = x + o * n * inner + i
                        body(src, outputLane ? y + o * n * inner + i : y + lane, n, inner)
                    }
                }
            }
            initialised = outCount
        }
        var newShape = shape
        if !outputLane { newShape[self.axis(axis)] = 1 }
        return Tensor(shape: newShape, scalars: out)
    }

    /// Maximum along `axis`.
    public func max(alongAxis axis: Int, keepingDim: Bool = false) -> Tensor {
        let t = alongAxis(axis, outputLane: false) { x, y, n, s in
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, x[k * s]) }
            y[0] = m
        }
        return keepingDim ? t : t.reshaped(shape.enumerated().filter { $0.offset != self.axis(axis) }.map(\.element))
    }

    /// Index of the maximum along `axis` (first on ties), in row-major order of the other axes.
    public func argmax(alongAxis axis: Int) -> [Int] {
        let (outer, n, inner) = split(around: axis)
        var out = [Int](repeating: 0, count: outer * inner)
        scalars.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for i in 0..<inner {
                    var best = 0
                    var m = -Float.infinity
                    for k in 0..<n where x[(o * n + k) * inner + i] > m { m = x[(o * n + k) * inner + i]; best = k }
                    out[o * inner + i] = best
                }
            }
        }
        return out
    }

    /// log Σ_k exp(x_k) along `axis`, shifted by the lane maximum so it never overflows.
    public func logSumExp(alongAxis axis: Int, keepingDim: Bool = false) -> Tensor {
        let t = alongAxis(axis, outputLane: false) { x, y, n, s in
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, x[k * s]) }
            if !m.isFinite { y[0] = m; return }
            var sum: Float = 0
            for k in 0..<n { sum += Glibc.expf(x[k * s] - m) }
            y[0] = m + Glibc.logf(sum)
        }
        return keepingDim ? t : t.reshaped(shape.enumerated().filter { $0.offset != self.axis(axis) }.map(\.element))
    }

    /// softmax(x)_k = exp(x_k − m) / Σ_j exp(x_j − m) along `axis` (m = lane maximum).
    public func softmax(alongAxis axis: Int) -> Tensor {
        alongAxis(axis, outputLane: true) { x, y, n, s in
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, x[k * s]) }
            var sum: Float = 0
            for k in 0..<n { let e = Glibc.expf(x[k * s] - m); y[k * s] = e; sum += e }
            let inv = 1 / sum
            for k in 0..<n { y[k * s] *= inv }
        }
    }

    /// log softmax(x)_k = x_k − logsumexp(x) along `axis`.
    public func logSoftmax(alongAxis axis: Int) -> Tensor {
        alongAxis(axis, outputLane: true) { x, y, n, s in
            var m = -Float.infinity
            for k in 0..<n { m = Swift.max(m, x[k * s]) }
            var sum: Float = 0
            for k in 0..<n { sum += Glibc.expf(x[k * s] - m) }
            let lse = m + Glibc.logf(sum)
            for k in 0..<n { y[k * s] = x[k * s] - lse }
        }
    }
}

extension Tensor {
    /// x − mean(x) along `axis`: every slice along the axis sums to zero (the mean is Σ/n in
    /// Float, summed in index order).
    public func subtractingMean(alongAxis axis: Int) -> Tensor {
        precondition(axis >= 0 && axis < rank, "axis \(axis) out of range for shape \(shape)")
        let k = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *), outer = shape[..<axis].reduce(1, *)
        var out = self
        guard k > 0 else { return out }
        for o in 0..<outer { for i in 0..<inner {
            let base = o * k * inner + i
            let mean = (0..<k).reduce(Float(0)) { $0 + scalars[base + $1 * inner] } / Float(k)
            for c in 0..<k { out.scalars[base + c * inner] -= mean }
        } }
        return out
    }
}
