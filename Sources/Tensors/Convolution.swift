// 1-D convolution (cross-correlation, as in PyTorch) by im2col + one sgemm.
//
// x: (N, C_in, L), w: (C_out, C_in, K), y: (N, C_out, L_out) with
//   y[n,o,t] = Σ_{c,k} w[o,c,k] · x[n, c, t·s − p + k·d]   (zero outside 0..<L)
//   L_out = ⌊(L + 2p − d(K−1) − 1) / s⌋ + 1.
// Cost: 2·N·C_out·C_in·K·L_out FLOPs forward, twice that backward.

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

extension Tensor {
    /// col[(c·K + k), n·L_out + t] = x[n, c, t·s − p + k·d], shape (C_in·K, N·L_out).
    static func im2col(_ x: Tensor, kernel k: Int, _ g: Conv1DGeometry) -> Tensor {
        let (n, c, l) = (x.shape[0], x.shape[1], x.shape[2])
        let lo = g.outputLength(input: l, kernel: k)
        var col = [Float](repeating: 0, count: c * k * n * lo)
        x.scalars.withUnsafeBufferPointer { xp in
            col.withUnsafeMutableBufferPointer { cp in
                for ci in 0..<c {
                    for kk in 0..<k {
                        let row = (ci * k + kk) * n * lo
                        let shift = kk * g.dilation - g.padding
                        for b in 0..<n {
                            let src = (b * c + ci) * l
                            let dst = row + b * lo
                            for t in 0..<lo {
                                let pos = t * g.stride + shift
                                if pos >= 0 && pos < l { cp[dst + t] = xp[src + pos] }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [c * k, n * lo], scalars: col)
    }

    /// The adjoint of `im2col`: scatter-adds columns back to an (N, C_in, L) tensor.
    static func col2im(_ col: Tensor, inputShape: [Int], kernel k: Int, _ g: Conv1DGeometry) -> Tensor {
        let (n, c, l) = (inputShape[0], inputShape[1], inputShape[2])
        let lo = g.outputLength(input: l, kernel: k)
        var x = [Float](repeating: 0, count: n * c * l)
        col.scalars.withUnsafeBufferPointer { cp in
            x.withUnsafeMutableBufferPointer { xp in
                for ci in 0..<c {
                    for kk in 0..<k {
                        let row = (ci * k + kk) * n * lo
                        let shift = kk * g.dilation - g.padding
                        for b in 0..<n {
                            let dst = (b * c + ci) * l
                            let src = row + b * lo
                            for t in 0..<lo {
                                let pos = t * g.stride + shift
                                if pos >= 0 && pos < l { xp[dst + pos] += cp[src + t] }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: inputShape, scalars: x)
    }

    /// y = conv1d(x, w) + bias (bias: (C_out) or nil).
    public static func conv1d(_ x: Tensor, _ w: Tensor, bias: Tensor? = nil, _ g: Conv1DGeometry = .init()) -> Tensor {
        precondition(x.rank == 3 && w.rank == 3 && x.shape[1] == w.shape[1],
                     "conv1d: input \(x.shape) (N,C,L) and weight \(w.shape) (C_out,C_in,K) disagree")
        let (n, cout, k) = (x.shape[0], w.shape[0], w.shape[2])
        let lo = g.outputLength(input: x.shape[2], kernel: k)
        let col = im2col(x, kernel: k, g)
        let y2 = matmul(w.reshaped([cout, -1]), col)                      // (C_out, N·L_out)
        var y = y2.reshaped([cout, n, lo]).permuted([1, 0, 2])             // (N, C_out, L_out)
        if let bias { y = y + bias.reshaped([1, cout, 1]) }
        return y
    }

    /// Gradients of conv1d with respect to x, w and bias, given ∂L/∂y.
    public static func conv1dBackward(_ gy: Tensor, _ x: Tensor, _ w: Tensor, _ g: Conv1DGeometry)
        -> (dx: Tensor, dw: Tensor, dbias: Tensor) {
        let (cout, k) = (w.shape[0], w.shape[2])
        let g2 = gy.permuted([1, 0, 2]).reshaped([cout, -1])               // (C_out, N·L_out)
        let col = im2col(x, kernel: k, g)
        let dw = matmul(g2, col, transposeB: true).reshaped(w.shape)
        let dcol = matmul(w.reshaped([cout, -1]), g2, transposeA: true)    // (C_in·K, N·L_out)
        let dx = col2im(dcol, inputShape: x.shape, kernel: k, g)
        return (dx, dw, g2.sum(alongAxis: 1))
    }
}
