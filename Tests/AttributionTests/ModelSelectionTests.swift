import Testing
import Tensors
import DNAData
import RegulatoryCNN
import Attribution

@Suite struct ModelSelectionTests {
    func randomOneHot(_ n: Int, _ l: Int, seed: UInt64) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        var x = Tensor(zeros: [n, 4, l])
        for s in 0..<n { for i in 0..<l { x.scalars[(s * 4 + rng.int(below: 4)) * l + i] = 1 } }
        return x
    }

    func model(seed: UInt64) throws -> CNNModel {
        try CNNModel(architecture: CNNArchitecture("conv6x5 relu pool4 flatten dense8 relu"), length: 24, taskNames: ["t"], seed: seed)
    }

    @Test func identicalModelsHaveConsistencyOneAndNoVariation() throws {
        let x = randomOneHot(12, 24, seed: 1)
        let a = try model(seed: 4), b = try model(seed: 4)
        let maps = AttributionConsistency.maps([a, b, a], x: x, task: 0)
        let c = try #require(AttributionConsistency.consistency(maps, x: x))
        #expect(Swift.abs(c - 1) < 1e-9)
        #expect(try #require(AttributionConsistency.variation(maps)) < 1e-12)
        // Different seeds learn (here: are initialised to) different maps.
        let other = AttributionConsistency.maps([a, try model(seed: 5)], x: x, task: 0)
        #expect(try #require(AttributionConsistency.consistency(other, x: x)) < 0.9)
        #expect(try #require(AttributionConsistency.variation(other)) > 1e-4)
        #expect(AttributionConsistency.consistency([maps[0]], x: x) == nil)
    }

    @Test func robustnessIsOneWithoutNoiseAndLowerWithIt() throws {
        let x = randomOneHot(8, 24, seed: 2)
        let m = try model(seed: 6)
        #expect(Swift.abs(AttributionConsistency.robustness(m, x: x, task: 0, sigma: 0) - 1) < 1e-9)
        #expect(AttributionConsistency.robustness(m, x: x, task: 0, sigma: 1) < 0.99)
    }

    @Test func consistencyAgreementsRankLikeTheTruthWhenTheProxiesDo() {
        func report(_ consistency: Double, _ variation: Double, _ truth: Double?) -> ModelSelection.Report {
            // The uncorrected truth ranks the candidates the other way round.
            .init(name: "", replicates: 3, testScore: 0.9, testSecondScore: 0.9, interpretability: truth,
                  uncorrectedInterpretability: truth.map { 1 - $0 }, consistency: consistency, variation: variation, robustness: 0.9)
        }
        // Variation falls as the truth rises (a perfect proxy, ρ = 1); consistency rises (ρ = −1).
        let reports = [report(0.6, 0.001, 0.70), report(0.7, 0.002, 0.65), report(0.8, 0.004, 0.60), report(0.9, 0.003, nil)]
        #expect(ModelSelection.variationAgreement(reports) == 1)
        #expect(ModelSelection.consistencyAgreement(reports) == -1)
        #expect(ModelSelection.variationAgreement(reports, truth: \.uncorrectedInterpretability) == -1)
        #expect(ModelSelection.consistencyAgreement(reports, truth: \.uncorrectedInterpretability) == 1)
        // Only candidates with ground truth count, and three are needed.
        #expect(ModelSelection.variationAgreement(Array(reports.prefix(2))) == nil)
    }

    /// A regression candidate is scored by test Pearson r and Spearman ρ of its predictions, and its
    /// maps explain the test sequences with the highest labels.
    @Test func regressionCandidatesAreScoredByCorrelation() throws {
        let x = randomOneHot(20, 24, seed: 11)
        let m = try CNNModel(architecture: CNNArchitecture("conv6x5 relu pool4 flatten dense8 relu"), length: 24, taskNames: ["t"], seed: 3, objective: .regression)
        // Labels: the model's own predictions, doubled and shifted (r = ρ = 1), so the truth is known.
        let p = m.predict(x)
        let set = DNADataset(x: x, y: Tensor(shape: [20, 1], scalars: p.scalars.map { 2 * $0 + 1 }))
        let report = ModelSelection.evaluate([.init(name: "r", models: [m])], test: set, tasks: [0], sequences: 5)[0]
        #expect(Swift.abs(report.testScore - 1) < 1e-6 && Swift.abs(report.testSecondScore - 1) < 1e-9)
        let top = (0..<20).sorted { p.scalars[$0] > p.scalars[$1] }.prefix(5)
        #expect(Set(ModelSelection.explained(set, task: 0, count: 5, objective: .regression)) == Set(top))
    }

    @Test func paretoFrontKeepsOnlyUndominatedPoints() {
        let front = ModelSelection.paretoFront([(0.9, 0.5), (0.8, 0.7), (0.85, 0.4), (0.9, 0.5), (0.7, 0.7)])
        #expect(front == [true, true, false, true, false])
    }

    @Test func selectionReportsTruthAndConsistencyPerCandidate() throws {
        let x = randomOneHot(30, 24, seed: 3)
        let y = Tensor(shape: [30, 1], scalars: (0..<30).map { Float($0 % 2) })
        var truth = Tensor(repeating: 0.25, shape: [30, 4, 24])
        for s in 0..<30 { for i in 10..<14 { for b in 0..<4 { truth.scalars[(s * 4 + b) * 24 + i] = x.scalars[(s * 4 + b) * 24 + i] } } }
        let set = DNADataset(x: x, y: y, groundTruth: truth)
        let same = try model(seed: 7)
        let reports = ModelSelection.evaluate([.init(name: "same", models: [same, same]), .init(name: "seeds", models: [try model(seed: 8), try model(seed: 9)])],
                                              test: set, tasks: [0], sequences: 10)
        #expect(reports.map(\.replicates) == [2, 2])
        #expect(Swift.abs(reports[0].consistency! - 1) < 1e-9)
        #expect(reports.allSatisfy { $0.interpretability != nil && $0.testScore.isFinite })
        #expect(ModelSelection.explained(set, task: 0, count: 100).count == 15)
        // Identical replicates have no variation: the front holds them whatever the AUROC of the other.
        #expect(reports[0].variation! < 1e-12 && reports[1].variation! > 1e-6)
        #expect(reports[0].pareto)
    }

    @Test func trustScoresAreLowVariationOrRobustnessForAll() {
        func report(_ variation: Double?, _ robustness: Double) -> ModelSelection.Report {
            .init(name: "", replicates: variation == nil ? 1 : 3, testScore: 0.9, testSecondScore: 0.9, interpretability: nil,
                  consistency: nil, variation: variation, robustness: robustness)
        }
        #expect(ModelSelection.trustScores([report(0.002, 0.8), report(0.001, 0.7)]) == [-0.002, -0.001])
        // A single-replicate candidate has no variation: every candidate is then scored by robustness.
        #expect(ModelSelection.trustScores([report(0.002, 0.8), report(nil, 0.7)]) == [0.8, 0.7])
    }

    @Test func onlyTheTasksOwnMotifsAreTruth() throws {
        // Two motifs per sequence: columns 10–13 belong to task 0, columns 2–5 to a decoy (owner −1).
        let x = randomOneHot(30, 24, seed: 10)
        let y = Tensor(shape: [30, 1], scalars: (0..<30).map { Float($0 % 2) })
        var truth = Tensor(repeating: 0.25, shape: [30, 4, 24])
        var owner = Tensor(repeating: -1, shape: [30, 24])
        for s in 0..<30 { for i in Array(2..<6) + Array(10..<14) {
            for b in 0..<4 { truth.scalars[(s * 4 + b) * 24 + i] = x.scalars[(s * 4 + b) * 24 + i] }
            if i >= 10 { owner.scalars[s * 24 + i] = 0 }
        } }
        let set = DNADataset(x: x, y: y, groundTruth: truth, truthTask: owner)
        let models = [try model(seed: 11), try model(seed: 12)]
        let report = ModelSelection.evaluate([.init(name: "m", models: models)], test: set, tasks: [0], sequences: 15)[0]
        let chosen = ModelSelection.explained(set, task: 0, count: 15), sub = set.subset(chosen)
        let maps = AttributionConsistency.maps(models, x: sub.x, task: 0)
        let raw = AttributionConsistency.maps(models, x: sub.x, task: 0, corrected: false)
        func mean(_ owner: Tensor?, _ maps: [Tensor]) -> Double {
            maps.map { Interpretability.score($0, x: sub.x, truth: sub.groundTruth!, owner: owner, task: 0, sequences: Array(0..<chosen.count), reduction: .observedBase).auroc }
                .reduce(0, +) / Double(maps.count)
        }
        #expect(Swift.abs(report.interpretability! - mean(sub.truthTask, maps)) < 1e-12)
        #expect(Swift.abs(report.interpretability! - mean(nil, maps)) > 1e-6)     // the decoy is not truth
        // The uncorrected gradient × input, scored the same way (what `cnn interpretability --method saliency` computes).
        #expect(Swift.abs(report.uncorrectedInterpretability! - mean(sub.truthTask, raw)) < 1e-12)
        #expect(Swift.abs(report.uncorrectedInterpretability! - report.interpretability!) > 1e-6)
    }

    @Test func severalTasksAverageTheirOwnColumns() throws {
        let x = randomOneHot(40, 24, seed: 13)
        let y = Tensor(shape: [40, 2], scalars: (0..<80).map { Float(($0 / 2 + $0 % 2) % 2) })
        var truth = Tensor(repeating: 0.25, shape: [40, 4, 24])
        var owner = Tensor(repeating: -1, shape: [40, 24])
        for s in 0..<40 { for i in 4..<16 {
            for b in 0..<4 { truth.scalars[(s * 4 + b) * 24 + i] = x.scalars[(s * 4 + b) * 24 + i] }
            owner.scalars[s * 24 + i] = i < 10 ? 0 : 1
        } }
        let set = DNADataset(x: x, y: y, groundTruth: truth, truthTask: owner)
        let arch = try CNNArchitecture("conv6x5 relu pool4 flatten dense8 relu")
        let models = try [14, 15].map { try CNNModel(architecture: arch, length: 24, taskNames: ["a", "b"], seed: $0) }
        let candidate = [ModelSelection.Candidate(name: "m", models: models)]
        let both = ModelSelection.evaluate(candidate, test: set, tasks: [0, 1], sequences: 10)[0]
        let one = [0, 1].map { ModelSelection.evaluate(candidate, test: set, tasks: [$0], sequences: 10)[0] }
        #expect(Swift.abs(both.interpretability! - (one[0].interpretability! + one[1].interpretability!) / 2) < 1e-12)
        #expect(Swift.abs(both.consistency! - (one[0].consistency! + one[1].consistency!) / 2) < 1e-12)
        #expect(Swift.abs(both.robustness - (one[0].robustness + one[1].robustness) / 2) < 1e-12)
        #expect(both.testScore == one[0].testScore)
    }
}
