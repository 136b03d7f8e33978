import Tensors

/// Seqlets — short windows of high contribution — called as TF-MoDISco does (Shrikumar et al.
/// 2018), written here:
/// - window score S[n][i] = Σ_{k=i}^{i+w−1} c[n][k], the summed actual contribution of the w-wide
///   core starting at i (cores whose flanks of `flank` bases would leave the sequence are skipped);
/// - null (`Null`): the same window scores after permuting each sequence's contributions c[n][·]
///   (`permutations` independent permutations per sequence, seeded), which keeps each sequence's
///   contribution values but scatters high values that sit together — positions exchangeable; or
///   TF-MoDISco-lite's Laplace tails fitted to the real scores' bulk (`LaplaceNull`), which keeps
///   whatever makes noise windows sum high (contributions correlated over neighbouring positions);
/// - threshold t: the smallest |S| at which the estimated false discovery rate
///   FDR(t) = P_null(|S| ≥ t) · #real windows / #real windows with |S| ≥ t
///   is at most `fdr` (a Benjamini–Hochberg-style cut; P_null the fraction of null windows at or
///   above t, or the Laplace tails; never below the largest null |S| when `fdr` is 0);
/// - per sequence, greedily: the window with the largest |S| ≥ t becomes a seqlet (sign of S kept),
///   every window whose core overlaps it is removed, repeat. Ties go to the leftmost window.
public struct SeqletCaller: Sendable {
    /// Core width w.
    public var window: Int
    /// Bases kept on each side of a core (the clustering shifts seqlets by up to this much).
    public var flank: Int
    /// Target false discovery rate of the threshold.
    public var fdr: Double
    /// Null permutations per sequence.
    public var permutations: Int
    public var seed: UInt64
    public var null: Null

    /// What the real window scores are measured against.
    public enum Null: String, Sendable, CaseIterable {
        /// Each sequence's contributions permuted: positions exchangeable.
        case permutation
        /// Laplace tails fitted to the real scores on each side of their mode (`LaplaceNull`).
        case laplace
    }

    public init(window: Int = 15, flank: Int = 5, fdr: Double = 0.05, permutations: Int = 1, seed: UInt64 = 0,
                null: Null = .permutation) {
        self.window = window; self.flank = flank; self.fdr = fdr; self.permutations = permutations; self.seed = seed
        self.null = null
    }

    public struct Seqlet: Sendable, Equatable {
        /// Sequence index (0-based among the maps).
        public var sequence: Int
        /// Core start (0-based); the core is start ..< start + window.
        public var start: Int
        /// S, the core's summed contribution (its sign: the seqlet raises or lowers the output).
        public var score: Float
    }

    public struct Result: Sendable {
        public var seqlets: [Seqlet]
        /// The |S| threshold (infinity when no window passes).
        public var threshold: Float
        /// Windows scored in the real maps and in the null (0 for a Laplace null); the maps (sequences) read.
        public var windows: Int, nullWindows: Int, sequences: Int
        /// The fitted null, for `Null.laplace`.
        public var laplace: LaplaceNull?
        /// The core width w.
        public var window: Int
    }

    /// Valid core starts: flank ≤ i ≤ L − w − flank.
    func starts(length l: Int) -> ClosedRange<Int>? {
        let last = l - window - flank
        return last >= flank ? flank...last : nil
    }

    /// |S| of every valid window of one contribution track, by a running sum.
    func windowScores(_ c: [Float]) -> [Float] {
        guard let range = starts(length: c.count) else { return [] }
        var prefix = [Float](repeating: 0, count: c.count + 1)
        for (k, v) in c.enumerated() { prefix[k + 1] = prefix[k] + v }
        return range.map { prefix[$0 + window] - prefix[$0] }
    }

    public func call(_ maps: ContributionMaps) -> Result {
        var rng = RandomGenerator(seed: seed ^ 0x5E9_1E75)
        var real: [[Float]] = [], permuted: [Float] = []
        for n in 0..<maps.count {
            let c = maps.contributions(n)
            real.append(windowScores(c))
            guard null == .permutation else { continue }
            for _ in 0..<Swift.max(permutations, 1) {
                let order = rng.permutation(c.count)
                permuted += windowScores(order.map { c[$0] }).map { Swift.abs($0) }
            }
        }
        let all = real.flatMap { $0.map { Swift.abs($0) } }.sorted(by: >)
        permuted.sort(by: >)
        let laplace = null == .laplace && !all.isEmpty ? LaplaceNull(fitting: real.flatMap { $0 }) : nil
        let threshold = laplace.map { fit in SeqletCaller.threshold(real: all, nullTail: { fit.tail(Double($0)) }, fdr: fdr) }
            ?? SeqletCaller.threshold(real: all, null: permuted, fdr: fdr)
        var seqlets: [Seqlet] = []
        for (n, scores) in real.enumerated() {
            var available = [Bool](repeating: true, count: scores.count)
            while true {
                var best = -1
                for k in scores.indices where available[k] && Swift.abs(scores[k]) >= threshold {
                    if best < 0 || Swift.abs(scores[k]) > Swift.abs(scores[best]) { best = k }
                }
                guard best >= 0 else { break }
                seqlets.append(Seqlet(sequence: n, start: best + flank, score: scores[best]))
                for k in Swift.max(0, best - window + 1)..<Swift.min(scores.count, best + window) { available[k] = false }
            }
        }
        seqlets.sort { ($0.sequence, $0.start) < ($1.sequence, $1.start) }
        return Result(seqlets: seqlets, threshold: threshold, windows: all.count, nullWindows: permuted.count, sequences: maps.count,
                      laplace: laplace, window: window)
    }

    /// The smallest real |S| with estimated FDR ≤ `fdr` against null windows (both lists sorted
    /// descending); infinity when none. Null values tied with a real value count as at or above it.
    public static func threshold(real: [Float], null: [Float], fdr: Double) -> Float {
        threshold(real: real, nullTail: { t in
            // null is descending: the windows at or above t are a prefix.
            var (lo, hi) = (0, null.count)
            while lo < hi { let mid = (lo + hi) / 2; if null[mid] >= t { lo = mid + 1 } else { hi = mid } }
            return Double(lo) / Double(Swift.max(null.count, 1))
        }, fdr: fdr)
    }

    /// The smallest real |S| (sorted descending) whose estimated FDR, `nullTail(t)` = P_null(|S| ≥ t)
    /// times #real / #real ≥ t, is at most `fdr`; infinity when none.
    public static func threshold(real: [Float], nullTail: (Float) -> Double, fdr: Double) -> Float {
        var cut: Float = .infinity
        for (k, t) in real.enumerated() {
            if k + 1 < real.count && real[k + 1] == t { continue }   // evaluate at the last of a run of ties
            if nullTail(t) * Double(real.count) / Double(k + 1) <= fdr { cut = t }
        }
        return cut
    }
}
