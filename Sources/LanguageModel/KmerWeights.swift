import Dispatch
import Tensors

/// Cluster weights for unaligned sequences (no alignment, so no column identity): w_n = 1/|N(n)|,
/// N(n) = the sequences whose k-mer content resembles n's at the level of an identity threshold θ.
///
/// Two sequences at identity p share a given k-mer with probability ≈ pᵏ, so their k-mer sets have
/// Jaccard index J ≈ pᵏ/(2 − pᵏ); the neighbour rule is J ≥ J(θ) with that map (k = 3, θ = 0.8 →
/// J ≥ 0.344). J is estimated by MinHash (Broder 1997) with `hashes` independent hash functions:
/// the fraction of equal minima is an unbiased estimate of J (s.d. ≤ 1/(2√hashes)). Cost
/// O(N·L·hashes) for the signatures and O(N²·hashes) for the comparisons (threaded), against the
/// O(N²·L) of alignment identity — seconds for ten thousand sequences.
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
        var neighbours = [Int](repeating: 0, count: n)
        let flat = signatures.flatMap { $0 }
        flat.withUnsafeBufferPointer { fb in
            neighbours.withUnsafeMutableBufferPointer { nb in
                nonisolated(unsafe) let f = fb.baseAddress!, out = nb.baseAddress!
                let chunks = Swift.max(1, Swift.min(Parallel.availableThreads, n / 64))
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let rows = (c * n / chunks)..<((c + 1) * n / chunks)
                    for i in rows {
                        if c == 0, let progress, (i - rows.lowerBound) % 64 == 0 { progress(Double(i - rows.lowerBound) / Double(rows.count)) }
                        var count = 0
                        let a = f + i * hashes
                        for j in 0..<n {
                            let b = f + j * hashes
                            var same = 0
                            for h in 0..<hashes where a[h] == b[h] { same += 1 }
                            if same >= needed { count += 1 }
                        }
                        out[i] = count
                    }
                }
            }
        }
        return neighbours.map { 1 / Float(Swift.max($0, 1)) }
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
