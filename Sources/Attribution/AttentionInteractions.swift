import RegulatoryCNN
import Tensors

/// Which motif pairs a hybrid's attention links, and at which distances.
///
/// For each sequence n the head-averaged map Ā[i, j] = (1/H) Σ_h A[n, h, i, j] is read; its `top`
/// largest off-diagonal entries (i ≠ j) are the strongest attention pairs. Position i covers the
/// input bases `window.bases(i)` (position × stride + offset … + receptive field − 1). Every pair of
/// distinct motif instances (a, b) with a overlapping the window of i and b that of j (or the
/// other way round) is a hit; a hit is counted once per sequence, with the largest Ā among the
/// pairs that hit it. Instances are ordered by position: the first motif is the one that starts
/// first, and the distance is the gap between them, start(second) − (end(first) + 1) (negative
/// when they overlap) — the `spacing` of `cnn synth --task interaction`.
public struct AttentionInteractions {
    public struct Row: Sendable, Equatable {
        public var first: String, second: String, distance: Int, count: Int, meanAttention: Double
    }

    /// Rows sorted by count (then mean attention, names, distance), for motifs named `names`.
    public static func tally(maps: Tensor, window: AttentionMaps.Window, length: Int,
                             instances: [[MotifInstance]], names: [String], top: Int) -> [Row] {
        let (n, h, p) = (maps.shape[0], maps.shape[1], maps.shape[2])
        precondition(maps.shape[3] == p && instances.count == n, "maps (N, H, P, P) and one instance list per sequence")
        struct Key: Hashable { var first: String, second: String, distance: Int }
        var sums: [Key: (count: Int, attention: Double)] = [:]
        for s in 0..<n {
            var mean = [Double](repeating: 0, count: p * p)
            for head in 0..<h {
                let base = (s * h + head) * p * p
                for e in 0..<(p * p) { mean[e] += Double(maps.scalars[base + e]) / Double(h) }
            }
            let pairs = (0..<(p * p)).filter { $0 / p != $0 % p }
                .sorted { mean[$0] > mean[$1] || (mean[$0] == mean[$1] && $0 < $1) }.prefix(top)
            let found = instances[s]
            var hits: [[Int]: Double] = [:]
            for e in pairs {
                let wi = window.bases(e / p, length: length), wj = window.bases(e % p, length: length)
                let inI = found.indices.filter { found[$0].overlaps(wi) }, inJ = found.indices.filter { found[$0].overlaps(wj) }
                for a in inI { for b in inJ where a != b {
                    let key = [a, b].sorted { (found[$0].start, $0) < (found[$1].start, $1) }
                    hits[key] = Swift.max(hits[key] ?? -1, mean[e])
                } }
            }
            for (key, attention) in hits {
                let (x, y) = (found[key[0]], found[key[1]])
                let k = Key(first: names[x.motif], second: names[y.motif], distance: y.start - (x.end + 1))
                let old = sums[k] ?? (0, 0)
                sums[k] = (old.count + 1, old.attention + attention)
            }
        }
        return sums.map { Row(first: $0.key.first, second: $0.key.second, distance: $0.key.distance, count: $0.value.count,
                              meanAttention: $0.value.attention / Double($0.value.count)) }
            .sorted { ($1.count, $1.meanAttention) < ($0.count, $0.meanAttention)
                || ($0.count == $1.count && $0.meanAttention == $1.meanAttention && ($0.first, $0.second, $0.distance) < ($1.first, $1.second, $1.distance)) }
    }

    /// The motif pair with the most hits over all distances (ties: the first in `rows`' order).
    public static func topPair(_ rows: [Row]) -> (first: String, second: String)? {
        var totals: [String: Int] = [:], order: [(String, String)] = []
        for r in rows {
            let k = r.first + "\u{1}" + r.second
            if totals[k] == nil { order.append((r.first, r.second)) }
            totals[k, default: 0] += r.count
        }
        var best: (first: String, second: String, total: Int)?
        for (a, b) in order where best == nil || totals[a + "\u{1}" + b]! > best!.total { best = (a, b, totals[a + "\u{1}" + b]!) }
        return best.map { (first: $0.first, second: $0.second) }
    }
}
