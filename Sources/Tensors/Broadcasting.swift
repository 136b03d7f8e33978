import CBLAS

// Binary element-wise ops with NumPy broadcasting: shapes are right-aligned, and an
// axis of extent 1 (or a missing leading axis) repeats to match the other operand.

extension Tensor {
    /// The broadcast shape of `a` and `b`, or nil when they are incompatible.
    public static func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let r = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for k in 0..<r {
            let x = k < r - a.count ? 1 : a[k - (r - a.count)]
            let y = k < r - b.count ? 1 : b[k - (r - b.count)]
            guard x == y || x == 1 || y == 1 else { return nil }
            out[k] = x == 1 ? y : x
        }
        return out
    }

    /// Strides of `shape` viewed as `target` under broadcasting (0 on repeated axes).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let pad = target.count - shape.count
        let own = Tensor.strides(of: shape)
        return (0..<target.count).map { k in
            k < pad || shape[k - pad] == 1 ? 0 : own[k - pad]
        }
    }

    /// z_i = f(x_i, y_i) with broadcasting. `f` is called once per element through its closure for
    /// equal shapes; the arithmetic operators write their loop into `zipChunks` instead (see `mapChunks`).
    @inlinable
    public func zipWith(_ other: Tensor, _ f: @Sendable (Float, Float) -> Float) -> Tensor {
        if shape == other.shape { return zipChunks(other) { x, y, z, r in for i in r { z[i] = f(x[i], y[i]) } } }
        if other.count == 1 && other.rank <= rank { let c = other.scalars[0]; return map { f($0, c) } }
        if count == 1 && rank <= other.rank { let c = scalars[0]; return other.map { f(c, $0) } }
        return broadcastZip(other, f)
    }

    /// For equal shapes: a tensor whose elements `body(x, y, z, range)` writes, z[range] from x[range]
    /// and y[range]; large tensors are split over threads, one call of `body` per chunk.
    @inlinable
    public func zipChunks(_ other: Tensor, _ body: @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>,
                                                               _ range: Range<Int>) -> Void) -> Tensor {
        precondition(shape == other.shape, "zipChunks: \(shape) vs \(other.shape)")
        let n = count
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialised in
            nonisolated(unsafe) let z = buffer.baseAddress!
            scalars.withUnsafeBufferPointer { xb in
                other.scalars.withUnsafeBufferPointer { yb in
                    nonisolated(unsafe) let x = xb.baseAddress!, y = yb.baseAddress!
                    Parallel.forEachChunk(n, minimumPerThread: 1 << 16) { r in body(x, y, z, r) }
                }
            }
            initialised = n
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// `zipChunks` where one operand repeats along the other's leading axes (its shape, leading 1s
    /// aside, is the other's trailing part: a bias (n) added to rows (…, n)): `body` runs once per
    /// row, with the repeated operand's pointer at its start, rows split over threads. Nil for any
    /// other broadcast, and for rows under 16 elements (a copy broadcast whole costs less than a
    /// call per row).
    @inlinable
    public func rowBroadcastChunks(_ other: Tensor, _ body: @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>,
                                                                       _ range: Range<Int>) -> Void) -> Tensor? {
        let selfIsRow = count < other.count
        let (full, row) = selfIsRow ? (other, self) : (self, other)
        let trailing = row.shape.drop { $0 == 1 }
        guard row.rank <= full.rank, full.shape.suffix(trailing.count).elementsEqual(trailing), row.count >= 16 else { return nil }
        let (n, m) = (full.count, row.count)
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialised in
            nonisolated(unsafe) let z = buffer.baseAddress!
            scalars.withUnsafeBufferPointer { xb in
                other.scalars.withUnsafeBufferPointer { yb in
                    nonisolated(unsafe) let x = xb.baseAddress!, y = yb.baseAddress!
                    Parallel.forEachChunk(n / m, minimumPerThread: Swift.max(1, (1 << 16) / m)) { rows in
                        for k in rows {
                            body(selfIsRow ? x : x + k * m, selfIsRow ? y + k * m : y, z + k * m, 0..<m)
                        }
                    }
                }
            }
            initialised = n
        }
        return Tensor(shape: full.shape, scalars: out)
    }

    /// z = x ∘ y for an element-wise operator whose loop `body` writes: equal shapes and row
    /// broadcasts directly (`zipChunks`, `rowBroadcastChunks`), any other broadcast on copies of
    /// both operands broadcast to the result's shape.
    @inlinable
    func combined(_ other: Tensor, _ body: @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ z: UnsafeMutablePointer<Float>,
                                                     _ range: Range<Int>) -> Void) -> Tensor {
        if shape == other.shape { return zipChunks(other, body) }
        if let rows = rowBroadcastChunks(other, body) { return rows }
        guard let target = Tensor.broadcastShape(shape, other.shape) else { preconditionFailure("shapes \(shape) and \(other.shape) do not broadcast") }
        return broadcast(to: target).zipChunks(other.broadcast(to: target), body)
    }

    @usableFromInline
    func broadcastZip(_ other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        guard let outShape = Tensor.broadcastShape(shape, other.shape) else {
            preconditionFailure("shapes \(shape) and \(other.shape) do not broadcast")
        }
        let r = outShape.count
        let sa = Tensor.broadcastStrides(shape, to: outShape)
        let sb = Tensor.broadcastStrides(other.shape, to: outShape)
        let n = outShape.reduce(1, *)
        var out = [Float](repeating: 0, count: n)
        guard n > 0 else { return Tensor(shape: outShape, scalars: out) }
        let inner = outShape[r - 1], ia = sa[r - 1], ib = sb[r - 1]
        var index = [Int](repeating: 0, count: r)
        var oa = 0, ob = 0
        scalars.withUnsafeBufferPointer { x in
            other.scalars.withUnsafeBufferPointer { y in
                out.withUnsafeMutableBufferPointer { z in
                    var o = 0
                    while o < n {
                        for j in 0..<inner { z[o + j] = f(x[oa + j * ia], y[ob + j * ib]) }
                        o += inner
                        // Advance the multi-index over the outer axes (odometer order).
                        var k = r - 2
                        while k >= 0 {
                            index[k] += 1; oa += sa[k]; ob += sb[k]
                            if index[k] < outShape[k] { break }
                            oa -= sa[k] * outShape[k]; ob -= sb[k] * outShape[k]; index[k] = 0
                            k -= 1
                        }
                    }
                }
            }
        }
        return Tensor(shape: outShape, scalars: out)
    }

    /// Sums a broadcast result back to `target` (the adjoint of broadcasting).
    public func sumToShape(_ target: [Int]) -> Tensor {
        if shape == target { return self }
        let pad = rank - target.count
        precondition(pad >= 0, "cannot reduce \(shape) to \(target)")
        var t = self
        let axes = (0..<rank).filter { k in k < pad || (target[k - pad] == 1 && shape[k] != 1) }
        if !axes.isEmpty { t = t.sum(alongAxes: axes, keepingDims: true) }
        return t.reshaped(target)
    }

    public static func + (a: Tensor, b: Tensor) -> Tensor {
        a.combined(b, { x, y, z, r in for i in r { z[i] = x[i] + y[i] } })
    }
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        a.combined(b, { x, y, z, r in for i in r { z[i] = x[i] - y[i] } })
    }
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        a.combined(b, { x, y, z, r in for i in r { z[i] = x[i] * y[i] } })
    }
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        a.combined(b, { x, y, z, r in for i in r { z[i] = x[i] / y[i] } })
    }
    public static func + (a: Tensor, c: Float) -> Tensor { a.mapChunks { x, y, r in for i in r { y[i] = x[i] + c } } }
    public static func - (a: Tensor, c: Float) -> Tensor { a.mapChunks { x, y, r in for i in r { y[i] = x[i] - c } } }
    public static func * (a: Tensor, c: Float) -> Tensor { a.mapChunks { x, y, r in for i in r { y[i] = x[i] * c } } }
    public static func / (a: Tensor, c: Float) -> Tensor { a.mapChunks { x, y, r in for i in r { y[i] = x[i] / c } } }
    public static func + (c: Float, a: Tensor) -> Tensor { a.mapChunks { x, y, r in for i in r { y[i] = c + x[i] } } }
    public static func - (c: Float, a: Tensor) -> Tensor { a.mapChunks { x, y, r in for i in r { y[i] = c - x[i] } } }
    public static func * (c: Float, a: Tensor) -> Tensor { a.mapChunks { x, y, r in for i in r { y[i] = c * x[i] } } }
    public static func / (c: Float, a: Tensor) -> Tensor { a.mapChunks { x, y, r in for i in r { y[i] = c / x[i] } } }
    public static prefix func - (a: Tensor) -> Tensor { a.mapChunks { x, y, r in for i in r { y[i] = -x[i] } } }
    public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
        a.combined(b, { x, y, z, r in for i in r { z[i] = Swift.max(x[i], y[i]) } })
    }

    /// a += b for equal shapes (BLAS saxpy), else broadcasting b.
    public static func += (a: inout Tensor, b: Tensor) {
        if a.shape == b.shape {
            let n = Int32(a.count)
            b.scalars.withUnsafeBufferPointer { y in
                a.scalars.withUnsafeMutableBufferPointer { x in BLAS.saxpy(n, 1, y.baseAddress, x.baseAddress) }
            }
        } else {
            a = a + b
        }
    }

    /// a ← a + α·b for equal shapes.
    public mutating func addScaled(_ b: Tensor, _ alpha: Float) {
        precondition(shape == b.shape, "addScaled: \(shape) vs \(b.shape)")
        let n = Int32(count)
        b.scalars.withUnsafeBufferPointer { y in
            scalars.withUnsafeMutableBufferPointer { x in BLAS.saxpy(n, alpha, y.baseAddress, x.baseAddress) }
        }
    }

    /// Σ_i a_i b_i over all elements (accumulated in double precision).
    public func dot(_ other: Tensor) -> Float {
        precondition(count == other.count)
        return scalars.withUnsafeBufferPointer { x in
            other.scalars.withUnsafeBufferPointer { y in
                Float(BLAS.dsdot(Int32(count), x.baseAddress, y.baseAddress))
            }
        }
    }
}
