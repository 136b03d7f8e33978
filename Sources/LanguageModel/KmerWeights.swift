import Dispatch
import Tensors

/// Cluster weights for unaligned sequences (no alignment, so no column identity): w_n = 1/|N(n)|,
/// N(n) = the sequences whose k-mer content resembles n's at the level of an identity threshold θ.
///
/// Two sequences at identity p share a given k-mer with probability ≈ pᵏ, so their k-mer sets have
/// Jaccard index J ≈ pᵏ/(2 − pᵏ); the neighbour rule is J ≥ J(θ) with that map (k = 3, θ = 0.8 →
/// J ≥ 0.344). J is estimated by MinHash (Broder 1997) with `hashes` independent hash functions:
/// the fraction of equal minima is an unbiased estimate of J (s.d. ≤ 1/(2√hashes)). Cost
/// O(N·L·hashes) for the signatures and N²/2 comparisons of `hashes` minima (each pair once,
/// sixteen minima per vector operation, threaded), against the O(N²·L) of alignment identity.
public enum KmerWeights {
    public static func jaccardThreshold(identity: Double, k: Int) -> Double {
        let s = pow(identity, Double(k))
        return s / (2 - s)
    }

    /// `progress(f)`: the fraction done, reported from the first worker's rows.
    public static func compute(_ sequences: [[UInt8]], identity: Double = 0.8, k: Int = 3, hashes: Int = 64,
                               progress: (@Sendable (Double) -> Void)? = nil) -> [Float] {
        let n = sequences.count
        guard n > 0 else { return [] }
        if identity >= 1 { return [Float](repeating: 1, count: n) }
        let signatures = sequences.map { signature($0, k: k, hashes: hashes) }
        let needed = Int((jaccardThreshold(identity: identity, k: k) * Double(hashes)).rounded(.up))
        let flat = signatures.flatMap { $0 }
        // Each pair once (i < j), rows dealt to the workers in turn so each gets a like share of
        // pairs; a worker counts into its own array, the arrays are added at the end (integers:
        // the same counts at any thread count). Every sequence is its own neighbour.
        let workers = Swift.max(1, Swift.min(Parallel.availableThreads, n / 64))
        var counts = [Int32](repeating: 0, count: workers * n)
        flat.withUnsafeBufferPointer { fb in
            counts.withUnsafeMutableBufferPointer { cb in
                nonisolated(unsafe) let f = fb.baseAddress!, all = cb.baseAddress!
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    let mine = all + w * n
                    let share = Double(n) * Double(n - 1) / 2 / Double(workers)
                    var done = 0.0
                    for i in stride(from: w, to: n, by: workers) {
                        if w == 0, let progress, (i / workers) % 64 == 0 { progress(Swift.min(1, done / Swift.max(share, 1))) }
                        let a = f + i * hashes
                        var row: Int32 = 0
                        for j in (i + 1)..<Swift.max(i + 1, n) where hashes - unequal(a, f + j * hashes, hashes) >= needed {
                            row += 1; mine[j] += 1
                        }
                        mine[i] += row
                        done += Double(n - 1 - i)
                    }
                }
            }
        }
        let neighbours = (0..<n).map { i in 1 + (0..<workers).reduce(0) { $0 + Int(counts[$1 * n + i]) } }
        return neighbours.map { 1 / Float(Swift.max($0, 1)) }
    }

    /// The number of positions where two signatures differ, sixteen at a time: x = a ⊕ b is
    /// nonzero exactly where they differ, and then x | −x has its top bit set (no per-lane
    /// comparison, which would compile to a loop over the lanes).
    @inline(__always)
    static func unequal(_ a: UnsafePointer<UInt32>, _ b: UnsafePointer<UInt32>, _ count: Int) -> Int {
        var lanes = SIMD16<UInt32>(), h = 0
        while h + 16 <= count {
            let x = UnsafeRawPointer(a + h).loadUnaligned(as: SIMD16<UInt32>.self) ^ UnsafeRawPointer(b + h).loadUnaligned(as: SIMD16<UInt32>.self)
            lanes &+= (x | (0 &- x)) &>> 31
            h += 16
        }
        var total = Int(lanes.wrappedSum())
        while h < count { if a[h] != b[h] { total += 1 }; h += 1 }
        return total
    }

    /// The `hashes` minima of h_m(kmer) over the sequence's k-mers (a sequence shorter than k
    /// hashes as its whole self).
    static func signature(_ s: [UInt8], k: Int, hashes: Int) -> [UInt32] {
        var kmers: [UInt64] = []
        if s.count < k { kmers = [s.reduce(UInt64(7)) { $0 &* 31 &+ UInt64($1) }] }
        else { for i in 0...(s.count - k) { kmers.append(s[i..<(i + k)].reduce(UInt64(7)) { $0 &* 31 &+ UInt64($1) }) } }
        return (0..<hashes).map { m in
            var best = UInt32.max
            let seed = UInt64(m) &* 0x9E37_79B9_7F4A_7C15 &+ 0x632B_E59B_D9B4_E019
            for x in kmers {
                var z = x &+ seed
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                best = Swift.min(best, UInt32(truncatingIfNeeded: z ^ (z >> 31)))
            }
            return best
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
