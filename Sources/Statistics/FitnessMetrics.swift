#if canImport(Glibc)
import Glibc
#endif

/// ProteinGym's metrics of a fitness predictor against a deep mutational scan (Notin et al. 2023,
/// "ProteinGym", `performance_DMS_benchmarks.py`), all with "higher = fitter" on both sides:
/// - Spearman ρ of predicted and measured scores;
/// - AUC: AUROC of the predictions against the binarised scan: the scan's own fit/unfit labels
///   where it has them (ProteinGym's `DMS_score_bin`, which is what ProteinGym scores against), else
///   measured ≥ cut-off = fit;
/// - MCC: Matthews correlation between the binarised scan and the predictions binarised at their
///   own median (predicted ≥ median = fit);
/// - NDCG@10%: discounted cumulative gain of the top 10% of predictions, gains = min–max-scaled
///   measured scores, normalised by the ideal ordering;
/// - top-10% recall: the fraction of the top 10% measured variants (≥ the 90th percentile) that are
///   also in the top 10% of predictions.
public struct FitnessMetrics: Sendable, Equatable {
    public var spearman: Double?
    public var auc: Double?
    public var mcc: Double?
    public var ndcg: Double?
    public var topRecall: Double?

    /// `fit`: the scan's fit/unfit label of each variant (ProteinGym's `DMS_score_bin`), used for AUC
    /// and MCC when given; else `cutoff`, the fit/unfit threshold on measured scores (ProteinGym's
    /// `DMS_binarization_cutoff`), nil = the median of the measured scores. `top`: the fraction for
    /// NDCG and recall (0.1).
    public init(predicted: [Double], measured: [Double], fit labels: [Bool]? = nil, cutoff: Double? = nil, top: Double = 0.1) {
        precondition(predicted.count == measured.count, "one prediction per measurement")
        precondition(labels.map { $0.count == measured.count } ?? true, "one fit label per measurement")
        spearman = Statistics.spearman(predicted, measured)
        let threshold = cutoff ?? median(measured)
        let fit = labels ?? measured.map { $0 >= threshold }
        auc = auroc(scores: predicted, labels: fit)
        let predictedMedian = median(predicted)
        mcc = matthewsCorrelation(truth: fit, predicted: predicted.map { $0 >= predictedMedian })
        ndcg = Statistics.ndcg(predicted: predicted, measured: measured, top: top)
        topRecall = Statistics.topRecall(predicted: predicted, measured: measured, top: top)
    }

    /// Standard errors by the bootstrap over variants: the metrics of `resamples` draws of n variants
    /// with replacement (seeded, so the same call gives the same errors), their standard deviations.
    /// `fit` and `cutoff` as for `init`: a variant keeps its label in every resample.
    public static func bootstrapStandardErrors(predicted: [Double], measured: [Double], fit labels: [Bool]? = nil, cutoff: Double? = nil,
                                               top: Double = 0.1, resamples: Int = 200, seed: UInt64 = 1) -> FitnessMetrics {
        let n = predicted.count
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        var samples: [FitnessMetrics] = []
        let threshold = cutoff ?? median(measured)     // one cut-off for every resample, as for the full set
        let fit = labels ?? measured.map { $0 >= threshold }
        for _ in 0..<resamples {
            var p = [Double](), m = [Double](), f = [Bool]()
            p.reserveCapacity(n); m.reserveCapacity(n); f.reserveCapacity(n)
            for _ in 0..<n {
                let k = Int(splitMix64(&state) % UInt64(n))
                p.append(predicted[k]); m.append(measured[k]); f.append(fit[k])
            }
            samples.append(FitnessMetrics(predicted: p, measured: m, fit: f, top: top))
        }
        func sd(_ key: KeyPath<FitnessMetrics, Double?>) -> Double? {
            meanAndSampleVariance(samples.compactMap { $0[keyPath: key] })?.variance.squareRoot()
        }
        var e = FitnessMetrics(spearman: nil, auc: nil, mcc: nil, ndcg: nil, topRecall: nil)
        e.spearman = sd(\.spearman); e.auc = sd(\.auc); e.mcc = sd(\.mcc); e.ndcg = sd(\.ndcg); e.topRecall = sd(\.topRecall)
        return e
    }

