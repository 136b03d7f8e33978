import Tensors

/// Level-1 vector operations for L-BFGS on long Float vectors (millions of couplings), split over
/// threads in contiguous chunks. Memory-bound: each pass streams the vectors once.
enum VectorOps {
    /// Σ a_i b_i, each chunk accumulated in double precision.
    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        let n = a.count
        let chunks = reductionChunks(n)
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: chunks)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0, count: chunks)
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                nonisolated(unsafe) let (x, y, out) = (ab.baseAddress!, bb.baseAddress!, partial)
                Parallel.forEachChunk(chunks, minimumPerThread: 1) { range in
                    for c in range {
                        let (lo, hi) = (c * n / chunks, (c + 1) * n / chunks)
                        var acc = SIMD8<Double>(repeating: 0)
                        var i = lo
                        while i + 16 <= hi {
                            let u = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
                            let v = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
                            let p = u * v
                            acc += SIMD8<Double>(p.lowHalf) + SIMD8<Double>(p.highHalf)
                            i += 16
                        }
                        var s = acc.sum()
                        while i < hi { s += Double(x[i]) * Double(y[i]); i += 1 }
                        out[c] = s
                    }
                }
            }
        }
        return (0..<chunks).reduce(0.0) { $0 + partial[$1] }
    }

    /// The chunks a reduction is summed in: at most two (one per core of a 2-core machine), fixed by
    /// n alone, so a sum — and an L-BFGS run's bits — do not depend on the thread count (they did:
    /// a Potts fit at --threads 3 differed from 1, 2 and 5 in its last bits). The passes are
    /// memory-bound; two threads stream them near the bandwidth.
    static func reductionChunks(_ n: Int) -> Int { Swift.min(2, Swift.max(1, n / (1 << 16))) }

    /// One inner product Σ_k a_k·b_k, or Σ_k a_k·(w_k·b_k) with a weight vector w.
    struct Product {
        var a: UnsafePointer<Float>, b: UnsafePointer<Float>, w: UnsafePointer<Float>?
    }

    /// Elements per block of `innerProducts`: the block's slice of every vector stays in L2 while
    /// all products that use it are summed.
    static let productBlock = 4096

    /// Many inner products of n-vectors in one blocked pass, so each vector is streamed from memory
    /// once however many products read it; `prologue(lo, hi)` runs on each block before its
    /// products (e.g. to form a difference of two vectors in place). Chunks (`reductionChunks`, as
    /// `dot`), blocks and the order of summation depend only on n, so a
    /// product's value does not depend on which other products share the pass.
    static func innerProducts(count n: Int, _ products: [Product], prologue: ((Int, Int) -> Void)? = nil) -> [Double] {
        let k = products.count
        let chunks = reductionChunks(n)
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: chunks * Swift.max(k, 1))
        defer { partial.deallocate() }
        partial.initialize(repeating: 0, count: chunks * Swift.max(k, 1))
        nonisolated(unsafe) let (out, list, before) = (partial, products, prologue)
        Parallel.forEachChunk(chunks, minimumPerThread: 1) { range in
            var acc = [SIMD8<Double>](repeating: SIMD8<Double>(repeating: 0), count: k)
            var tail = [Double](repeating: 0, count: k)
            for c in range {
                for p in 0..<k { acc[p] = SIMD8<Double>(repeating: 0); tail[p] = 0 }
                let (lo, hi) = (c * n / chunks, (c + 1) * n / chunks)
                var start = lo
                while start < hi {
                    let end = Swift.min(hi, start + productBlock)
                    before?(start, end)
                    for (p, q) in list.enumerated() {
                        var sum = acc[p]
                        var i = start
                        // 16 float lanes summed over 256 elements at a time, then added in double: one
                        // FMA per 16 products instead of two conversions and two double adds.
                        while i + 256 <= end {
                            var part = SIMD16<Float>(repeating: 0)
                            if let w = q.w {
                                for t in stride(from: i, to: i + 256, by: 16) {
                                    let v = UnsafeRawPointer(q.b + t).loadUnaligned(as: SIMD16<Float>.self) * UnsafeRawPointer(w + t).loadUnaligned(as: SIMD16<Float>.self)
                                    part.addProduct(UnsafeRawPointer(q.a + t).loadUnaligned(as: SIMD16<Float>.self), v)
                                }
                            } else {
                                for t in stride(from: i, to: i + 256, by: 16) {
                                    part.addProduct(UnsafeRawPointer(q.a + t).loadUnaligned(as: SIMD16<Float>.self), UnsafeRawPointer(q.b + t).loadUnaligned(as: SIMD16<Float>.self))
                                }
                            }
                            sum += SIMD8<Double>(part.lowHalf) + SIMD8<Double>(part.highHalf)
                            i += 256
                        }
                        if let w = q.w {
                            while i < end { tail[p] += Double(q.a[i]) * Double(q.b[i] * w[i]); i += 1 }
                        } else {
                            while i < end { tail[p] += Double(q.a[i]) * Double(q.b[i]); i += 1 }
                        }
                        acc[p] = sum
                    }
                    start = end
                }
                for p in 0..<k { out[c * k + p] = acc[p].sum() + tail[p] }
            }
        }
        return (0..<k).map { p in (0..<chunks).reduce(0.0) { $0 + partial[$1 * k + p] } }
    }

    /// d ← −(w ⊙ (α·g + Σ_j a_j·y_j) + Σ_i c_i·s_i) (w = 1 when nil): the L-BFGS direction from its
    /// coefficients, in one pass over the vectors, block by block (each block of d stays in L1/L2
    /// while every vector's slice is added to it).
    static func combination(into d: inout [Float], weight w: [Float]?, alpha: Float, g: [Float],
                            ys: [[Float]], a: [Float], ss: [[Float]], c: [Float]) {
        let n = d.count, ny = ys.count, ns = ss.count
        precondition(g.count == n && a.count == ny && c.count == ns && (w?.count ?? n) == n)
        withPointers([g] + ys + ss + (w.map { [$0] } ?? [])) { pointers in
            d.withUnsafeMutableBufferPointer { db in
                nonisolated(unsafe) let (dp, p) = (db.baseAddress!, pointers)
                let weighted = w != nil
                Parallel.forEachChunk(n, minimumPerThread: 1 << 16) { r in
                    var start = r.lowerBound
                    while start < r.upperBound {
                        let end = Swift.min(r.upperBound, start + productBlock)
                        let gp = p[0]
                        for i in start..<end { dp[i] = alpha * gp[i] }
                        for j in 0..<ny { let (y, aj) = (p[1 + j], a[j]); for i in start..<end { dp[i] += aj * y[i] } }
                        if weighted { let wp = p[1 + ny + ns]; for i in start..<end { dp[i] *= wp[i] } }
                        for j in 0..<ns { let (sv, cj) = (p[1 + ny + j], c[j]); for i in start..<end { dp[i] += cj * sv[i] } }
                        for i in start..<end { dp[i] = -dp[i] }
                        start = end
                    }
                }
            }
        }
    }

    /// out ← x + α·d.
    static func addScaled(_ x: [Float], _ alpha: Float, _ d: [Float], into out: inout [Float]) {
        precondition(x.count == d.count && out.count == x.count)
        x.withUnsafeBufferPointer { xb in
            d.withUnsafeBufferPointer { db in
                out.withUnsafeMutableBufferPointer { ob in
                    nonisolated(unsafe) let (u, v, z) = (xb.baseAddress!, db.baseAddress!, ob.baseAddress!)
                    Parallel.forEachChunk(x.count, minimumPerThread: 1 << 16) { r in for i in r { z[i] = u[i] + alpha * v[i] } }
                }
            }
        }
    }

    /// `body` with a pointer to the elements of each array (none may be empty).
    static func withPointers<R>(_ arrays: [[Float]], _ body: ([UnsafePointer<Float>]) -> R) -> R {
        var pointers: [UnsafePointer<Float>] = []
        func nest(_ k: Int) -> R {
            if k == arrays.count { return body(pointers) }
            return arrays[k].withUnsafeBufferPointer { b in
                pointers.append(b.baseAddress!)
                defer { pointers.removeLast() }
                return nest(k + 1)
            }
        }
        return nest(0)
    }
}
