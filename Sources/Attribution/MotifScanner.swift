import Motifs
import Tensors

/// One motif instance found in a sequence: bases start…start+width−1, on the forward or reverse strand.
public struct MotifInstance: Sendable, Equatable {
    public var motif: Int, start: Int, width: Int, reverse: Bool, score: Double
    public init(motif: Int, start: Int, width: Int, reverse: Bool = false, score: Double = 0) {
        self.motif = motif; self.start = start; self.width = width; self.reverse = reverse; self.score = score
    }
    public var end: Int { start + width - 1 }
    public func overlaps(_ r: ClosedRange<Int>) -> Bool { start <= r.upperBound && end >= r.lowerBound }
}

/// Scans one-hot DNA with PWMs by log-odds against a uniform background:
///   s(x, t) = Σ_j log₂(p̃_j(x_{t+j}) / 0.25),  p̃ = (p + ε)/(1 + 4ε), ε = 0.01,
/// on both strands (the reverse complement of the PWM), and keeps the windows whose relative score
/// (s − s_min)/(s_max − s_min) is ≥ `threshold` (s_min, s_max: the lowest and highest scores the PWM
/// can reach). The default 0.8 is the relative-score cut JASPAR's and Biopython's site search use.
/// Hits of the same motif that overlap are resolved greedily by score (the best one is kept).
public struct MotifScanner: Sendable {
    public var motifs: [Motif]
    public var threshold: Double

    public init(motifs: [Motif], threshold: Double = 0.8) { self.motifs = motifs; self.threshold = threshold }

    static let epsilon = 0.01

    /// log₂(p̃/0.25) per column and base.
    static func logOdds(_ m: Motif) -> [[Double]] {
        m.probabilities().map { row in row.map { Foundation_log2(($0 + epsilon) / (1 + 4 * epsilon) / 0.25) } }
    }

    /// The instances in each sequence of x: (N, 4, L), sorted by start.
    public func scan(_ x: Tensor) -> [[MotifInstance]] {
        let (n, l) = (x.shape[0], x.shape[2])
        let tables = motifs.map { m in [Self.logOdds(m), Self.logOdds(m.reverseComplement)] }
        return (0..<n).map { s in
            var bases = [Int](repeating: -1, count: l)
            for i in 0..<l { for b in 0..<4 where x.scalars[(s * 4 + b) * l + i] > 0.5 { bases[i] = b } }
            var found: [MotifInstance] = []
            for (k, strands) in tables.enumerated() {
                let w = strands[0].count
                guard w <= l else { continue }
                let lo = strands[0].reduce(0) { $0 + $1.min()! }, hi = strands[0].reduce(0) { $0 + $1.max()! }
                var hits: [MotifInstance] = []
                for (r, table) in strands.enumerated() {
                    for t in 0...(l - w) {
                        var score = 0.0
                        for j in 0..<w { score += bases[t + j] >= 0 ? table[j][bases[t + j]] : 0 }
                        if (score - lo) / Swift.max(hi - lo, 1e-12) >= threshold {
                            hits.append(MotifInstance(motif: k, start: t, width: w, reverse: r == 1, score: score))
                        }
                    }
                }
                var kept: [MotifInstance] = []
                for h in hits.sorted(by: { $0.score > $1.score }) where !kept.contains(where: { $0.overlaps(h.start...h.end) }) { kept.append(h) }
                found += kept
            }
            return found.sorted { ($0.start, $0.motif) < ($1.start, $1.motif) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) func Foundation_log2(_ v: Double) -> Double { log2(v) }
