#if canImport(Glibc)
import Glibc
#endif
import Statistics
import Tensors

/// How well an attribution map finds the motifs that generated a sequence (Koo & Ploenzke 2021):
/// each position's importance is Σ_b map ⊙ x (the attribution of the observed base), or for
/// in-silico mutagenesis the L2 norm over bases; ground-truth positives are the positions whose
/// generating PWM column carries more than `threshold` bits and belongs to a motif of the scored
/// task; positions with 0 < information ≤ `threshold` are left out (see `labels`).
/// Per sequence AUROC and AUPR of importance against those positions, averaged over sequences
/// that have at least one motif position.
public enum Interpretability {
    public enum Reduction: Sendable { case observedBase, l2Norm }

    public struct Score: Sendable { public var auroc: Double, aupr: Double, sequences: Int }

    public static func importance(_ map: Tensor, x: Tensor, sequence n: Int, reduction: Reduction) -> [Double] {
        let l = map.shape[2]
        return (0..<l).map { i in
            switch reduction {
            case .observedBase: return (0..<4).reduce(0.0) { $0 + Double(map.scalars[(n * 4 + $1) * l + i] * x.scalars[(n * 4 + $1) * l + i]) }
            case .l2Norm: return (0..<4).reduce(0.0) { let v = Double(map.scalars[(n * 4 + $1) * l + i]); return $0 + v * v }.squareRoot()
            }
        }
    }

    /// Positions whose ground-truth column has information content above `threshold` bits.
    public static func motifPositions(_ truth: Tensor, sequence n: Int, threshold: Double = 0.1) -> [Bool] {
        information(truth, sequence: n).map { $0 > threshold }
    }

    /// Information content 2 − H (bits) of each ground-truth column of sequence n.
    public static func information(_ truth: Tensor, sequence n: Int) -> [Double] {
        let l = truth.shape[2]
        return (0..<l).map { i in
            var h = 0.0
            for b in 0..<4 { let p = Double(truth.scalars[(n * 4 + b) * l + i]); if p > 0 { h -= p * log2(p) } }
            return Swift.max(0, 2 - h)
        }
    }

    /// Per-position labels of sequence n for `task`: true where the column carries more than
    /// `threshold` bits and (when `owner`, (N, L), is known) belongs to one of the task's motifs;
    /// nil (ignored) where 0 < information ≤ threshold — neither motif nor background, as in the
    /// published scoring; false elsewhere (background, or another task's motif).
    public static func labels(_ truth: Tensor, owner: Tensor?, task: Int, sequence n: Int, threshold: Double = 0.1) -> [Bool?] {
        let l = truth.shape[2]
        return information(truth, sequence: n).enumerated().map { i, bits -> Bool? in
            if bits > threshold { return owner.map { Int($0.scalars[n * l + i]) == task } ?? true }
            return bits > 1e-6 ? nil : false
        }
    }

    public static func score(_ map: Tensor, x: Tensor, truth: Tensor, owner: Tensor? = nil, task: Int = 0, sequences: [Int],
                             reduction: Reduction, threshold: Double = 0.1) -> Score {
        var (roc, pr, counted) = (0.0, 0.0, 0)
        for n in sequences {
            let all = labels(truth, owner: owner, task: task, sequence: n, threshold: threshold)
            let importance = importance(map, x: x, sequence: n, reduction: reduction)
            let kept = all.indices.filter { all[$0] != nil }
            let labels = kept.map { all[$0]! }, scores = kept.map { importance[$0] }
            guard let a = auroc(scores: scores, labels: labels), let p = aupr(scores: scores, labels: labels) else { continue }
            roc += a; pr += p; counted += 1
        }
        return Score(auroc: counted > 0 ? roc / Double(counted) : .nan, aupr: counted > 0 ? pr / Double(counted) : .nan, sequences: counted)
    }
}
