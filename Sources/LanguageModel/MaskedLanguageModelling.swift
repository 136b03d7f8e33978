import Tensors

/// BERT's masking (Devlin et al. 2019; ESM's too): each residue of a sequence is selected with
/// probability `rate` (15%); a selected residue becomes ⟨mask⟩ with probability 0.8, a uniformly
/// random amino acid with 0.1, and stays itself with 0.1; the loss is the cross-entropy of the
/// selected residues' true tokens. ⟨bos⟩, ⟨eos⟩ and padding are never selected. A row with no
/// selected residue gets one (so every sequence contributes).
public enum MaskedLanguageModelling {
    public struct MaskedBatch {
        public var tokens: [[Int]]
        public var lengths: [Int]
        /// Per flattened position (B·T): the true token to predict, or −1.
        public var targets: [Int]
        /// Per flattened position: the row's sequence weight (for weighted validation).
        public var rowOfPosition: [Int]
    }

    public static func mask(_ sequences: [[UInt8]], rate: Float = 0.15, using rng: inout RandomGenerator) -> MaskedBatch {
        var (tokens, lengths) = ProteinLanguageModel.batch(sequences)
        let t = tokens.first?.count ?? 0
        var targets = [Int](repeating: -1, count: tokens.count * t)
        for (r, s) in sequences.enumerated() {
            var chosen = (0..<s.count).filter { _ in rng.uniform() < rate }
            if chosen.isEmpty && !s.isEmpty { chosen = [rng.int(below: s.count)] }
            for i in chosen {
                let p = i + 1                                   // after ⟨bos⟩
                targets[r * t + p] = Int(s[i])
                let u = rng.uniform()
                if u < 0.8 { tokens[r][p] = ProteinTokens.mask } else if u < 0.9 { tokens[r][p] = rng.int(below: 20) }
            }
        }
        return MaskedBatch(tokens: tokens, lengths: lengths, targets: targets,
                           rowOfPosition: (0..<tokens.count).flatMap { [Int](repeating: $0, count: t) })
    }
}

/// Sequences grouped by length, sampled in proportion to sequence weights: a bucket is drawn
/// with probability ∝ its total weight, then `size` sequences from it ∝ weight (with
/// replacement). Each sequence's marginal probability is ∝ its weight — the biological prior that
/// keeps an over-sampled clade from dominating — and a batch pads only to its bucket's lengths.
public struct LengthBuckets: Sendable {
    public let buckets: [[Int]]
    let cumulative: [[Double]]
    let bucketCumulative: [Double]

    /// `indices` into `lengths`/`weights`; lengths are split at their quantiles into `count` buckets.
    public init(indices: [Int], lengths: [Int], weights: [Float], count: Int = 8) {
        let sorted = indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        let k = Swift.max(1, Swift.min(count, sorted.count))
        buckets = (0..<k).map { b in Array(sorted[(b * sorted.count / k)..<((b + 1) * sorted.count / k)]) }.filter { !$0.isEmpty }
        cumulative = buckets.map { bucket in
            var acc = 0.0
            return bucket.map { acc += Double(weights[$0]); return acc }
        }
        var acc = 0.0
        bucketCumulative = cumulative.map { acc += $0.last ?? 0; return acc }
    }

    static func draw(_ cumulative: [Double], _ u: Double) -> Int {
        let target = u * (cumulative.last ?? 0)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > target { hi = mid } else { lo = mid + 1 } }
        return lo
    }

    /// `size` sequence indices from one weighted bucket.
    public func sample(_ size: Int, using rng: inout RandomGenerator) -> [Int] {
        let b = LengthBuckets.draw(bucketCumulative, rng.uniformDouble())
        return (0..<size).map { _ in buckets[b][LengthBuckets.draw(cumulative[b], rng.uniformDouble())] }
    }
}
