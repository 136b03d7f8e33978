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
                    ProductTiles.product(transposeA, transposeB, m, n, k, pa.baseAddress!, a.shape[1], pb.baseAddress!, b.shape[1], pc.baseAddress!)
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
                    nonisolated(unsafe) let (x, y, z) = (pa.baseAddress!, pb.baseAddress!, pc.baseAddress!)
                    let (lda, ldb) = (a.shape[2], b.shape[2])
                    // One sgemm per item, whoever runs it: the items share seqgen's threads when
                    // OpenBLAS is held at one (see ProductTiles).
                    let perItem = Swift.max(1, ProductTiles.multiplyAddsPerTile / Swift.max(1, m * n * k))
                    ProductTiles.forEachShare(batch, minimumPerThread: perItem) { items in
                        for i in items {
                            sgemm(transposeA, transposeB, m, n, k, 1, x + i * sa, lda, y + i * sb, ldb, 0, z + i * m * n, n)
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch, m, n], scalars: c)
    }
}

/// How a product C (m × n) = op(A)·op(B) is shared over seqgen's threads when seqgen owns the
/// cores (OpenBLAS held at one thread, as every command that threads its own work holds it): C is
/// cut into a grid of tiles fixed by (m, n, k) alone, each tile one single-threaded sgemm, and the
/// threads take whole tiles. A tile's bits do not depend on which thread computes it, so C is the
/// same at any thread count (OpenBLAS's own threading splits by its thread count, and its results
/// differ in the last bits from its one-thread path at most sizes). Where OpenBLAS has threads of
/// its own, the product is one call and OpenBLAS threads it.
///
/// Tiles are bands of whole 48-row quanta while the product has enough of them. Under OpenBLAS's
/// Haswell kernel such bands have the bits of the undivided call (16 shapes, every transpose case:
/// bands of 24, 48, 96, 144, 192 and 240 rows do, of 16, 37 and 64 rows do not), so a band split
/// changes nothing there. A product with fewer rows than tiles wanted (a minibatch times a wide
/// layer) is cut into equal bands and strips of whole 64-column blocks, which changes the last bits.
@usableFromInline
struct ProductTiles: Sendable {
    /// Multiply-adds per tile at least (≈ 0.1 ms of arithmetic on one core): a tile also packs
    /// its panels of A and B and may cost a thread hand-off of ≈ 10 µs.
    @usableFromInline static let multiplyAddsPerTile = 1 << 21
    /// At most about this many tiles: enough to share among a few cores without idling one.
    static let maximumTiles = 64
    static let rowQuantum = 48, columnQuantum = 64

    let m: Int, n: Int
    /// Whole 48-row quanta of the rows and 64-column blocks of the columns (the last may be short).
    let quanta: Int, blocks: Int
    /// Bands of rows and strips of columns; tile t is band t / strips, strip t % strips.
    let bands: Int, strips: Int
    /// Whether band boundaries fall on whole 48-row quanta (no column strips).
    let quantised: Bool
    var count: Int { bands * strips }

    init(m: Int, n: Int, k: Int) {
        self.m = m; self.n = n
        let wanted = Swift.min(Self.maximumTiles, Swift.max(1, m * n * k / Self.multiplyAddsPerTile))
        quanta = m / Self.rowQuantum
        blocks = (n + Self.columnQuantum - 1) / Self.columnQuantum
        if m == 0 || n == 0 {
            (bands, strips, quantised) = (0, 0, true)
        } else if wanted == 1 || quanta >= wanted || blocks == 1 {
            (bands, strips, quantised) = (Swift.max(1, Swift.min(wanted, quanta)), 1, true)
        } else {
            let b = Swift.max(1, quanta)
            (bands, strips, quantised) = (b, Swift.min(blocks, (wanted + b - 1) / b), false)
        }
    }

    /// The rows of band `i`: whole 48-row quanta shared as evenly as they go (the last band also
    /// takes the rows after the last whole quantum), or equal shares of the rows beside strips.
    func rows(_ i: Int) -> Range<Int> {
        guard quantised else { return (i * m / bands)..<((i + 1) * m / bands) }
        return (Self.rowQuantum * (i * quanta / bands))..<(i == bands - 1 ? m : Self.rowQuantum * ((i + 1) * quanta / bands))
    }

    /// The columns of strip `j`: whole 64-column blocks shared as evenly as they go.
    func columns(_ j: Int) -> Range<Int> {
        guard strips > 1 else { return 0..<n }
        return (Self.columnQuantum * (j * blocks / strips))..<(j == strips - 1 ? n : Self.columnQuantum * ((j + 1) * blocks / strips))
    }

    /// C = op(A)·op(B) (β = 0, so C may start uninitialised), by tiles when OpenBLAS is held at one
    /// thread, else as one OpenBLAS call.
    @usableFromInline
    static func product(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int,
                        _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                        _ c: UnsafeMutablePointer<Float>) {
        let grid = ProductTiles(m: m, n: n, k: k)
        guard grid.count > 1, BLAS.threads == 1 else {
            sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 0, c, n)
            return
        }
        nonisolated(unsafe) let (x, y, z) = (a, b, c)
        Parallel.forEachChunk(grid.count, minimumPerThread: 1) { tiles in
            for t in tiles {
                let (rows, columns) = (grid.rows(t / grid.strips), grid.columns(t % grid.strips))
                let (r0, c0) = (rows.lowerBound, columns.lowerBound)
                // Row r0 of op(A), column c0 of op(B), in their stored layouts.
                let ap = transA ? x + r0 : x + r0 * lda
                let bp = transB ? y + c0 * ldb : y + c0
                sgemm(transA, transB, rows.count, columns.count, k, 1, ap, lda, bp, ldb, 0, z + r0 * n + c0, n)
            }
        }
    }

    /// `body` over chunks of `0..<count` on seqgen's threads when OpenBLAS is held at one thread
    /// (each item's result must not depend on the chunk it falls in), else on the calling thread.
    @usableFromInline
    static func forEachShare(_ count: Int, minimumPerThread: Int, _ body: @Sendable (Range<Int>) -> Void) {
        if BLAS.threads == 1 { Parallel.forEachChunk(count, minimumPerThread: minimumPerThread, body) } else { body(0..<count) }
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
