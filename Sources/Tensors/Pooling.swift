// 1-D pooling over the last axis of (N, C, L): windows of `size`, step `stride`,
// L_out = ⌊(L − size) / stride⌋ + 1 (no padding; trailing positions that do not fill a window are dropped).

extension Tensor {
    /// y[n,c,t] = max_{0≤j<size} x[n,c,t·stride + j]; also returns the flat index of each maximum.
    public static func maxPool1d(_ x: Tensor, size: Int, stride: Int? = nil) -> (Tensor, [Int32]) {
        let s = stride ?? size
        precondition(x.rank == 3 && size >= 1 && s >= 1, "maxPool1d needs (N,C,L) input and size, stride ≥ 1")
        let (lanes, l) = (x.shape[0] * x.shape[1], x.shape[2])
        let lo = l < size ? 0 : (l - size) / s + 1
        var y = [Float](repeating: 0, count: lanes * lo)
        var where_ = [Int32](repeating: 0, count: lanes * lo)
        x.scalars.withUnsafeBufferPointer { xp in
            for lane in 0..<lanes {
                for t in 0..<lo {
                    let start = lane * l + t * s
                    var best = start
                    for j in 1..<size where xp[start + j] > xp[best] { best = start + j }
                    y[lane * lo + t] = xp[best]
                    where_[lane * lo + t] = Int32(best)
                }
            }
        }
        return (Tensor(shape: [x.shape[0], x.shape[1], lo], scalars: y), where_)
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
