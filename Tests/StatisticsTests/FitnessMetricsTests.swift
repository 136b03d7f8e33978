import Testing
#if canImport(Glibc)
import Glibc
#endif
import Statistics

/// Ten variants whose metrics were worked out by hand from ProteinGym's definitions (not from this
/// code): median cut-offs 0.45 on both sides; top 30% for NDCG and recall.
private let predicted = [0.9, 0.1, 0.5, 0.7, 0.3, 0.2, 0.8, 0.6, 0.4, 0.0]
private let measured = [1.0, 0.0, 0.2, 0.9, 0.5, 0.1, 0.3, 0.8, 0.4, 0.6]

@Test func fitnessMetricsMatchHandComputedValues() throws {
    let m = FitnessMetrics(predicted: predicted, measured: measured, top: 0.3)
    // Spearman: 1 − 6Σd²/(n(n²−1)) with rank differences d (no ties): Σd² = 78 → 1 − 468/990.
    #expect(abs(try #require(m.spearman) - (1 - 468.0 / 990)) < 1e-12)
    // Fit = measured ≥ 0.45 → positives predicted 0.9, 0.7, 0.3, 0.6, 0.0 against negatives
    // 0.1, 0.5, 0.2, 0.8, 0.4: 5 + 4 + 2 + 4 + 0 = 15 of 25 pairs ordered right.
    #expect(abs(try #require(m.auc) - 0.6) < 1e-12)
    // Predicted fit = predicted ≥ 0.45: TP 3, TN 3, FP 2, FN 2 → (9 − 4) / √(5⁴) = 0.2.
    #expect(abs(try #require(m.mcc) - 0.2) < 1e-12)
    // k = 3: predicted top gains 1.0, 0.3, 0.9; ideal 1.0, 0.9, 0.8.
    let dcg = 1 + 0.3 / log2(3.0) + 0.9 / 2, ideal = 1 + 0.9 / log2(3.0) + 0.8 / 2
    #expect(abs(try #require(m.ndcg) - dcg / ideal) < 1e-12)
    // 70th percentiles 0.66 (measured) and 0.63 (predicted): true top {0, 3, 7}, predicted top {0, 3, 6}.
    #expect(abs(try #require(m.topRecall) - 2.0 / 3) < 1e-12)
}

@Test func explicitCutoffBinarisesTheScan() throws {
    // Cut-off 0.85: only variants 0 and 3 are fit; both are among the three highest predictions.
    let m = FitnessMetrics(predicted: predicted, measured: measured, cutoff: 0.85)
    // positives 0.9, 0.7 vs 8 negatives: 0.9 beats all 8, 0.7 beats 7 (not 0.8) → 15/16.
    #expect(abs(try #require(m.auc) - 15.0 / 16) < 1e-12)
}

@Test func theScansOwnLabelsBinariseItForAUCAndMCC() throws {
    // ProteinGym scores AUC and MCC against DMS_score_bin, whatever the median: labels that equal
    // the 0.85 cut-off give its AUC, and they win over any cut-off passed beside them.
    let fit = measured.map { $0 >= 0.85 }
    let m = FitnessMetrics(predicted: predicted, measured: measured, fit: fit)
    #expect(abs(try #require(m.auc) - 15.0 / 16) < 1e-12)
    #expect(FitnessMetrics(predicted: predicted, measured: measured, fit: fit, cutoff: 0.45) == m)
    // MCC: scan labels {0, 3} fit; predictions ≥ their median 0.45 are {0, 2, 3, 6, 7}:
    // TP 2, FP 3, FN 0, TN 5 → (10 − 0) / √(5·2·8·5).
    let expectedMCC: Double = 10 / 400.0.squareRoot()
    #expect(abs(try #require(m.mcc) - expectedMCC) < 1e-12)
    // Spearman, NDCG and recall read the scores only.
    let plain = FitnessMetrics(predicted: predicted, measured: measured)
    #expect(m.spearman == plain.spearman && m.ndcg == plain.ndcg && m.topRecall == plain.topRecall)
    // The bootstrap keeps each variant's label: labels equal to the median split give the median's errors.
    let median = measured.map { $0 >= 0.45 }
    #expect(FitnessMetrics.bootstrapStandardErrors(predicted: predicted, measured: measured, fit: median, resamples: 30, seed: 2)
            == FitnessMetrics.bootstrapStandardErrors(predicted: predicted, measured: measured, resamples: 30, seed: 2))
}

