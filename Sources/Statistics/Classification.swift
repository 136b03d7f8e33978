/// Area under the ROC curve for binary labels (true = positive), exact and tie-aware: the
/// Mann–Whitney statistic on average ranks, AUROC = (Σ ranks of positives − P(P+1)/2) / (P·N),
/// i.e. the probability that a random positive outscores a random negative, ties counting ½.
/// nil when either class is empty.
public func auroc(scores: [Double], labels: [Bool]) -> Double? {
    precondition(scores.count == labels.count, "one label per score")
    let p = labels.filter { $0 }.count, n = labels.count - p
    guard p > 0, n > 0 else { return nil }
    let ranks = averageRanks(scores)
    let rankSum = zip(ranks, labels).reduce(0.0) { $1.1 ? $0 + $1.0 : $0 }
    return (rankSum - Double(p) * Double(p + 1) / 2) / (Double(p) * Double(n))
}

/// Area under the precision–recall curve as average precision (scikit-learn's definition):
/// AP = Σ_k (R_k − R_{k−1})·P_k over the distinct score thresholds, highest first, so tied scores
/// enter together. nil when there are no positives.
public func aupr(scores: [Double], labels: [Bool]) -> Double? {
    precondition(scores.count == labels.count, "one label per score")
    let positives = labels.filter { $0 }.count
    guard positives > 0 else { return nil }
    var (ap, recall) = (0.0, 0.0)
    for (tp, fp) in thresholdCounts(scores: scores, labels: labels) {
        let r = Double(tp) / Double(positives)
        ap += (r - recall) * Double(tp) / Double(tp + fp)
        recall = r
    }
    return ap
}

/// The precision–recall curve: (recall, precision) after each distinct score threshold, highest
/// first (the points `aupr` sums over). nil when there are no positives.
public func precisionRecallCurve(scores: [Double], labels: [Bool]) -> [(recall: Double, precision: Double)]? {
    let positives = labels.filter { $0 }.count
    guard positives > 0 else { return nil }
    return thresholdCounts(scores: scores, labels: labels).map { (Double($0.tp) / Double(positives), Double($0.tp) / Double($0.tp + $0.fp)) }
}

/// The ROC curve: (false-positive rate, true-positive rate) from (0, 0) through each distinct
/// score threshold, highest first, to (1, 1); tied scores enter together, one diagonal segment,
/// so the trapezoid area under the curve is `auroc`. nil when either class is empty.
public func rocCurve(scores: [Double], labels: [Bool]) -> [(fpr: Double, tpr: Double)]? {
    let p = labels.filter { $0 }.count, n = labels.count - p
    guard p > 0, n > 0 else { return nil }
    return [(0, 0)] + thresholdCounts(scores: scores, labels: labels).map { (Double($0.fp) / Double(n), Double($0.tp) / Double(p)) }
}

/// Cumulative true and false positives with every score ≥ each distinct threshold, highest first.
func thresholdCounts(scores: [Double], labels: [Bool]) -> [(tp: Int, fp: Int)] {
    precondition(scores.count == labels.count, "one label per score")
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var (tp, fp, k) = (0, 0, 0)
    var counts: [(tp: Int, fp: Int)] = []
    while k < order.count {
        var e = k
        while e + 1 < order.count && scores[order[e + 1]] == scores[order[k]] { e += 1 }
        for t in k...e { if labels[order[t]] { tp += 1 } else { fp += 1 } }
        counts.append((tp, fp))
        k = e + 1
    }
    return counts
}

/// Mean per-task AUROC and AUPR of scores (N × T, row-major) against binary labels (N × T, > 0.5 is
/// positive); tasks with one class only get nil for both and are left out of the means.
public struct ClassificationScores: Sendable {
    public var auroc: [Double?], aupr: [Double?]
    public var meanAUROC: Double { ClassificationScores.mean(auroc) }
    public var meanAUPR: Double { ClassificationScores.mean(aupr) }
    static func mean(_ v: [Double?]) -> Double { let f = v.compactMap { $0 }; return f.isEmpty ? .nan : f.reduce(0, +) / Double(f.count) }

    public init(auroc: [Double?], aupr: [Double?]) { self.auroc = auroc; self.aupr = aupr }

    /// `scores` and `labels`: N × `tasks`, row-major.
    public init(scores: [Float], labels: [Float], tasks t: Int) {
        precondition(scores.count == labels.count && (t == 0 ? labels.isEmpty : labels.count % t == 0), "scores and labels must both be N × \(t)")
        auroc = []; aupr = []
        guard t > 0 else { return }
        let n = labels.count / t
        for k in 0..<t {
            let s = (0..<n).map { Double(scores[$0 * t + k]) }, y = (0..<n).map { labels[$0 * t + k] > 0.5 }
            // A task of one class gets neither: AUPR over positives alone is 1 whatever the scores.
            let area = Statistics.auroc(scores: s, labels: y)
            auroc.append(area); aupr.append(area == nil ? nil : Statistics.aupr(scores: s, labels: y))
        }
    }
}
