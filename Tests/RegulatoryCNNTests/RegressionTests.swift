import Testing
import TestSupport
import Statistics
import Tensors
import Autodiff
import DNAData
import RegulatoryCNN
import NumPyIO
import Optimizers

/// Regression CNNs (`Objective.regression`): squared-error loss, early stopping on the validation
/// loss, the objective saved with the model, and a planted answer: activity = 1.5 × copies of a motif − 0.5.
@Suite struct RegressionTests {
    /// Sequences of `length` random bases with 0–3 copies of GATAAG; label 1.5 · copies − 0.5 + N(0, 0.1²).
    static func activityData(count: Int, length: Int, seed: UInt64) -> DNADataset {
        var rng = RandomGenerator(seed: seed)
        var sequences: [String] = [], labels: [Float] = []
        let motif = Array("GATAAG".utf8), bases = Array("ACGT".utf8)
        for _ in 0..<count {
            var s = (0..<length).map { _ in bases[rng.int(below: 4)] }
            // Copies at disjoint slots of 8 bases, so none overlaps another.
            let slots = rng.permutation(length / 8), copies = rng.int(below: 4)
            for k in slots.prefix(copies) { s.replaceSubrange((k * 8)..<(k * 8 + 6), with: motif) }
            let text = String(decoding: s, as: UTF8.self)
            let found = text.utf8.indices.filter { text.utf8[$0...].starts(with: motif) }.count
            sequences.append(text)
            labels.append(1.5 * Float(found) - 0.5 + 0.1 * Float(rng.normal()))
        }
        return DNADataset(x: OneHot.encode(sequences), y: Tensor(shape: [count, 1], scalars: labels))
    }

    @Test func learnsAnActivityFromMotifCopies() throws {
        let all = Self.activityData(count: 1200, length: 48, seed: 3)
        let data = DNASplits(train: all.subset(Array(0..<800)), valid: all.subset(Array(800..<1000)), test: all.subset(Array(1000..<1200)), taskNames: ["activity"])
        let model = try CNNModel(architecture: CNNArchitecture("conv8x6 relu pool4 flatten dense16 relu"), length: 48, taskNames: ["activity"], seed: 1, objective: .regression)
        var trainer = CNNTrainer()
        trainer.epochs = 40; trainer.batchSize = 50; trainer.learningRate = 0.01; trainer.patience = 40
        let history = trainer.train(model, on: data)
        // The validation loss is the mean squared error, and early stopping follows it.
        let valid = model.predict(data.valid.x)
        let mse = zip(valid.scalars, data.valid.y.scalars).map { Double(($0 - $1) * ($0 - $1)) }.reduce(0, +) / Double(valid.count)
        let best = history.max { trainer.score($0) < trainer.score($1) }!
        #expect(Swift.abs(best.validLoss - mse) < 1e-4 * Swift.max(1, mse), "best epoch's validation loss \(best.validLoss) against the kept weights' MSE \(mse)")
        #expect(best.validLoss == history.map(\.validLoss).min()!)
        let test = RegressionScores(predictions: model.predict(data.test.x).scalars, labels: data.test.y.scalars, tasks: 1)
        #expect(test.meanPearson > 0.9, "test Pearson r \(test.meanPearson), MSE \(test.meanMSE) after \(history.count) epochs")
    }

    /// Each epoch reports the validation r, and a checkpoint keeps it: a run resumed after epoch 2
    /// has the same history, r included, as one trained straight through.
    @Test func validationCorrelationIsReportedAndCheckpointed() throws {
        let all = Self.activityData(count: 300, length: 32, seed: 8)
        let data = DNASplits(train: all.subset(Array(0..<200)), valid: all.subset(Array(200..<250)), test: all.subset(Array(250..<300)), taskNames: ["activity"])
        let arch = try CNNArchitecture("conv4x6 relu pool4 flatten dense8 relu")
        var trainer = CNNTrainer()
        trainer.epochs = 4; trainer.batchSize = 25; trainer.learningRate = 0.01; trainer.seed = 3
        let full = trainer.train(try CNNModel(architecture: arch, length: 32, taskNames: ["activity"], seed: 5, objective: .regression), on: data)
        let last = try CNNModel(architecture: arch, length: 32, taskNames: ["activity"], seed: 5, objective: .regression)
        let path = temporaryDirectory() + "/regression-ckpt.npz"
        _ = trainer.train(last, on: data, checkpoint: { state in
            if state.epoch == 2 { try? Checkpoint(fingerprint: "test", cnn: last, state: state).write(to: path) }
        }, progress: { $0.epoch < 2 })
        let again = try CNNModel(architecture: arch, length: 32, taskNames: ["activity"], seed: 9, objective: .regression)
        let resumed = trainer.train(again, on: data, resume: try Checkpoint.read(path).restoreCNN(into: again, path: path))
        #expect(full.allSatisfy { $0.validPearson.isFinite && $0.validPearson > -1 && $0.validPearson < 1 })
        #expect(resumed.map(\.validPearson) == full.map(\.validPearson) && resumed.map(\.validLoss) == full.map(\.validLoss))
        // A classifier's epochs hold none.
        let classifier = try CNNModel(architecture: arch, length: 32, taskNames: ["activity"], seed: 5)
        var binary = data
        binary.train.y = Tensor(shape: [200, 1], scalars: data.train.y.scalars.map { $0 > 1 ? 1 : 0 })
        binary.valid.y = Tensor(shape: [50, 1], scalars: data.valid.y.scalars.map { $0 > 1 ? 1 : 0 })
        trainer.epochs = 1
        #expect(trainer.train(classifier, on: binary).allSatisfy { $0.validPearson.isNaN })
    }

