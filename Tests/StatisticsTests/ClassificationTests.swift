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
