import Tensors

/// Seqlets — short windows of high contribution — called as TF-MoDISco does (Shrikumar et al.
/// 2018), written here:
/// - window score S[n][i] = Σ_{k=i}^{i+w−1} c[n][k], the summed actual contribution of the w-wide
///   core starting at i (cores whose flanks of `flank` bases would leave the sequence are skipped);
/// - null: the same window scores after permuting each sequence's contributions c[n][·]
///   (`permutations` independent permutations per sequence, seeded), which keeps each sequence's
///   contribution values but scatters high values that sit together;
/// - threshold t: the smallest |S| at which the estimated false discovery rate
///   FDR(t) = (#null windows with |S| ≥ t / #null windows) · #real windows / #real windows with |S| ≥ t
///   is at most `fdr` (a Benjamini–Hochberg-style cut over the empirical null; never below the
///   largest null |S| when `fdr` is 0);
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

    public init(window: Int = 15, flank: Int = 5, fdr: Double = 0.05, permutations: Int = 1, seed: UInt64 = 0) {
        self.window = window; self.flank = flank; self.fdr = fdr; self.permutations = permutations; self.seed = seed
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
        /// Windows scored in the real maps and in the null; the maps (sequences) read.
        public var windows: Int, nullWindows: Int, sequences: Int
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
        var real: [[Float]] = [], null: [Float] = []
        for n in 0..<maps.count {
            let c = maps.contributions(n)
            real.append(windowScores(c))
            for _ in 0..<Swift.max(permutations, 1) {
                let order = rng.permutation(c.count)
                null += windowScores(order.map { c[$0] }).map { Swift.abs($0) }
            }
        }
        let all = real.flatMap { $0.map { Swift.abs($0) } }.sorted(by: >)
        null.sort(by: >)
        let threshold = SeqletCaller.threshold(real: all, null: null, fdr: fdr)
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
        return Result(seqlets: seqlets, threshold: threshold, windows: all.count, nullWindows: null.count, sequences: maps.count, window: window)
    }

    /// The smallest real |S| with estimated FDR ≤ `fdr` (both lists sorted descending);
    /// infinity when none. Null values tied with a real value count as at or above it.
    public static func threshold(real: [Float], null: [Float], fdr: Double) -> Float {
        guard !real.isEmpty else { return .infinity }
        let scale = Double(real.count) / Double(Swift.max(null.count, 1))
        var cut: Float = .infinity
        var j = 0
        for (k, t) in real.enumerated() {
            if k + 1 < real.count && real[k + 1] == t { continue }   // evaluate at the last of a run of ties
            while j < null.count && null[j] >= t { j += 1 }
            let estimate = Double(j) * scale / Double(k + 1)
            if estimate <= fdr { cut = t }
        }
        return cut
    }
}
