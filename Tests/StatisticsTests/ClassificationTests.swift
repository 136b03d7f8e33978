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
