import Testing
import Tensors
import Autodiff
import Layers
import Motifs
import DNAData
import RegulatoryCNN

@Suite struct RegulatoryCNNTests {
    @Test func namedArchitecturesBuildAndMapToTaskLogits() throws {
        for name in ["cnn-local", "cnn-dist", "cnn-2", "cnn-50", "cnn-deep", "cnn-10-10"] {
            let model = try CNNModel(architecture: .named(name, activation: .exponential), length: 200, taskNames: ["a", "b", "c"], seed: 1)
            var rng = RandomGenerator(seed: 2)
            let x = Tensor.uniform([5, 4, 200], using: &rng)
            #expect(model.predict(x).shape == [5, 3], "\(name)")
        }
        #expect(try CNNArchitecture.named("cnn-local", activation: .exponential).tokens.prefix(3) == ["conv32x19", "bn", "exp"])
    }

    @Test func badArchitecturesAreErrors() {
        for spec in ["conv32", "pool0", "dropout1.5", "wibble", ""] {
            #expect(throws: CNNArchitecture.ArchitectureError.self) { _ = try CNNArchitecture(spec) }
        }
        #expect(throws: CNNArchitecture.ArchitectureError.self) { _ = try CNNModel(architecture: CNNArchitecture("conv4x5 pool30"), length: 20, taskNames: ["t"], seed: 0) }
        #expect(throws: CNNArchitecture.ArchitectureError.self) { _ = try CNNArchitecture.named("cnn-huge") }
    }

    @Test func savedModelsPredictIdentically() throws {
        let model = try CNNModel(architecture: .named("cnn-local"), length: 100, taskNames: ["x", "y"], seed: 3)
        var rng = RandomGenerator(seed: 4)
        let x = Tensor.uniform([7, 4, 100], using: &rng)
        _ = model.logits(Variable(x), training: true)              // moves BatchNorm running statistics
        let path = "/tmp/seqgen-cnn-\(UInt32.random(in: 0...UInt32.max)).npz"
        try model.write(to: path, overwrite: true)
        let back = try CNNModel.read(path)
        #expect(back.predict(x).scalars == model.predict(x).scalars && back.taskNames == ["x", "y"])
    }

    @Test func globalMeanPoolMatchesFiniteDifferences() {
        var rng = RandomGenerator(seed: 5)
        let x = Variable(.normal([2, 3, 4], using: &rng), requiresGrad: true)
        let weights = Tensor.normal([2, 3, 1], using: &rng)
        let loss = { (GlobalMeanPool()(x, training: true) * Variable(weights)).sum() }
        loss().backward()
        let analytic = x.grad!
        let h: Float = 1e-2
        for k in [0, 5, 13, 23] {
            let saved = x.value.scalars[k]
            x.value.scalars[k] = saved + h; let up = noGrad { loss().item }
            x.value.scalars[k] = saved - h; let down = noGrad { loss().item }
            x.value.scalars[k] = saved
            #expect(Swift.abs((up - down) / (2 * h) - analytic.scalars[k]) < 1e-3)
        }
    }

    /// A planted answer: positives carry AAAA…-like motif instances, negatives do not; a small CNN
    /// with a global max pool must separate them.
    @Test func learnsAPlantedMotif() throws {
        let motif = Motif(id: "M", name: "TATA", matrix: [[0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]])
        let decoy = Motif(id: "D", name: "GGCC", matrix: [[0, 0, 1, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 1, 0]])
        let data = try SyntheticMotifs(task: .code, motifs: [motif], decoys: [decoy], count: 800, length: 40, motifsPerSequence: 1...2, seed: 6).generate()
        let model = try CNNModel(architecture: CNNArchitecture("conv8x7 relu gmax dense16 relu"), length: 40, taskNames: data.taskNames, seed: 7)
        var trainer = CNNTrainer()
        trainer.epochs = 15; trainer.batchSize = 50; trainer.learningRate = 0.01; trainer.patience = 15
        let history = trainer.train(model, on: data)
        let test = ClassificationScores(logits: model.predict(data.test.x), labels: data.test.y)
        #expect(test.meanAUROC > 0.97, "test AUROC \(test.meanAUROC) after \(history.count) epochs")
        #expect(history.first!.trainLoss > history.last!.trainLoss)
    }
}
