import Testing
import Statistics

@Suite struct ClassificationTests {
    /// Two tasks over 4 examples (row-major N × T): task 0 ranked perfectly, task 1 one class only.
    @Test func perTaskScoresSkipOneClassTasksInTheMeans() {
        let scores: [Float] = [0.9, 0.1, 0.2, 0.2, 0.8, 0.3, 0.1, 0.4]
        let labels: [Float] = [1, 0, 0, 0, 1, 0, 0, 0]
        let c = ClassificationScores(scores: scores, labels: labels, tasks: 2)
        #expect(c.auroc[0] == 1 && c.aupr[0] == 1)
        #expect(c.auroc[1] == nil && c.aupr[1] == nil)
        #expect(c.meanAUROC == 1 && c.meanAUPR == 1)
        #expect(ClassificationScores(scores: [], labels: [], tasks: 0).meanAUROC.isNaN)
        // Positives only: AUPR would be 1 whatever the scores; it is left out as AUROC is.
        let positives = ClassificationScores(scores: [0.1, 0.9, 0.5, 0.5], labels: [1, 1, 1, 0], tasks: 2)
        #expect(positives.aupr[0] == nil && positives.auroc[0] == nil && positives.meanAUPR == positives.aupr[1]!)
    }
}

@Suite struct ClassificationMetricTests {
    @Test func aurocIsTheMannWhitneyProbabilityWithHalfTies() {
        #expect(auroc(scores: [0.9, 0.8, 0.3, 0.1], labels: [true, true, false, false]) == 1)
        #expect(auroc(scores: [0.1, 0.2, 0.3, 0.4], labels: [true, true, false, false]) == 0)
        // Pairs (pos, neg): (0.8,0.5) win, (0.8,0.8) tie ½, (0.4,0.5) loss, (0.4,0.8) loss → 1.5 / 4.
        #expect(auroc(scores: [0.8, 0.4, 0.5, 0.8], labels: [true, true, false, false]) == 0.375)
        #expect(auroc(scores: [1, 1, 1], labels: [true, false, false]) == 0.5)
        #expect(auroc(scores: [1, 2], labels: [true, true]) == nil)
    }

    @Test func curvesAgreeWithTheirAreas() {
        let scores = [0.9, 0.8, 0.8, 0.7, 0.6, 0.5, 0.5, 0.3], labels = [true, false, true, true, false, true, false, false]
        let roc = rocCurve(scores: scores, labels: labels)!
        #expect(roc.first! == (0, 0) && roc.last! == (1, 1))
        // Ties (0.8: one of each; 0.5: one of each) are one diagonal step.
        #expect(roc.map(\.tpr) == [0, 0.25, 0.5, 0.75, 0.75, 1, 1])
        #expect(roc.map(\.fpr) == [0, 0, 0.25, 0.25, 0.5, 0.75, 1])
        var trapezoid = 0.0
        for k in 1..<roc.count { trapezoid += (roc[k].fpr - roc[k - 1].fpr) * (roc[k].tpr + roc[k - 1].tpr) / 2 }
        #expect(Swift.abs(trapezoid - auroc(scores: scores, labels: labels)!) < 1e-12)
        let pr = precisionRecallCurve(scores: scores, labels: labels)!
        #expect(pr.map(\.recall) == [0.25, 0.5, 0.75, 0.75, 1, 1])
        #expect(pr.map(\.precision) == [1, 2.0 / 3, 0.75, 0.6, 4.0 / 7, 0.5])
        var ap = 0.0, recall = 0.0
        for point in pr { ap += (point.recall - recall) * point.precision; recall = point.recall }
        #expect(Swift.abs(ap - aupr(scores: scores, labels: labels)!) < 1e-12)
        #expect(rocCurve(scores: [1, 2], labels: [true, true]) == nil && precisionRecallCurve(scores: [1], labels: [false]) == nil)
    }

    @Test func auprIsAveragePrecisionOverDistinctThresholds() {
        // scikit-learn: average_precision_score([1,0,1,1,0], [0.9,0.8,0.7,0.6,0.5]) = (1 + 2/3 + 3/4)/3.
        let ap = aupr(scores: [0.9, 0.8, 0.7, 0.6, 0.5], labels: [true, false, true, true, false])!
        #expect(Swift.abs(ap - (1 + 2.0 / 3 + 0.75) / 3) < 1e-12)
        // All scores tied: one threshold, precision = prevalence.
        #expect(aupr(scores: [1, 1, 1, 1], labels: [true, false, false, false]) == 0.25)
        // Ties: the tied pair enters together, recall 1/2 → 1 at precision 1/2 after the leader.
        let tied = aupr(scores: [3, 2, 2], labels: [false, true, true])!
        #expect(Swift.abs(tied - 2.0 / 3) < 1e-12)
        #expect(aupr(scores: [1], labels: [false]) == nil)
    }
}

@Suite struct RegressionScoresTests {
    /// Two tasks over 4 examples: task 0 predicted as y + 1 (r = ρ = 1, MSE 1), task 1 constant (no correlation).
    @Test func perTaskCorrelationsAndSquaredError() {
        let labels: [Float] = [1, 5, 2, 5, 3, 5, 4, 5]
        let predictions: [Float] = [2, 0, 3, 0, 4, 0, 5, 0]
        let r = RegressionScores(predictions: predictions, labels: labels, tasks: 2)
        #expect(r.pearson[0]! > 1 - 1e-12 && r.spearman[0]! > 1 - 1e-12 && r.mse[0] == 1)
        #expect(r.pearson[1] == nil && r.spearman[1] == nil && r.mse[1] == 25)
        #expect(r.meanPearson == r.pearson[0]! && r.meanMSE == 13)
        // Reversed order: r = ρ = −1.
        let reversed = RegressionScores(predictions: [4, 3, 2, 1], labels: [1, 2, 3, 4], tasks: 1)
        #expect(reversed.pearson[0]! < -1 + 1e-12 && reversed.spearman[0]! < -1 + 1e-12)
    }
}