    public init(spearman: Double?, auc: Double?, mcc: Double?, ndcg: Double?, topRecall: Double?) {
        self.spearman = spearman; self.auc = auc; self.mcc = mcc; self.ndcg = ndcg; self.topRecall = topRecall
    }
}

/// The median (mean of the two middle values for an even count); nan for no values.
public func median(_ v: [Double]) -> Double {
    guard !v.isEmpty else { return .nan }
    let s = v.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// The q-th quantile (0…1) with linear interpolation between order statistics (numpy's default).
public func quantile(_ v: [Double], _ q: Double) -> Double {
    guard !v.isEmpty else { return .nan }
    let s = v.sorted()
    let h = q * Double(s.count - 1)
    let lo = Int(h.rounded(.down)), hi = Swift.min(lo + 1, s.count - 1)
    return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
}

/// Matthews correlation coefficient (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)); 0 when a
/// margin is empty (scikit-learn's convention).
public func matthewsCorrelation(truth: [Bool], predicted: [Bool]) -> Double {
    precondition(truth.count == predicted.count)
    var tp = 0.0, tn = 0.0, fp = 0.0, fn = 0.0
    for (t, p) in zip(truth, predicted) {
        switch (t, p) {
        case (true, true): tp += 1
        case (false, false): tn += 1
        case (false, true): fp += 1
        case (true, false): fn += 1
        }
    }
    let d = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)).squareRoot()
    return d == 0 ? 0 : (tp * tn - fp * fn) / d
}

/// NDCG of the top k = ⌊n·top⌋ predictions: DCG = Σ_{rank r ≤ k} g / log₂(r + 1) with gains g the
/// measured scores min–max scaled to [0, 1] and ranks by decreasing prediction, divided by the DCG
/// of the k largest gains. Tied predictions share their ranks' discounts (each gets the mean
/// discount of the ranks the tie spans, 0 beyond k — sklearn's `ndcg_score` with ties kept), so the
/// value does not depend on the order of the input rows; ProteinGym's unstable argsort orders ties
/// arbitrarily. nil when every measured score is the same, or when k = 0 (fewer than 1/top
/// variants: no variant is in the top fraction; sklearn's `ndcg_score` would report 0 there).
public func ndcg(predicted: [Double], measured: [Double], top: Double = 0.1) -> Double? {
    precondition(predicted.count == measured.count)
    let n = predicted.count
    guard n > 0, let lo = measured.min(), let hi = measured.max(), hi > lo else { return nil }
    let k = Int((Double(n) * top).rounded(.down))
    guard k > 0 else { return nil }
    let gains = measured.map { ($0 - lo) / (hi - lo) }
    func discount(_ rank: Int) -> Double { rank < k ? 1 / log2(Double(rank + 2)) : 0 }
    /// DCG of the rows ordered by decreasing `key`, ties sharing their ranks' mean discount.
    func dcg(_ key: [Double]) -> Double {
        let order = key.indices.sorted { key[$0] > key[$1] }
        var total = 0.0, start = 0
        while start < k {
            var end = start + 1
            while end < n && key[order[end]] == key[order[start]] { end += 1 }
            let meanDiscount = (start..<end).reduce(0.0) { $0 + discount($1) } / Double(end - start)
            total += meanDiscount * order[start..<end].reduce(0.0) { $0 + gains[$1] }
            start = end
        }
        return total
    }
    let best = dcg(measured)
    return best == 0 ? 0 : dcg(predicted) / best
}

/// Recall of the top fraction: |{measured ≥ q_m} ∩ {predicted ≥ q_p}| / |{measured ≥ q_m}|, q the
/// (1 − top) quantiles (numpy's percentile, linear interpolation).
public func topRecall(predicted: [Double], measured: [Double], top: Double = 0.1) -> Double? {
    precondition(predicted.count == measured.count)
    guard !predicted.isEmpty else { return nil }
    let qm = quantile(measured, 1 - top), qp = quantile(predicted, 1 - top)
    let trueTop = measured.map { $0 >= qm }
    let total = trueTop.filter { $0 }.count
    guard total > 0 else { return 0 }
    let hits = zip(trueTop, predicted).filter { $0.0 && $0.1 >= qp }.count
    return Double(hits) / Double(total)
}

private func splitMix64(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
