import Tensors

/// Level-1 vector operations for L-BFGS on long Float vectors (millions of couplings), split over
/// threads in contiguous chunks. Memory-bound: each pass streams the vectors once.
enum VectorOps {
    /// Σ a_i b_i, each chunk accumulated in double precision.
    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        let n = a.count
        let threads = Swift.max(1, Parallel.threadCount)
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: threads)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0, count: threads)
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                nonisolated(unsafe) let (x, y, out) = (ab.baseAddress!, bb.baseAddress!, partial)
                let chunks = Swift.min(threads, Swift.max(1, n / (1 << 16)))
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
        return (0..<threads).reduce(0.0) { $0 + partial[$1] }
    }

    /// y ← y + α·x.
    static func axpy(_ alpha: Float, _ x: [Float], _ y: inout [Float]) {
        precondition(x.count == y.count)
        let n = x.count
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                nonisolated(unsafe) let (u, v) = (xb.baseAddress!, yb.baseAddress!)
                Parallel.forEachChunk(n, minimumPerThread: 1 << 16) { r in
                    for i in r { v[i] += alpha * u[i] }
                }
            }
        }
    }

    /// y ← α·y.
    static func scale(_ alpha: Float, _ y: inout [Float]) {
        let n = y.count
        y.withUnsafeMutableBufferPointer { yb in
            nonisolated(unsafe) let v = yb.baseAddress!
            Parallel.forEachChunk(n, minimumPerThread: 1 << 16) { r in for i in r { v[i] *= alpha } }
        }
    }

    /// y ← m ⊙ y (element-wise).
    static func multiply(_ m: [Float], _ y: inout [Float]) {
        precondition(m.count == y.count)
        let n = y.count
        m.withUnsafeBufferPointer { mb in
            y.withUnsafeMutableBufferPointer { yb in
                nonisolated(unsafe) let (u, v) = (mb.baseAddress!, yb.baseAddress!)
                Parallel.forEachChunk(n, minimumPerThread: 1 << 16) { r in for i in r { v[i] *= u[i] } }
            }
        }
    }

    /// Σ a_i·(b_i·m_i) with the products rounded as `dot(a, m ⊙ b)` rounds them and summed in `dot`'s
    /// order (the same value bit for bit), without the temporary vector m ⊙ b (at L = 1000 a Potts θ
    /// is 880 MB).
    static func weightedDot(_ a: [Float], _ m: [Float], _ b: [Float]) -> Double {
        precondition(a.count == m.count && b.count == m.count)
        let n = a.count
        let threads = Swift.max(1, Parallel.threadCount)
        let partial = UnsafeMutablePointer<Double>.allocate(capacity: threads)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0, count: threads)
        a.withUnsafeBufferPointer { ab in
            m.withUnsafeBufferPointer { mb in
                b.withUnsafeBufferPointer { bb in
                    nonisolated(unsafe) let (x, w, y, out) = (ab.baseAddress!, mb.baseAddress!, bb.baseAddress!, partial)
                    let chunks = Swift.min(threads, Swift.max(1, n / (1 << 16)))
                    Parallel.forEachChunk(chunks, minimumPerThread: 1) { range in
                        for c in range {
                            let (lo, hi) = (c * n / chunks, (c + 1) * n / chunks)
                            var acc = SIMD8<Double>(repeating: 0)
                            var i = lo
                            while i + 16 <= hi {
                                let u = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
                                let v = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self) * UnsafeRawPointer(w + i).loadUnaligned(as: SIMD16<Float>.self)
                                let p = u * v
                                acc += SIMD8<Double>(p.lowHalf) + SIMD8<Double>(p.highHalf)
                                i += 16
                            }
                            var s = acc.sum()
                            while i < hi { s += Double(x[i]) * Double(y[i] * w[i]); i += 1 }
                            out[c] = s
                        }
                    }
                }
            }
        }
        return (0..<threads).reduce(0.0) { $0 + partial[$1] }
    }
}
