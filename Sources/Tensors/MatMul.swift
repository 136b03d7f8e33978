import CBLAS

// Matrix products through OpenBLAS sgemm (`BLAS.sgemm`) (2·m·n·k FLOPs each).

extension Tensor {
    /// C = op(A)·op(B) for rank-2 A, B; op transposes when the flag is set.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2, "matmul needs rank-2 operands, got \(a.shape) and \(b.shape)")
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (k2, n) = transposeB ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        precondition(k == k2, "matmul inner extents differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
        var c = [Float](uninitializedCount: m * n)                      // sgemm with β = 0 writes every element
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    sgemm(transposeA, transposeB, m, n, k, 1, pa.baseAddress!, a.shape[1], pb.baseAddress!, b.shape[1], 0, pc.baseAddress!, n)
                }
            }
        }
        return Tensor(shape: [m, n], scalars: c)
    }

    /// Batched product over a leading axis: (B,m,k)·(B,k,n) → (B,m,n); a batch of 1 broadcasts.
    public static func batchedMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        precondition(a.rank == 3 && b.rank == 3, "batchedMatmul needs rank-3 operands, got \(a.shape) and \(b.shape)")
        let batch = Swift.max(a.shape[0], b.shape[0])
        precondition((a.shape[0] == batch || a.shape[0] == 1) && (b.shape[0] == batch || b.shape[0] == 1),
                     "batch extents \(a.shape[0]) and \(b.shape[0]) do not broadcast")
        let (m, k) = transposeA ? (a.shape[2], a.shape[1]) : (a.shape[1], a.shape[2])
        let (k2, n) = transposeB ? (b.shape[2], b.shape[1]) : (b.shape[1], b.shape[2])
        precondition(k == k2, "batchedMatmul inner extents differ: \(a.shape) · \(b.shape)")
        let sa = a.shape[0] == 1 ? 0 : a.shape[1] * a.shape[2]
        let sb = b.shape[0] == 1 ? 0 : b.shape[1] * b.shape[2]
        var c = [Float](uninitializedCount: batch * m * n)              // sgemm with β = 0 writes every element
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<batch {
                        sgemm(transposeA, transposeB, m, n, k, 1, pa.baseAddress! + i * sa, a.shape[2],
                              pb.baseAddress! + i * sb, b.shape[2], 0, pc.baseAddress! + i * m * n, n)
                    }
                }
            }
        }
        return Tensor(shape: [batch, m, n], scalars: c)
    }
}

/// Row-major C(m×n) = α·op(A)·op(B) + β·C, with leading dimensions of the stored matrices. With
/// β = 0, C is not read (as BLAS specifies), so it may start uninitialised.
@inlinable
public func sgemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                  _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                  _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    guard m > 0 && n > 0 else { return }
    if k == 0 {
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta } }
        return
    }
    BLAS.sgemm(transA, transB, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