@Test func perfectPredictorScoresOne() throws {
    let m = FitnessMetrics(predicted: measured.map { 2 * $0 + 1 }, measured: measured)
    #expect(m.spearman == 1 && m.auc == 1 && m.mcc == 1 && m.ndcg == 1 && m.topRecall == 1)
}

/// Fewer than ten variants leave no top 10%: NDCG is undefined (it read 0 for a perfect ranking).
@Test func ndcgOfTooFewVariantsIsUndefined() {
    let nine = (0..<9).map(Double.init), ten = (0..<10).map(Double.init)
    #expect(ndcg(predicted: nine, measured: nine) == nil)
    #expect(ndcg(predicted: ten, measured: ten) == 1)
}

/// Tied predictions share their ranks' discounts, so the rows' order does not move NDCG (with ties
/// broken by input order, a scan listed best-first scored a constant predictor 1).
@Test func ndcgOfTiedPredictionsIsTheMeanDiscountWhateverTheRowOrder() throws {
    // Ten variants, k = 1: predictions tie at the top for variants 0 and 1 (gains 1 and 0): they
    // share ranks 1 and 2, whose discounts within k are 1 and 0 → DCG = (1 + 0)·(1 + 0)/2 = 0.5.
    let measured = [1.0, 0.0] + Array(repeating: 0.5, count: 8)
    let predicted = [1.0, 1.0] + Array(repeating: 0.0, count: 8)
    #expect(ndcg(predicted: predicted, measured: measured) == 0.5)
    #expect(ndcg(predicted: Array(predicted.reversed()), measured: Array(measured.reversed())) == 0.5)
    // A constant predictor: every variant shares the mean of the top-k discount, whatever the order.
    let constant = [Double](repeating: 3, count: 10), gains = (0..<10).map { Double($0) / 9 }
    let expected = 1.0 / 10 * gains.reduce(0, +)
    #expect(abs(try #require(ndcg(predicted: constant, measured: gains)) - expected) < 1e-12)
    #expect(abs(try #require(ndcg(predicted: constant, measured: gains.reversed())) - expected) < 1e-12)
}

@Test func matthewsCorrelationIsZeroWhenAMarginIsEmpty() {
    #expect(matthewsCorrelation(truth: [true, false, true], predicted: [true, true, true]) == 0)
}

@Test func quantileInterpolatesLikeNumpy() {
    // numpy.percentile([1, 2, 3, 4], 90) = 3.7
    #expect(abs(quantile([4, 1, 3, 2], 0.9) - 3.7) < 1e-12)
    #expect(median([3, 1, 2, 10]) == 2.5)
}

@Test func bootstrapErrorsAreSeededAndShrinkWithMoreVariants() throws {
    let n = 400
    let x = (0..<n).map { Double(($0 * 7919) % n) }
    let y = x.enumerated().map { $0.element + Double(($0.offset * 104729) % 97) * 3 }
    let a = FitnessMetrics.bootstrapStandardErrors(predicted: x, measured: y, resamples: 100, seed: 3)
    let b = FitnessMetrics.bootstrapStandardErrors(predicted: x, measured: y, resamples: 100, seed: 3)
    #expect(a == b)
    let small = FitnessMetrics.bootstrapStandardErrors(predicted: Array(x.prefix(40)), measured: Array(y.prefix(40)), resamples: 100, seed: 3)
    #expect(try #require(a.spearman) > 0 && a.spearman! < small.spearman!)
}
