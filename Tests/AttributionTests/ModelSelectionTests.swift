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
                                              test: set, task: 0, sequences: 10)
        #expect(reports.map(\.replicates) == [2, 2])
        #expect(Swift.abs(reports[0].consistency! - 1) < 1e-9)
        #expect(reports.allSatisfy { $0.interpretability != nil && $0.testAUROC.isFinite })
        #expect(ModelSelection.explained(set, task: 0, count: 100).count == 15)
    }
}
