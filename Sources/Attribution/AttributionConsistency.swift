import RegulatoryCNN
import Statistics
import Tensors

/// Attribution quality without ground truth.
///
/// Maps are gradient-corrected saliency (∂f/∂x minus each position's mean over bases; Majdandzic
/// & Koo), reduced per position to the observed base's value, s_i = Σ_b m_{b,i} x_{b,i}, as the
/// ground-truth interpretability score reduces them.
/// - `consistency`: the mean, over sequences and over pairs of models trained from different seeds,
///   of the Pearson correlation between their position scores s (1 for identical models). Models
///   that learned the same motifs agree where the motifs are; spurious, seed-specific features do
///   not (Majdandzic et al. 2023: attribution variation across replicates tracks interpretability).
/// - `variation`: Majdandzic et al.'s "attribution variation": the per-position variance across
///   models of the per-sequence L2-normalised corrected maps (4 × L values), summed over bases and
///   averaged over positions and sequences (0 for identical models).
/// - `robustness`: the mean correlation between the position scores of x and of x + N(0, σ²)
///   (scored at the observed bases of x), over `samples` noise draws: how stable one model's map is
///   under small input perturbations.
public enum AttributionConsistency {
    /// Gradient-corrected saliency maps (N, 4, L) of `task` for each model (`corrected` false: the
    /// plain gradients).
    public static func maps(_ models: [CNNModel], x: Tensor, task: Int, corrected: Bool = true) -> [Tensor] {
        models.map { m in
            let g = Attributor(model: m, task: task).saliency(x)
            return corrected ? Attributor.correctGradient(g) : g
        }
    }

    /// s_i = Σ_b map_{b,i} x_{b,i} per sequence: (N) × L.
    public static func positionScores(_ map: Tensor, x: Tensor) -> [[Double]] {
        (0..<x.shape[0]).map { Interpretability.importance(map, x: x, sequence: $0, reduction: .observedBase) }
    }

    /// Mean pairwise Pearson correlation of position scores (nil with fewer than two maps).
    public static func consistency(_ maps: [Tensor], x: Tensor) -> Double? {
        guard maps.count >= 2 else { return nil }
        let scores = maps.map { positionScores($0, x: x) }
        var total = 0.0, count = 0
        for a in 0..<scores.count { for b in (a + 1)..<scores.count {
            for n in 0..<x.shape[0] {
                if let r = pearson(scores[a][n], scores[b][n]) { total += r; count += 1 }
            }
        } }
        return count > 0 ? total / Double(count) : nil
    }

    /// Majdandzic et al.'s attribution variation (nil with fewer than two maps).
    public static func variation(_ maps: [Tensor]) -> Double? {
        guard maps.count >= 2, let first = maps.first else { return nil }
        let (n, l) = (first.shape[0], first.shape[2])
        let m = Double(maps.count)
        var total = 0.0
        for s in 0..<n {
            let normalised = maps.map { map -> [Double] in
                let v = (0..<(4 * l)).map { Double(map.scalars[s * 4 * l + $0]) }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return norm > 0 ? v.map { $0 / norm } : v
            }
            for k in 0..<(4 * l) {
                let mean = normalised.reduce(0) { $0 + $1[k] } / m
                total += normalised.reduce(0) { $0 + ($1[k] - mean) * ($1[k] - mean) } / m
            }
        }
        return total / Double(n * l)
    }

    /// Mean correlation between the position scores of x and of noisy copies of x.
    public static func robustness(_ model: CNNModel, x: Tensor, task: Int, sigma: Float = 0.1, samples: Int = 3, seed: UInt64 = 0) -> Double {
        var rng = RandomGenerator(seed: seed)
        let attributor = Attributor(model: model, task: task)
        let clean = positionScores(Attributor.correctGradient(attributor.saliency(x)), x: x)
        var total = 0.0, count = 0
        for _ in 0..<Swift.max(samples, 1) {
            let noisy = Attributor.correctGradient(attributor.saliency(x + Tensor.normal(x.shape, std: sigma, using: &rng)))
            let scores = positionScores(noisy, x: x)
            for n in 0..<x.shape[0] { if let r = pearson(clean[n], scores[n]) { total += r; count += 1 } }
        }
        return count > 0 ? total / Double(count) : .nan
    }
}