    @Test func lossIsBinaryCrossEntropyOrSquaredError() throws {
        let arch = try CNNArchitecture("conv2x3 relu flatten")
        let classifier = try CNNModel(architecture: arch, length: 5, taskNames: ["t"], seed: 1)
        let regression = try CNNModel(architecture: arch, length: 5, taskNames: ["t"], seed: 1, objective: .regression)
        let outputs = Variable(Tensor(shape: [2, 1], scalars: [0.5, -1])), labels = Tensor(shape: [2, 1], scalars: [2, 1])
        #expect(Swift.abs(regression.loss(outputs, labels: labels).item - (1.5 * 1.5 + 2 * 2) / 2) < 1e-6)
        let bce = binaryCrossEntropyWithLogits(outputs, targets: labels).item
        #expect(classifier.loss(outputs, labels: labels).item == bce)
    }

    /// Balanced tasks: w_t ∝ 1 / Var(labels_t), mean 1; an error of one standard deviation costs
    /// every task the same; the weights travel with the model file.
    @Test func balancedTasksWeighByLabelVariance() throws {
        // Task b is task a × 10 + 3: variance × 100.
        let a: [Float] = [0, 1, 2, 3, 4, 5]
        let labels = Tensor(shape: [6, 2], scalars: a.flatMap { [$0, 10 * $0 + 3] })
        let w = try #require(CNNModel.balancedTaskWeights(labels))
        #expect(Swift.abs(w[0] / w[1] - 100) < 1e-3 && Swift.abs((w[0] + w[1]) / 2 - 1) < 1e-6)
        #expect(CNNModel.balancedTaskWeights(Tensor(shape: [3, 2], scalars: [1, 5, 2, 6, 3, 7])) == [1, 1])
        #expect(CNNModel.balancedTaskWeights(Tensor(shape: [3, 2], scalars: [1, 5, 1, 6, 1, 7])) == nil)     // task 0 does not vary
        let model = try CNNModel(architecture: CNNArchitecture("conv2x3 relu flatten"), length: 5, taskNames: ["a", "b"], seed: 1, objective: .regression)
        model.taskLossWeights = w
        let sdA = (a.map { ($0 - 2.5) * ($0 - 2.5) }.reduce(0, +) / 5).squareRoot(), sd = [sdA, 10 * sdA]
        func loss(offTask t: Int) -> Float {
            var p = labels
            for n in 0..<6 { p.scalars[n * 2 + t] += sd[t] }
            return model.loss(Variable(p), labels: labels).item
        }
        #expect(Swift.abs(loss(offTask: 0) - loss(offTask: 1)) < 1e-4 * loss(offTask: 0))
        // Saved and read back; a classifier may not carry them, nor may bad values be read.
        let path = temporaryDirectory() + "/balanced.npz"
        try model.write(to: path, overwrite: true)
        #expect(try CNNModel.read(path).taskLossWeights == w)
        var raw = try NPZArchive.read(path)
        raw["task_loss_weights"] = NumPyArray(Tensor(shape: [2], scalars: [1, -1]))
        try raw.write(to: path)
        #expect { try CNNModel.read(path) } throws: { "\($0)".contains("task_loss_weights must be 2 positive finite numbers") }
        raw["task_loss_weights"] = NumPyArray(Tensor(shape: [2], scalars: [1, 1]))
        raw["objective"] = nil
        try raw.write(to: path)
        #expect { try CNNModel.read(path) } throws: { "\($0)".contains("task_loss_weights belong to a regression") }
    }

    @Test func objectiveIsSavedWithTheModel() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv2x3 relu flatten"), length: 5, taskNames: ["t"], seed: 1, objective: .regression)
        let path = temporaryDirectory() + "/regression-model.npz"
        try model.write(to: path, overwrite: true)
        #expect(try CNNModel.read(path).objective == .regression)
        // A classifier's file holds no objective (its bytes are as before regressions existed).
        let classifier = try CNNModel(architecture: CNNArchitecture("conv2x3 relu flatten"), length: 5, taskNames: ["t"], seed: 1)
        let plain = temporaryDirectory() + "/classifier.npz"
        try classifier.write(to: plain, overwrite: true)
        #expect(try NPZArchive.read(plain)["objective"] == nil)
        // Files without an objective are classifiers; an unknown one is an error.
        var raw = try NPZArchive.read(path)
        raw["objective"] = nil
        try raw.write(to: path)
        #expect(try CNNModel.read(path).objective == .classification)
        raw["objective"] = NumPyArray(string: "ranking")
        try raw.write(to: path)
        #expect { try CNNModel.read(path) } throws: { "\($0)".contains("objective 'ranking' is not classification or regression") }
    }
}
