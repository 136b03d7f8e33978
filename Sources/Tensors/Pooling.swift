// 1-D pooling over the last axis of (N, C, L): windows of `size`, step `stride`,
// L_out = ⌊(L − size) / stride⌋ + 1 (no padding; trailing positions that do not fill a window are dropped).

extension Tensor {
    /// y[n,c,t] = max_{0≤j<size} x[n,c,t·stride + j]; also returns the flat index of each maximum
    /// (an empty array when `indices` is false: inference needs no backward pass).
    public static func maxPool1d(_ x: Tensor, size: Int, stride: Int? = nil, indices: Bool = true) -> (Tensor, [Int32]) {
        let s = stride ?? size
        precondition(x.rank == 3 && size >= 1 && s >= 1, "maxPool1d needs (N,C,L) input and size, stride ≥ 1")
        precondition(x.count < Int(Int32.max), "maxPool1d: tensor too large for 32-bit indices")
        let (lanes, l) = (x.shape[0] * x.shape[1], x.shape[2])
        let lo = l < size ? 0 : (l - size) / s + 1
        var y = [Float](repeating: 0, count: lanes * lo)
        var where_ = [Int32](repeating: 0, count: indices ? lanes * lo : 0)
        x.scalars.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                where_.withUnsafeMutableBufferPointer { wb in
                    nonisolated(unsafe) let (xp, yp, wp) = (xb.baseAddress!, yb.baseAddress!, indices ? wb.baseAddress : nil)
                    Parallel.forEachChunk(lanes, minimumPerThread: Swift.max(1, (1 << 15) / Swift.max(l, 1))) { range in
                        for lane in range {
                            for t in 0..<lo {
                                let start = lane * l + t * s
                                let value = windowMaximum(xp + start, size)
                                yp[lane * lo + t] = value
                                guard let wp else { continue }
                                var best = start                                 // the first position holding the maximum
                                while xp[best] != value && best < start + size - 1 { best += 1 }
                                wp[lane * lo + t] = Int32(best)
                            }
                        }
                    }
                }
            }
        }
        return (Tensor(shape: [x.shape[0], x.shape[1], lo], scalars: y), where_)
    }

    /// max_{0≤j<n} w[j]: 16 lanes at a time for long windows (a scalar max chain costs its latency
    /// per element; large first-layer pools such as CNN-local's 50 spent most of a forward pass there).
    /// Lane maxima by compare-and-blend (`pointwiseMax` is not lowered to one instruction).
    @inline(__always) static func windowMaximum(_ w: UnsafePointer<Float>, _ n: Int) -> Float {
        var value = w[0], j = 1
        if n >= 16 {
            var m = UnsafeRawPointer(w).loadUnaligned(as: SIMD16<Float>.self)
            j = 16
            while j + 16 <= n {
                let v = UnsafeRawPointer(w + j).loadUnaligned(as: SIMD16<Float>.self)
                m.replace(with: v, where: v .> m)
                j += 16
            }
            var h = m.lowHalf
            h.replace(with: m.highHalf, where: m.highHalf .> h)
            var q = h.lowHalf
            q.replace(with: h.highHalf, where: h.highHalf .> q)
            value = Swift.max(Swift.max(q[0], q[1]), Swift.max(q[2], q[3]))
        }
        while j < n { value = Swift.max(value, w[j]); j += 1 }
        return value
    }

    /// The adjoint of `maxPool1d`: each output's gradient goes to the input that was its maximum.
    public static func maxPool1dBackward(_ gy: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
        precondition(gy.count == argmax.count, "maxPool1dBackward: \(gy.count) gradients for \(argmax.count) maxima")
        var gx = [Float](repeating: 0, count: inputShape.reduce(1, *))
        gy.scalars.withUnsafeBufferPointer { gb in
            argmax.withUnsafeBufferPointer { ab in
                gx.withUnsafeMutableBufferPointer { xb in
                    for k in 0..<gb.count { xb[Int(ab[k])] += gb[k] }
                }
            }
        }
        return Tensor(shape: inputShape, scalars: gx)
    }

    /// y[n,c,t] = (1/size) Σ_{0≤j<size} x[n,c,t·stride + j].
    public static func avgPool1d(_ x: Tensor, size: Int, stride: Int? = nil) -> Tensor {
        let s = stride ?? size
        precondition(x.rank == 3 && size >= 1 && s >= 1, "avgPool1d needs (N,C,L) input and size, stride ≥ 1")
        let (lanes, l) = (x.shape[0] * x.shape[1], x.shape[2])
        let lo = l < size ? 0 : (l - size) / s + 1
        var y = [Float](repeating: 0, count: lanes * lo)
        let inv = 1 / Float(size)
        x.scalars.withUnsafeBufferPointer { xp in
            for lane in 0..<lanes {
                for t in 0..<lo {
                    var acc: Float = 0
                    for j in 0..<size { acc += xp[lane * l + t * s + j] }
                    y[lane * lo + t] = acc * inv
                }
            }
        }
        return Tensor(shape: [x.shape[0], x.shape[1], lo], scalars: y)
    }

    /// The adjoint of `avgPool1d`.
    public static func avgPool1dBackward(_ gy: Tensor, inputShape: [Int], size: Int, stride: Int? = nil) -> Tensor {
        let s = stride ?? size
        let (lanes, l, lo) = (inputShape[0] * inputShape[1], inputShape[2], gy.shape[2])
        var gx = [Float](repeating: 0, count: lanes * l)
        let inv = 1 / Float(size)
        gy.scalars.withUnsafeBufferPointer { gp in
            for lane in 0..<lanes {
                for t in 0..<lo {
                    let g = gp[lane * lo + t] * inv
                    for j in 0..<size { gx[lane * l + t * s + j] += g }
                }
            }
        }
        return Tensor(shape: inputShape, scalars: gx)
    }
}
