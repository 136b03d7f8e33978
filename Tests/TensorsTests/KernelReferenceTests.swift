import Testing
@testable import Tensors

/// Fast kernels (BLAS, im2col, threaded loops) against plain loops on small inputs.
@Suite struct KernelReferenceTests {
    func naiveMatmul(_ a: Tensor, _ b: Tensor) -> Tensor {
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        var c = Tensor(zeros: [m, n])
        for i in 0..<m { for j in 0..<n {
            var s: Double = 0
            for p in 0..<k { s += Double(a[i, p]) * Double(b[p, j]) }
            c[i, j] = Float(s)
        } }
        return c
    }

    func close(_ a: Tensor, _ b: Tensor, _ tol: Float = 1e-4) -> Bool {
        a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { Swift.abs($0 - $1) <= tol * (1 + Swift.abs($1)) }
    }

    @Test(arguments: [(1, 1, 1), (3, 5, 2), (17, 9, 33), (64, 70, 65)])
    func matmulMatchesNaiveLoops(m: Int, k: Int, n: Int) {
        var rng = RandomGenerator(seed: UInt64(m * 1000 + k * 10 + n))
        let a = Tensor.normal([m, k], using: &rng), b = Tensor.normal([k, n], using: &rng)
        #expect(close(Tensor.matmul(a, b), naiveMatmul(a, b)))
        #expect(close(Tensor.matmul(a.transposed(), b, transposeA: true), naiveMatmul(a, b)))
        #expect(close(Tensor.matmul(a, b.transposed(), transposeB: true), naiveMatmul(a, b)))
        #expect(close(Tensor.matmul(a.transposed(), b.transposed(), transposeA: true, transposeB: true), naiveMatmul(a, b)))
    }

