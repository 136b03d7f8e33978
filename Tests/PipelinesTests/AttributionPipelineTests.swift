import Testing
import Tensors
import DNAData
import RegulatoryCNN
import Pipelines

struct AttributionPipelineTests {
    /// Six one-hot sequences of 12 bp; task 0 positive for sequences 1 and 4, task 1 for 0.
    func dataset() -> DNADataset {
        let (n, l) = (6, 12)
        var x = Tensor(zeros: [n, 4, l])
        for s in 0..<n { for i in 0..<l { x.scalars[(s * 4 + (s + i) % 4) * l + i] = 1 } }
        var y = Tensor(zeros: [n, 2])
        y.scalars[1 * 2 + 0] = 1; y.scalars[4 * 2 + 0] = 1; y.scalars[0 * 2 + 1] = 1
        return DNADataset(x: x, y: y)
    }

    func model(length: Int = 12) throws -> CNNModel {
        try CNNModel(architecture: CNNArchitecture("conv4x3 relu gmax"), length: length, taskNames: ["t0", "t1"], seed: 1)
    }

    @Test func positivesForTheTaskAreExplainedFirst() {
        #expect(AttributionRun.chooseSequences(dataset(), task: 0, count: 4) == [1, 4, 0, 2])
        #expect(AttributionRun.chooseSequences(dataset(), task: 1, count: 10) == [0, 1, 2, 3, 4, 5])
        // A regression's most active sequences first, ties in split order.
        var measured = dataset()
        measured.y = Tensor(shape: [6, 1], scalars: [0.5, -2, 3, 0.5, 7, 1])
        #expect(AttributionRun.chooseSequences(measured, task: 0, count: 5, objective: .regression) == [4, 2, 5, 0, 3])
    }

    @Test func aRegressionsOutputIsExplainedAsItIs() throws {
        let m = try CNNModel(architecture: CNNArchitecture("conv4x3 relu gmax"), length: 12, taskNames: ["t0", "t1"], seed: 1, objective: .regression)
        var s = AttributionRun.Settings(method: .saliency); s.output = .probability
        #expect { try AttributionRun(model: m, set: dataset(), dataset: "d.npz", settings: s, quiet: true) } throws: { "\($0)".contains("this model is a regression") }
    }

    @Test func runExplainsTheChosenSequences() throws {
        var s = AttributionRun.Settings(method: .saliency); s.count = 3
        let run = try AttributionRun(model: try model(), set: dataset(), dataset: "d.npz", settings: s, quiet: true)
        #expect(run.chosen == [1, 4, 0])
        #expect(run.map.shape == [3, 4, 12])
        #expect(run.explained.x.scalars == dataset().subset([1, 4, 0]).x.scalars)
    }

    @Test func correctionSubtractsEachPositionsMeanOverBases() throws {
        var s = AttributionRun.Settings(method: .saliency); s.count = 2; s.correct = true
        let run = try AttributionRun(model: try model(), set: dataset(), dataset: "d.npz", settings: s, quiet: true)
        for n in 0..<2 { for i in 0..<12 {
            let sum = (0..<4).reduce(Float(0)) { $0 + run.map.scalars[(n * 4 + $1) * 12 + i] }
            #expect(Swift.abs(sum) < 1e-5)
        } }
    }

    @Test func ismLogoIsCentredAndGradientLogoShowsTheObservedBase() throws {
        var s = AttributionRun.Settings(method: .ism); s.count = 2
        let ism = try AttributionRun(model: try model(), set: dataset(), dataset: "d.npz", settings: s, quiet: true)
        for column in ism.logoColumns(1) { #expect(Swift.abs(column.reduce(0, +)) < 1e-6) }
        s.method = .saliency
        let saliency = try AttributionRun(model: try model(), set: dataset(), dataset: "d.npz", settings: s, quiet: true)
        for column in saliency.logoColumns(0) { #expect(column.filter { $0 != 0 }.count <= 1) }
        #expect(throws: PipelineError("--logo-index must be from 0 to 1")) { try saliency.logo(2, split: "test") }
        #expect(try saliency.logo(1, split: "test").values.count == 12)
    }

    /// Another length, other label columns (a 3-task model read the 2-task labels out of bounds:
    /// SIGILL), or a task out of range is refused, by first- and second-order attribution alike.
    @Test func aDatasetOfAnotherLengthOrOtherTasksOrATaskOutOfRangeIsRefused() throws {
        #expect(throws: PipelineError(path: "d.npz", "sequences of 12 bp with 2 task(s); the model expects 10 bp and 2")) {
            try AttributionRun(model: try model(length: 10), set: dataset(), dataset: "d.npz", settings: .init(), quiet: true)
        }
        for tasks in [1, 3] {
            let other = try CNNModel(architecture: CNNArchitecture("conv4x3 relu gmax"), length: 12, taskNames: (0..<tasks).map { "t\($0)" }, seed: 1)
            var s = AttributionRun.Settings(); s.task = tasks - 1
            let refusal = PipelineError(path: "d.npz", "sequences of 12 bp with 2 task(s); the model expects 12 bp and \(tasks)")
            #expect(throws: refusal) { try AttributionRun(model: other, set: dataset(), dataset: "d.npz", settings: s, quiet: true) }
            #expect(throws: refusal) { try AttributionRun.secondOrder(model: other, set: dataset(), dataset: "d.npz", settings: s, window: 0..<4, quiet: true) }
        }
        var s = AttributionRun.Settings(); s.task = 2
        #expect(throws: PipelineError("--task must be from 0 to 1")) {
            try AttributionRun(model: try model(), set: dataset(), dataset: "d.npz", settings: s, quiet: true)
        }
    }
}
