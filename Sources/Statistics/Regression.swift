/// Per-task agreement of predictions with measured values (N × T, row-major), as regression
/// models of regulatory activity report it (DeepSTARR): Pearson's r, Spearman's ρ and the mean
/// squared error Σ(ŷ − y)² / N. A task whose predictions or labels are constant has no
/// correlation (nil) and is left out of the means.
public struct RegressionScores: Sendable {
    public var pearson: [Double?], spearman: [Double?], mse: [Double]
    public var meanPearson: Double { ClassificationScores.mean(pearson) }
    public var meanSpearman: Double { ClassificationScores.mean(spearman) }
    public var meanMSE: Double { mse.isEmpty ? .nan : mse.reduce(0, +) / Double(mse.count) }

    /// `predictions` and `labels`: N × `tasks`, row-major.
    public init(predictions: [Float], labels: [Float], tasks t: Int) {
        precondition(predictions.count == labels.count && (t == 0 ? labels.isEmpty : labels.count % t == 0), "predictions and labels must both be N × \(t)")
        pearson = []; spearman = []; mse = []
        guard t > 0 else { return }
        let n = labels.count / t
        for k in 0..<t {
            let p = (0..<n).map { Double(predictions[$0 * t + k]) }, y = (0..<n).map { Double(labels[$0 * t + k]) }
            pearson.append(Statistics.pearson(p, y)); spearman.append(Statistics.spearman(p, y))
            mse.append(n == 0 ? .nan : zip(p, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(n))
        }
    }
}