    /// Products big enough to be shared in tiles (seqgen's threads, OpenBLAS held at one): bands of
    /// rows (300 × 200 · 200), columns beside too few rows (40 × 600 · 500), both (100 × 700 · 300).
    @Test(arguments: [(300, 200, 200), (40, 500, 600), (100, 300, 700)])
    func tiledMatmulMatchesNaiveLoopsAtAnyThreadCount(m: Int, k: Int, n: Int) {
        var rng = RandomGenerator(seed: UInt64(m + k + n))
        let a = Tensor.normal([m, k], using: &rng), b = Tensor.normal([k, n], using: &rng)
        let want = naiveMatmul(a, b)
        Parallel.withSingleThreadedBLAS {
            let (at, bt) = (a.transposed(), b.transposed())
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                func product() -> Tensor { Tensor.matmul(ta ? at : a, tb ? bt : b, transposeA: ta, transposeB: tb) }
                let one = Parallel.withThreads(1, product)
                #expect(close(one, want, 1e-3), "transposes \(ta) \(tb)")
                for threads in [2, 3, 5] {
                    #expect(Parallel.withThreads(threads, product).scalars == one.scalars, "transposes \(ta) \(tb), \(threads) threads")
                }
            }
        }
    }

    @Test func productTilesCoverTheProductOnce() {
        for (m, n, k) in [(0, 5, 3), (4, 0, 3), (1, 1, 1), (256, 64, 2112), (64, 256, 2112), (300, 200, 200), (40, 600, 500),
                          (100, 700, 300), (5000, 2000, 128), (7, 100_000, 64), (128, 4977, 2000), (5625, 441, 64), (500, 100, 128)] {
            let grid = ProductTiles(m: m, n: n, k: k)
            if m == 0 || n == 0 { #expect(grid.count == 0); continue }
            #expect(grid.count >= 1 && grid.count <= 2 * ProductTiles.maximumTiles, "\(m) \(n) \(k)")
            let bands = (0..<grid.bands).map(grid.rows), strips = (0..<grid.strips).map(grid.columns)
            #expect(bands.first?.lowerBound == 0 && bands.last?.upperBound == m && zip(bands, bands.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(strips.first?.lowerBound == 0 && strips.last?.upperBound == n && zip(strips, strips.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(bands.allSatisfy { !$0.isEmpty } && strips.allSatisfy { !$0.isEmpty })
            let heights = bands.map(\.count)
            if grid.strips == 1 && grid.bands > 1 {
                #expect(bands.allSatisfy { $0.lowerBound % ProductTiles.rowQuantum == 0 }, "bands of whole 48-row quanta")
                #expect(heights.max()! - heights.min()! < 2 * ProductTiles.rowQuantum, "\(heights)")
            }
            if grid.strips > 1 { #expect(heights.max()! - heights.min()! <= 1, "equal bands beside strips: \(heights)") }
            if m * n * k < 2 * ProductTiles.multiplyAddsPerTile { #expect(grid.count == 1, "small products are one call") }
            else if m >= 2 * ProductTiles.rowQuantum || n > ProductTiles.columnQuantum { #expect(grid.count > 1, "\(m) \(n) \(k) is shared") }
        }
    }

    @Test func batchedMatmulIsTheSameAtAnyThreadCount() {
        var rng = RandomGenerator(seed: 5)
        let a = Tensor.normal([24, 64, 32], using: &rng), b = Tensor.normal([24, 32, 64], using: &rng)
        Parallel.withSingleThreadedBLAS {
            let one = Parallel.withThreads(1) { Tensor.batchedMatmul(a, b) }
            for threads in [2, 3] { #expect(Parallel.withThreads(threads) { Tensor.batchedMatmul(a, b) }.scalars == one.scalars) }
        }
    }

    /// Row broadcasts (a bias over rows, either operand first, leading 1s) against the general
    /// broadcasting loop, and permutes against the element-by-element definition, at 1–3 threads.
    @Test func rowBroadcastsAndPermutesMatchTheirDefinitionsAtAnyThreadCount() {
        var rng = RandomGenerator(seed: 8)
        let x = Tensor.normal([300, 7, 64], using: &rng), bias = Tensor.normal([64], using: &rng), plane = Tensor.normal([1, 7, 64], using: &rng)
        for (a, b) in [(x, bias), (bias, x), (x, plane), (plane, x), (Tensor.normal([5, 3], using: &rng), Tensor.normal([1, 3], using: &rng))] {
            for threads in [1, 2, 3] {
                Parallel.withThreads(threads) {
                    #expect((a + b).scalars == a.broadcastZip(b, +).scalars && (a - b).scalars == a.broadcastZip(b, -).scalars)
                    #expect((a * b).scalars == a.broadcastZip(b, *).scalars && (a / b).scalars == a.broadcastZip(b, /).scalars)
                    #expect(Tensor.maximum(a, b).scalars == a.broadcastZip(b, { Swift.max($0, $1) }).scalars)
                }
            }
        }
        #expect(x.rowBroadcastChunks(Tensor.normal([7, 1], using: &rng)) { _, _, _, _ in } == nil, "a column is no row")
        #expect(x.rowBroadcastChunks(bias) { _, _, _, _ in } != nil)
        let column = Tensor.normal([300, 7, 1], using: &rng)
        #expect(column.broadcast(to: [300, 7, 64]).scalars == column.broadcastZip(Tensor(zeros: [300, 7, 64])) { a, _ in a }.scalars)
        #expect((x * column).scalars == x.broadcastZip(column, *).scalars && (Tensor([2]) - x).scalars == x.map { 2 - $0 }.scalars)
        let t = Tensor.normal([6, 50, 3, 4, 16], using: &rng)
        for axes in [[2, 0, 3, 1, 4], [0, 2, 1, 3, 4], [4, 3, 2, 1, 0], [1, 0, 2, 4, 3]] {
            let shape = axes.map { t.shape[$0] }, strides = t.strides
            var want = [Float](repeating: 0, count: t.count)
            for o in 0..<t.count {
                var rest = o, source = 0
                for k in stride(from: 4, through: 0, by: -1) { source += (rest % shape[k]) * strides[axes[k]]; rest /= shape[k] }
                want[o] = t.scalars[source]
            }
            for threads in [1, 2, 3] { #expect(Parallel.withThreads(threads) { t.permuted(axes) }.scalars == want, "\(axes), \(threads) threads") }
        }
    }

    @Test func batchedMatmulMatchesPerBatchProducts() {
        var rng = RandomGenerator(seed: 4)
        let a = Tensor.normal([3, 4, 5], using: &rng), b = Tensor.normal([3, 5, 2], using: &rng)
        let c = Tensor.batchedMatmul(a, b)
        for i in 0..<3 {
            let ai = a.slice(alongAxis: 0, i..<(i + 1)).reshaped([4, 5])
            let bi = b.slice(alongAxis: 0, i..<(i + 1)).reshaped([5, 2])
            #expect(close(c.slice(alongAxis: 0, i..<(i + 1)).reshaped([4, 2]), naiveMatmul(ai, bi)))
        }
    }

    func naiveConv(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ g: Conv1DGeometry) -> Tensor {
        let (n, cin, l) = (x.shape[0], x.shape[1], x.shape[2])
        let (cout, k) = (w.shape[0], w.shape[2])
        let lo = g.outputLength(input: l, kernel: k)
        var y = Tensor(zeros: [n, cout, lo])
        for b in 0..<n { for o in 0..<cout { for t in 0..<lo {
            var s = bias?[o] ?? 0
            for c in 0..<cin { for kk in 0..<k {
                let p = t * g.stride - g.padding + kk * g.dilation
                if p >= 0 && p < l { s += w[o, c, kk] * x[b, c, p] }
            } }
            y[b, o, t] = s
        } } }
        return y
    }

    @Test(arguments: [Conv1DGeometry(), Conv1DGeometry(padding: 3), Conv1DGeometry(padding: 1, stride: 2),
                      Conv1DGeometry(padding: 4, stride: 3, dilation: 2)])
    func conv1dMatchesNaiveLoops(geometry: Conv1DGeometry) {
        var rng = RandomGenerator(seed: 9)
        let x = Tensor.normal([3, 4, 23], using: &rng)
        let w = Tensor.normal([5, 4, 5], using: &rng)
        let bias = Tensor.normal([5], using: &rng)
        #expect(close(Tensor.conv1d(x, w, bias: bias, geometry), naiveConv(x, w, bias, geometry), 1e-4))
    }

    @Test func conv1dOutputLength() {
        #expect(Conv1DGeometry(padding: 9).outputLength(input: 200, kernel: 19) == 200)
        #expect(Conv1DGeometry(stride: 2).outputLength(input: 10, kernel: 3) == 4)
        #expect(Conv1DGeometry().outputLength(input: 2, kernel: 3) == 0)
    }

    @Test func poolingMatchesNaiveLoops() {
        var rng = RandomGenerator(seed: 10)
        let x = Tensor.normal([2, 3, 11], using: &rng)
        let (m, arg) = Tensor.maxPool1d(x, size: 3, stride: 2)
        #expect(m.shape == [2, 3, 5])
        let a = Tensor.avgPool1d(x, size: 4)
        #expect(a.shape == [2, 3, 2])
        for b in 0..<2 { for c in 0..<3 {
            for t in 0..<5 {
                let window = (0..<3).map { x[b, c, 2 * t + $0] }
                #expect(m[b, c, t] == window.max()!)
                #expect(x.scalars[Int(arg[(b * 3 + c) * 5 + t])] == window.max()!)
            }
            for t in 0..<2 {
                #expect(Swift.abs(a[b, c, t] - (0..<4).map { x[b, c, 4 * t + $0] }.reduce(0, +) / 4) < 1e-6)
            }
        } }
    }

    /// The threaded max-pool adjoint (lanes split over the workers) against a plain scatter, on a
    /// tensor large enough to split, with overlapping windows so that some inputs take two gradients.
    @Test func maxPoolBackwardMatchesAPlainScatter() {
        var rng = RandomGenerator(seed: 12)
        let x = Tensor.normal([40, 16, 300], using: &rng)
        let (m, arg) = Tensor.maxPool1d(x, size: 5, stride: 3)
        let gy = Tensor.normal(m.shape, using: &rng)
        var expected = [Float](repeating: 0, count: x.count)
        for k in 0..<gy.count { expected[Int(arg[k])] += gy.scalars[k] }
        #expect(Tensor.maxPool1dBackward(gy, argmax: arg, inputShape: x.shape).scalars == expected)
    }

    /// Backward of the blocked, threaded conv1d against plain loops, on enough samples that the
    /// work splits into many blocks (one sample each here) over both workers.
    @Test(arguments: [Conv1DGeometry(padding: 4), Conv1DGeometry(padding: 2, stride: 2, dilation: 2)])
    func conv1dBackwardMatchesNaiveLoops(geometry g: Conv1DGeometry) {
        var rng = RandomGenerator(seed: 11)
        let x = Tensor.normal([40, 16, 300], using: &rng), w = Tensor.normal([8, 16, 9], using: &rng)
        let lo = g.outputLength(input: 300, kernel: 9)
        let gy = Tensor.normal([40, 8, lo], using: &rng)
        #expect(close(Tensor.conv1d(x, w, bias: nil, g), naiveConv(x, w, nil, g), 1e-4))
        var dx = Tensor(zeros: x.shape), dw = Tensor(zeros: w.shape), db = Tensor(zeros: [8])
        x.scalars.withUnsafeBufferPointer { xp in
            gy.scalars.withUnsafeBufferPointer { gp in
                w.scalars.withUnsafeBufferPointer { wp in
                    for b in 0..<40 { for o in 0..<8 { for t in 0..<lo {
                        let gv = gp[(b * 8 + o) * lo + t]
                        db.scalars[o] += gv
                        for c in 0..<16 { for kk in 0..<9 {
                            let p = t * g.stride - g.padding + kk * g.dilation
                            guard p >= 0 && p < 300 else { continue }
                            dw.scalars[(o * 16 + c) * 9 + kk] += gv * xp[(b * 16 + c) * 300 + p]
                            dx.scalars[(b * 16 + c) * 300 + p] += gv * wp[(o * 16 + c) * 9 + kk]
                        } }
                    } } }
                }
            }
        }
        let fast = Tensor.conv1dBackward(gy, x, w, g)
        #expect(close(fast.dx!, dx, 1e-3))
        #expect(close(fast.dw!, dw, 1e-3))
        #expect(close(fast.dbias!, db, 1e-3))
        let noInput = Tensor.conv1dBackward(gy, x, w, g, inputGradient: false)
        #expect(noInput.dx == nil && noInput.dw == fast.dw && noInput.dbias == fast.dbias)
        let inputOnly = Tensor.conv1dBackward(gy, x, w, g, weightGradient: false)   // a fixed network's
        #expect(inputOnly.dx == fast.dx && inputOnly.dw == nil && inputOnly.dbias == nil)
        for threads in [1, 2, 3, 5] {                      // the sums over blocks are fixed by the block count
            let other = Parallel.withThreads(threads) { Tensor.conv1dBackward(gy, x, w, g) }
            #expect(other.dx == fast.dx && other.dw == fast.dw && other.dbias == fast.dbias, "\(threads) threads")
        }
    }

    @Test func maxPoolValuesOnlyMatchesIndexedPool() {
        var rng = RandomGenerator(seed: 12)
        let x = Tensor.normal([30, 40, 50], using: &rng)
        let (values, indices) = Tensor.maxPool1d(x, size: 4, indices: false)
        let (reference, where_) = Tensor.maxPool1d(x, size: 4)
        #expect(indices.isEmpty && values == reference)
        #expect(zip(where_, reference.scalars).allSatisfy { x.scalars[Int($0)] == $1 })
    }

    /// Windows of 16 or more (the 16-lane path: whole vectors, a tail, windows that overlap), short
    /// windows that tile the rows (four chains at a time: 200 = 50·4 = 100·2 = 40·5) or do not
    /// (200 = 66·3 + 2), and ties (ReLU zeros, repeated maxima): the maximum and the first position
    /// holding it, as the plain loop finds them.
    @Test(arguments: [(50, 50), (16, 16), (33, 7), (17, 17), (3, 1), (4, 4), (2, 2), (5, 5), (3, 3), (4, 2), (1, 1), (15, 15)])
    func maxPoolLongWindowsMatchNaiveLoops(size: Int, stride: Int) {
        var rng = RandomGenerator(seed: 14)
        var x = Tensor.normal([3, 4, 200], using: &rng)
        for k in x.scalars.indices where k % 3 == 0 { x.scalars[k] = Swift.max(0, x.scalars[k]) }       // many zeros
        for k in x.scalars.indices where k % 7 == 0 { x.scalars[k] = 2.5 }                               // repeated maxima
        let (m, arg) = Tensor.maxPool1d(x, size: size, stride: stride)
        let (values, _) = Tensor.maxPool1d(x, size: size, stride: stride, indices: false)
        let lo = (200 - size) / stride + 1
        #expect(m.shape == [3, 4, lo] && values == m)
        for lane in 0..<12 { for t in 0..<lo {
            let start = lane * 200 + t * stride
            var best = start
            for j in 1..<size where x.scalars[start + j] > x.scalars[best] { best = start + j }
            #expect(m.scalars[lane * lo + t] == x.scalars[best] && Int(arg[lane * lo + t]) == best)
        } }
    }

    /// Fused batch-norm kernels against the statistics written out by hand.
    @Test func batchNormMatchesPlainStatistics() {
        var rng = RandomGenerator(seed: 13)
        let x = Tensor.normal([7, 3, 9], mean: 2, std: 3, using: &rng)
        let gamma = Tensor.normal([3], using: &rng), beta = Tensor.normal([3], using: &rng)
        let (y, stats) = Tensor.batchNorm(x, gamma: gamma, beta: beta, epsilon: 1e-5)
        for c in 0..<3 {
            let values = (0..<7).flatMap { n in (0..<9).map { x[n, c, $0] } }
            let mu = values.reduce(0, +) / Float(values.count)
            let variance = values.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Float(values.count)
            #expect(Swift.abs(stats.mean.scalars[c] - mu) < 1e-4 && Swift.abs(stats.variance.scalars[c] - variance) < 1e-3)
            let expected = gamma.scalars[c] * (x[4, c, 5] - mu) / (variance + 1e-5).squareRoot() + beta.scalars[c]
            #expect(Swift.abs(y[4, c, 5] - expected) < 1e-4)
        }
        #expect(stats.fromBatch)
    }
}

/// Products write every element of a fresh (uninitialised) output, including the empty sums.
@Suite struct MatMulOutputTests {
    @Test func emptyInnerExtentGivesZeros() {
        for _ in 0..<4 {                                   // fresh buffers may hold anything
            let c = Tensor.matmul(Tensor(shape: [64, 0], scalars: []), Tensor(shape: [0, 48], scalars: []))
            #expect(c.shape == [64, 48] && c.scalars.allSatisfy { $0 == 0 })
            let b = Tensor.batchedMatmul(Tensor(shape: [3, 16, 0], scalars: []), Tensor(shape: [3, 0, 8], scalars: []))
            #expect(b.shape == [3, 16, 8] && b.scalars.allSatisfy { $0 == 0 })
        }
    }
}
