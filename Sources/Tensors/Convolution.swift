// 1-D convolution (cross-correlation, as in PyTorch) by im2col + sgemm, in blocks of samples.
//
// x: (N, C_in, L), w: (C_out, C_in, K), y: (N, C_out, L_out) with
//   y[n,o,t] = Σ_{c,k} w[o,c,k] · x[n, c, t·s − p + k·d]   (zero outside 0..<L)
//   L_out = ⌊(L + 2p − d(K−1) − 1) / s⌋ + 1.
// Cost: 2·N·C_out·C_in·K·L_out FLOPs forward, twice that backward.
//
// A block of b samples is unrolled into col (C_in·K, b·L_out) — sized to stay in cache — and
// multiplied by w viewed as (C_out, C_in·K). Blocks are split over the cores (each worker with
// its own scratch and single-threaded sgemm); the backward pass rebuilds each block's columns
// instead of keeping them, as PyTorch does.

/// Padding, stride and dilation of a 1-D convolution.
public struct Conv1DGeometry: Sendable, Equatable {
    public var padding: Int, stride: Int, dilation: Int
    public init(padding: Int = 0, stride: Int = 1, dilation: Int = 1) {
        precondition(padding >= 0 && stride >= 1 && dilation >= 1, "invalid conv geometry")
        self.padding = padding; self.stride = stride; self.dilation = dilation
    }
    public func outputLength(input l: Int, kernel k: Int) -> Int {
        let span = dilation * (k - 1) + 1
        return l + 2 * padding < span ? 0 : (l + 2 * padding - span) / stride + 1
    }
}

/// The extents of one convolution and the raw pointers its kernels share.
struct ConvPlan: @unchecked Sendable {
    let n: Int, cin: Int, l: Int, cout: Int, k: Int, lo: Int
    let g: Conv1DGeometry
    var rows: Int { cin * k }
    /// Samples per block: about 64 Ki floats of columns (L2-resident), at least one sample.
    var samplesPerBlock: Int { max(1, min(n, 65_536 / max(1, rows * lo))) }
    var blocks: Int { (n + samplesPerBlock - 1) / samplesPerBlock }
    /// The most runs of blocks whose weight-gradient sums `conv1dBackward` keeps apart (then adds
    /// in order): enough to share over 8 threads, few enough that adding them is nothing beside
    /// the products.
    static let gradientParts = 8

    init(x: [Int], w: [Int], _ g: Conv1DGeometry) {
        precondition(x.count == 3 && w.count == 3 && x[1] == w[1],
                     "conv1d: input \(x) (N,C,L) and weight \(w) (C_out,C_in,K) disagree")
        (n, cin, l, cout, k) = (x[0], x[1], x[2], w[0], w[2])
        lo = g.outputLength(input: l, kernel: k)
        self.g = g
    }

    /// The output positions t with 0 ≤ t·s + shift < L.
    func validRange(shift: Int) -> Range<Int> {
        let s = g.stride
        let start = shift >= 0 ? 0 : (-shift + s - 1) / s
        let end = l - shift <= 0 ? 0 : min(lo, (l - shift + s - 1) / s)
        return min(start, end)..<max(start, end)
    }

    /// col[(c·K + k), j·L_out + t] = x[n0 + j, c, t·s − p + k·d] for the b samples from n0.
    func im2col(_ x: UnsafePointer<Float>, _ n0: Int, _ b: Int, _ col: UnsafeMutablePointer<Float>) {
        let width = b * lo
        for ci in 0..<cin {
            for kk in 0..<k {
                let shift = kk * g.dilation - g.padding
                let valid = validRange(shift: shift)
                let row = col + (ci * k + kk) * width
                for j in 0..<b {
                    let src = x + ((n0 + j) * cin + ci) * l
                    let dst = row + j * lo
                    if valid.lowerBound > 0 { dst.update(repeating: 0, count: valid.lowerBound) }
                    if g.stride == 1 {
                        (dst + valid.lowerBound).update(from: src + valid.lowerBound + shift, count: valid.count)
                    } else {
                        for t in valid { dst[t] = src[t * g.stride + shift] }
                    }
                    if valid.upperBound < lo { (dst + valid.upperBound).update(repeating: 0, count: lo - valid.upperBound) }
                }
            }
        }
    }

