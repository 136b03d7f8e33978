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
                    if size < 16 && s == size && l == lo * size {             // windows tile the tensor: one long row
                        Parallel.forEachChunk(lanes * lo, minimumPerThread: 1 << 13) { range in
                            shortWindowMaxPool(xp, yp, wp, row: range.lowerBound * size, outputs: range, size: size, stride: size)
                        }
                        return
                    }
                    Parallel.forEachChunk(lanes, minimumPerThread: Swift.max(1, (1 << 15) / Swift.max(l, 1))) { range in
                        for lane in range {
                            if size < 16 {
                                shortWindowMaxPool(xp, yp, wp, row: lane * l, outputs: (lane * lo)..<((lane + 1) * lo), size: size, stride: s)
                                continue
                            }
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
        while j < n { let x = w[j]; value = x > value ? x : value; j += 1 }   // one maxss, no blend
        return value
    }

    /// Windows shorter than 16 along one row: output `outputs.lowerBound + t` is the maximum of
    /// x[row + t·stride ..< row + t·stride + size] and its flat index. Four windows per pass, so four
    /// independent select chains hide each other's latency (one window at a time waits on its chain,
    /// ≈ 12 cycles per output for size 4, and a scan for the argmax mispredicts once per window).
    static func shortWindowMaxPool(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>?,
                                   row: Int, outputs: Range<Int>, size: Int, stride s: Int) {
        var t = 0
        let count = outputs.count, o0 = outputs.lowerBound
        while t + 4 <= count {
            let start = row + t * s
            let (p0, p1, p2, p3) = (x + start, x + start + s, x + start + 2 * s, x + start + 3 * s)
            var (v0, v1, v2, v3) = (p0[0], p1[0], p2[0], p3[0])
            var (a0, a1, a2, a3) = (0, 0, 0, 0)
            for j in 1..<size {
                let (x0, x1, x2, x3) = (p0[j], p1[j], p2[j], p3[j])
                let (b0, b1, b2, b3) = (x0 > v0, x1 > v1, x2 > v2, x3 > v3)
                v0 = b0 ? x0 : v0; v1 = b1 ? x1 : v1; v2 = b2 ? x2 : v2; v3 = b3 ? x3 : v3
                a0 = b0 ? j : a0; a1 = b1 ? j : a1; a2 = b2 ? j : a2; a3 = b3 ? j : a3
            }
            let o = o0 + t
            (y[o], y[o + 1], y[o + 2], y[o + 3]) = (v0, v1, v2, v3)
            if let argmax {
                (argmax[o], argmax[o + 1], argmax[o + 2], argmax[o + 3]) =
                    (Int32(start + a0), Int32(start + s + a1), Int32(start + 2 * s + a2), Int32(start + 3 * s + a3))
            }
            t += 4
        }
        while t < count {
            let start = row + t * s
            let (value, at) = windowArgmax(x + start, size)
            y[o0 + t] = value
            argmax?[o0 + t] = Int32(start + at)
            t += 1
        }
    }

    /// (max_j w[j], the first j holding it) in one pass of selects: a short window's maximum sits at
    /// a random place, and a scan that branches on it mispredicts once per window.
    @inline(__always) static func windowArgmax(_ w: UnsafePointer<Float>, _ n: Int) -> (Float, Int) {
        var value = w[0], at = 0
        for j in 1..<n {
            let x = w[j], better = x > value
            value = better ? x : value
            at = better ? j : at
        }
        return (value, at)
    }

    /// The adjoint of `maxPool1d`: each output's gradient goes to the input that was its maximum.
    public static func maxPool1dBackward(_ gy: Tensor, argmax: [Int32], inputShape: [Int]) -> Tensor {
        precondition(gy.count == argmax.count, "maxPool1dBackward: \(gy.count) gradients for \(argmax.count) maxima")
        precondition(inputShape.count == 3, "maxPool1dBackward needs an (N,C,L) input shape")
        // A lane (n, c) of gy scatters only into the same lane of gx: lanes are split over the threads,
        // each clearing its own part of gx first.
        let (lanes, l) = (inputShape[0] * inputShape[1], inputShape[2])
        let lo = lanes == 0 ? 0 : gy.count / lanes
        let gx = [Float](unsafeUninitializedCapacity: lanes * l) { buffer, initialised in
            initialised = lanes * l
            guard lanes * l > 0 else { return }
            nonisolated(unsafe) let xp = buffer.baseAddress!
            gy.scalars.withUnsafeBufferPointer { gb in
                argmax.withUnsafeBufferPointer { ab in
                    nonisolated(unsafe) let (gp, ap) = (gb.baseAddress, ab.baseAddress)
                    Parallel.forEachChunk(lanes, minimumPerThread: Swift.max(1, (1 << 15) / Swift.max(l, 1))) { range in
                        (xp + range.lowerBound * l).initialize(repeating: 0, count: range.count * l)
                        for k in (range.lowerBound * lo)..<(range.upperBound * lo) { xp[Int(ap![k])] += gp![k] }
                    }
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
