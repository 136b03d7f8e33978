#if canImport(Glibc)
import Glibc
#endif

// Element-wise math. Every function here maps y_i = f(x_i); large tensors are split over threads.

extension Tensor {
    /// y_i = f(x_i), in parallel chunks for large tensors. `f` is called once per element through
    /// its closure; the cheap ops below write their loop into `mapChunks` instead, where it compiles
    /// with the arithmetic inlined and vectorised (the same IEEE operations, so the same bits).
    @inlinable
    public func map(_ f: @Sendable (Float) -> Float) -> Tensor { mapChunks { x, y, r in for i in r { y[i] = f(x[i]) } } }

    /// A tensor of this shape whose elements `body(x, y, range)` writes, y[range] from x[range]; large
    /// tensors are split over threads, one call of `body` per chunk.
    @inlinable
    public func mapChunks(_ body: @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ range: Range<Int>) -> Void) -> Tensor {
        let n = count
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialised in
            nonisolated(unsafe) let y = buffer.baseAddress!
            scalars.withUnsafeBufferPointer { xb in
                nonisolated(unsafe) let x = xb.baseAddress!
                Parallel.forEachChunk(n, minimumPerThread: 1 << 16) { r in body(x, y, r) }
            }
            initialised = n
        }
        return Tensor(shape: shape, scalars: out)
    }

    /// A tensor of this shape whose rows of `width` elements `body(x, y, row)` writes (row `row` of
    /// y from x; the pointers are the tensors' starts), rows split over threads in chunks of at least
    /// `minimumPerThread`.
    @inlinable
    public func mapRows(_ width: Int, minimumPerThread: Int, _ body: @Sendable (_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ row: Int) -> Void) -> Tensor {
        precondition(width > 0 && count % width == 0, "mapRows: \(count) elements in rows of \(width)")
        let n = count
        if n == 0 { return self }
        let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialised in
            nonisolated(unsafe) let y = buffer.baseAddress!
            scalars.withUnsafeBufferPointer { xb in
                nonisolated(unsafe) let x = xb.baseAddress!
                Parallel.forEachChunk(n / width, minimumPerThread: minimumPerThread) { rows in for row in rows { body(x, y, row) } }
            }
            initialised = n
        }
        return Tensor(shape: shape, scalars: out)
    }

    public func exp() -> Tensor { map { Glibc.expf($0) } }
    public func log() -> Tensor { map { Glibc.logf($0) } }
    public func log1p() -> Tensor { map { Glibc.log1pf($0) } }
    public func sqrt() -> Tensor { mapChunks { x, y, r in for i in r { y[i] = x[i].squareRoot() } } }
    public func tanh() -> Tensor { map { Glibc.tanhf($0) } }
    public func square() -> Tensor { mapChunks { x, y, r in for i in r { y[i] = x[i] * x[i] } } }
    public func abs() -> Tensor { mapChunks { x, y, r in for i in r { y[i] = Swift.abs(x[i]) } } }
    public func pow(_ p: Float) -> Tensor { map { Glibc.powf($0, p) } }
    /// σ(x) = 1 / (1 + e^{−x}), evaluated without overflow for either sign.
    public func sigmoid() -> Tensor { map(Tensor.sigmoid) }
    public func relu() -> Tensor { mapChunks { x, y, r in for i in r { y[i] = Swift.max(x[i], 0) } } }
    /// elu(x) = x for x > 0, α(e^x − 1) otherwise.
    public func elu(alpha: Float = 1) -> Tensor { map { $0 > 0 ? $0 : alpha * Glibc.expm1f($0) } }
    /// softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^{−|x|}).
    public func softplus() -> Tensor { map(Tensor.softplus) }
    /// The exponential activation of Koo & Ploenzke (2021): y = e^x, sixteen lanes at a time
    /// (`VectorExp`, ≤ 2 ulp from `expf`; the tail padded into one more vector, so every element
    /// gets the same function of x wherever it lies). Inputs above 88.3 give e^{88.3} ≈ 2·10³⁸
    /// rather than ∞, below −87.3 ≈ 10⁻³⁸ rather than 0.
    public func expActivation() -> Tensor {
        mapChunks { x, y, r in
            VectorExp.forEachLanes(r) { i, count in VectorExp.store(VectorExp.exp(VectorExp.lanes(x + i, count)), y + i, count) }
        }
    }
    public func clamped(min lo: Float, max hi: Float) -> Tensor { mapChunks { x, y, r in for i in r { y[i] = Swift.min(Swift.max(x[i], lo), hi) } } }

    @inlinable @Sendable public static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Glibc.expf(-x)) : { let e = Glibc.expf(x); return e / (1 + e) }()
    }
    @inlinable @Sendable public static func softplus(_ x: Float) -> Float {
        Swift.max(x, 0) + Glibc.log1pf(Glibc.expf(-Swift.abs(x)))
    }

    /// True when no element is NaN or ±∞.
    public var isFinite: Bool { scalars.withUnsafeBufferPointer(allFinite) }
}

/// True when no element is NaN or ±∞: Σ 0·x_k in 16 lanes, which is NaN exactly when some x_k is
/// (0·±∞ = NaN), so one vectorised pass with no branch per element.
public func allFinite(_ x: UnsafeBufferPointer<Float>) -> Bool {
    guard let base = x.baseAddress else { return true }
    var acc = SIMD16<Float>(repeating: 0)
    var k = 0
    while k + 16 <= x.count {
        acc.addProduct(SIMD16(repeating: 0), UnsafeRawPointer(base + k).loadUnaligned(as: SIMD16<Float>.self))
        k += 16
    }
    while k < x.count { if !x[k].isFinite { return false }; k += 1 }
    return acc.sum().isFinite
}

/// `allFinite` of an array.
public func allFinite(_ x: [Float]) -> Bool { x.withUnsafeBufferPointer(allFinite) }