    /// The adjoint of `im2col`: adds the columns back onto dx for the b samples from n0.
    func col2im(_ col: UnsafePointer<Float>, _ n0: Int, _ b: Int, _ dx: UnsafeMutablePointer<Float>) {
        let width = b * lo
        for ci in 0..<cin {
            for kk in 0..<k {
                let shift = kk * g.dilation - g.padding
                let valid = validRange(shift: shift)
                let row = col + (ci * k + kk) * width
                for j in 0..<b {
                    let dst = dx + ((n0 + j) * cin + ci) * l
                    let src = row + j * lo
                    if g.stride == 1 {                                   // contiguous: vectorises
                        let d = dst + shift
                        for t in valid { d[t] += src[t] }
                    } else {
                        for t in valid { dst[t * g.stride + shift] += src[t] }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// y = conv1d(x, w) + bias (bias: (C_out) or nil).
    public static func conv1d(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil, _ g: Conv1DGeometry = .init()) -> Tensor {
        let p = ConvPlan(x: x.shape, w: w.shape, g)
        let (cout, lo, rows, bs) = (p.cout, p.lo, p.rows, p.samplesPerBlock)
        let biasValues = bias?.scalars ?? [Float](repeating: 0, count: cout)
        precondition(biasValues.count == cout, "conv1d: bias \(bias?.shape ?? []) for \(cout) filters")
        var y = [Float](uninitializedCount: p.n * cout * lo)           // every element is written below
        guard !y.isEmpty else { return Tensor(shape: [p.n, cout, lo], scalars: y) }
        x.scalars.withUnsafeBufferPointer { xb in
            w.scalars.withUnsafeBufferPointer { wb in
                biasValues.withUnsafeBufferPointer { bb in
                    y.withUnsafeMutableBufferPointer { yb in
                        nonisolated(unsafe) let (xp, wp, bp, yp) = (xb.baseAddress!, wb.baseAddress!, bb.baseAddress!, yb.baseAddress!)
                        Parallel.forEachWorker(p.blocks) { _, blocks in
                            let col = UnsafeMutablePointer<Float>.allocate(capacity: rows * bs * lo)
                            let out = UnsafeMutablePointer<Float>.allocate(capacity: cout * bs * lo)
                            defer { col.deallocate(); out.deallocate() }
                            for block in blocks {
                                let n0 = block * bs, b = min(bs, p.n - n0), width = b * lo
                                p.im2col(xp, n0, b, col)
                                if b == 1 {                                   // one sample: (C_out, L_out) is y's own layout
                                    let dst = yp + n0 * cout * lo
                                    sgemm(false, false, cout, lo, rows, 1, wp, rows, col, lo, 0, dst, lo)
                                    for o in 0..<cout {
                                        let row = dst + o * lo, beta = bp[o]
                                        for t in 0..<lo { row[t] += beta }
                                    }
                                    continue
                                }
                                sgemm(false, false, cout, width, rows, 1, wp, rows, col, width, 0, out, width)
                                for j in 0..<b {                              // (C_out, b·L_out) → (b, C_out, L_out)
                                    for o in 0..<cout {
                                        let src = out + o * width + j * lo, dst = yp + ((n0 + j) * cout + o) * lo
                                        let beta = bp[o]
                                        for t in 0..<lo { dst[t] = src[t] + beta }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [p.n, cout, lo], scalars: y)
    }

    /// Gradients of conv1d with respect to x (only when `inputGradient`) and to w and bias (only
    /// when `weightGradient`: an attribution map through a fixed network needs ∂L/∂x alone), given
    /// ∂L/∂y: ∂L/∂w = Σ_blocks G·colᵀ, ∂L/∂col = wᵀ·G (scattered back by col2im), ∂L/∂bias = Σ_{n,t} G.
    /// The sums over blocks run in at most `gradientParts` contiguous runs fixed by the block count,
    /// each in block order, the threads taking whole runs: the same bits at any thread count.
    public static func conv1dBackward(_ gy: Tensor, _ x: Tensor, _ w: Tensor, _ g: Conv1DGeometry,
                                      inputGradient: Bool = true, weightGradient: Bool = true) -> (dx: Tensor?, dw: Tensor?, dbias: Tensor?) {
        let p = ConvPlan(x: x.shape, w: w.shape, g)
        let (cout, lo, rows, bs) = (p.cout, p.lo, p.rows, p.samplesPerBlock)
        precondition(gy.shape == [p.n, cout, lo], "conv1dBackward: gradient \(gy.shape) for output \([p.n, cout, lo])")
        let parts = min(p.blocks, ConvPlan.gradientParts), blocks = p.blocks
        var dwParts = [Float](uninitializedCount: weightGradient ? parts * cout * rows : 0)   // each part's first block writes it (β = 0)
        var dbParts = [Float](repeating: 0, count: weightGradient ? parts * cout : 0)
        var dx = [Float](repeating: 0, count: inputGradient ? x.count : 0)
        if p.n * lo > 0 {
            x.scalars.withUnsafeBufferPointer { xb in
                w.scalars.withUnsafeBufferPointer { wb in
                    gy.scalars.withUnsafeBufferPointer { gb in
                        dwParts.withUnsafeMutableBufferPointer { dwb in
                            dbParts.withUnsafeMutableBufferPointer { dbb in
                                dx.withUnsafeMutableBufferPointer { dxb in
                                    nonisolated(unsafe) let (xp, wp, gp) = (xb.baseAddress!, wb.baseAddress!, gb.baseAddress!)
                                    nonisolated(unsafe) let (dwp, dbp, dxp) = (weightGradient ? dwb.baseAddress : nil, weightGradient ? dbb.baseAddress : nil,
                                                                              inputGradient ? dxb.baseAddress : nil)
                                    Parallel.forEachWorker(parts) { _, share in
                                        let col = UnsafeMutablePointer<Float>.allocate(capacity: rows * bs * lo)
                                        let grad = UnsafeMutablePointer<Float>.allocate(capacity: cout * bs * lo)
                                        defer { col.deallocate(); grad.deallocate() }
                                        for part in share {
                                            let dw = dwp.map { $0 + part * cout * rows }, db = dbp.map { $0 + part * cout }
                                            let first = part * blocks / parts
                                            for block in first..<((part + 1) * blocks / parts) {
                                                let n0 = block * bs, b = min(bs, p.n - n0), width = b * lo
                                                // G (C_out, b·L_out): for one sample, gy's own rows; else gathered.
                                                let gmat = b == 1 ? gp + n0 * cout * lo : UnsafePointer(grad)
                                                for j in 0..<b {
                                                    for o in 0..<cout {
                                                        let src = gp + ((n0 + j) * cout + o) * lo
                                                        if b > 1 { (grad + o * width + j * lo).update(from: src, count: lo) }
                                                        if let db { db[o] += laneSum(src, lo) }
                                                    }
                                                }
                                                if let dw {
                                                    p.im2col(xp, n0, b, col)
                                                    sgemm(false, true, cout, rows, width, 1, gmat, width, col, width, block == first ? 0 : 1, dw, rows)
                                                }
                                                if let dxp {
                                                    sgemm(true, false, rows, width, cout, 1, wp, rows, gmat, width, 0, col, width)
                                                    p.col2im(col, n0, b, dxp)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let inputGrad = inputGradient ? Tensor(shape: x.shape, scalars: dx) : nil
        guard weightGradient else { return (inputGrad, nil, nil) }
        var dw = [Float](repeating: 0, count: cout * rows), db = [Float](repeating: 0, count: cout)
        if p.n * lo > 0 {                                                // else no part was written
            let size = cout * rows
            dwParts.withUnsafeBufferPointer { pb in
                dw.withUnsafeMutableBufferPointer { sb in
                    for part in 0..<parts {
                        let src = pb.baseAddress! + part * size
                        for i in 0..<size { sb[i] += src[i] }
                    }
                }
            }
        }
        for part in 0..<parts { for o in 0..<cout { db[o] += dbParts[part * cout + o] } }
        return (inputGrad, Tensor(shape: w.shape, scalars: dw), Tensor(db))
    }
}

/// Σ p[0..<n] with 16 independent partial sums (a strict left-to-right float sum does not vectorise).
@inline(__always)
func laneSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD16<Float>()
    var t = 0
    while t + 16 <= n {
        acc += UnsafeRawPointer(p + t).loadUnaligned(as: SIMD16<Float>.self)
        t += 16
    }
    var s = acc.sum()
    while t < n { s += p[t]; t += 1 }
    return s
}
