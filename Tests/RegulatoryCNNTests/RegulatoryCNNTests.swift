import Testing
import TestSupport
import Statistics
import Tensors
import Autodiff
import Layers
import Motifs
import DNAData
import RegulatoryCNN
import Optimizers
import NumPyIO
#if canImport(Glibc)
import Glibc
#endif

@Suite struct RegulatoryCNNTests {
    @Test func namedArchitecturesBuildAndMapToTaskLogits() throws {
        for name in ["cnn-local", "cnn-dist", "cnn-2", "cnn-50", "cnn-deep", "cnn-deep-same", "cnn-10-10"] {
            let model = try CNNModel(architecture: .named(name, activation: .exponential), length: 200, taskNames: ["a", "b", "c"], seed: 1)
            var rng = RandomGenerator(seed: 2)
            let x = Tensor.uniform([5, 4, 200], using: &rng)
            #expect(model.predict(x).shape == [5, 3], "\(name)")
        }
        #expect(try CNNArchitecture.named("cnn-4-25", activation: .exponential).tokens.prefix(3) == ["conv32x19", "bn", "exp"])
    }

    /// The published CNN-local and CNN-deep (Koo & Ploenzke 2021 model_zoo): layer sizes, valid
    /// padding and parameter counts as Keras reports them for 200 bp (BN: 4 weights per channel,
    /// 2 of them trainable; counted here as scale + shift + the 2 running statistics).
    @Test func publishedArchitecturesHaveThePapersShapes() throws {
        let local = try CNNModel(architecture: .named("cnn-local", activation: .exponential), length: 200, taskNames: ["code"], seed: 1)
        let convs = local.network.layers.compactMap { $0 as? Conv1D }
        #expect(convs.map { $0.weight.shape } == [[24, 4, 19], [48, 24, 3]])
        let dense = local.network.layers.compactMap { $0 as? Linear }
        // 200 bp → pool 50 → 4 → pool 2 → 2 positions × 48 channels = 96 inputs to dense 96.
        #expect(dense.map { $0.weight.shape } == [[96, 96], [1, 96]] || dense.map { $0.weight.shape } == [[96, 96], [96, 1]])
        let deep = try CNNModel(architecture: .named("cnn-deep", activation: .relu), length: 200, taskNames: (0..<12).map { "t\($0)" }, seed: 1)
        #expect(deep.network.layers.compactMap { $0 as? Conv1D }.map { $0.weight.shape } == [[32, 4, 19], [48, 32, 7], [96, 48, 7], [128, 96, 3]])
        // 200 → pool 4: 50 → valid 7: 44 → pool 4: 11 → valid 3: 9 → pool 3: 3 positions × 128.
        let first = try #require(deep.network.layers.compactMap { $0 as? Linear }.first)
        #expect(first.weight.shape.contains(384) && first.weight.shape.contains(512))
        #expect(throws: CNNArchitecture.ArchitectureError.self) { _ = try CNNArchitecture("conv8x5/same") }
        #expect(throws: CNNArchitecture.ArchitectureError.self) { _ = try CNNArchitecture("conv8x5/valid/valid") }
        #expect(throws: CNNArchitecture.ArchitectureError.self) { _ = try CNNArchitecture("conv8x9/valid").build(length: 6, tasks: 1, seed: 0) }
    }

    @Test func reverseComplementIsAnInvolutionWithMatchingGradient() {
        let x = OneHot.encode(["AACGTN", "GATTCA"])
        #expect(OneHot.decode(OneHot.reverseComplement(x), sequence: 0) == "NACGTT")
        #expect(OneHot.decode(OneHot.reverseComplement(x), sequence: 1) == "TGAATC")
        #expect(OneHot.reverseComplement(OneHot.reverseComplement(x)) == x)
        // Finite differences: rc is linear, so the gradient of Σ r ⊙ rc(x) is rc(r).
        var rng = RandomGenerator(seed: 31)
        let x0 = Tensor.normal([2, 4, 5], using: &rng), r = Tensor.normal([2, 4, 5], using: &rng)
        let v = Variable(x0, requiresGrad: true)
        (reverseComplement(v) * Variable(r)).sum().backward()
        for i in [0, 7, 19, 33] {
            var p = x0, m = x0
            p.scalars[i] += 1e-2; m.scalars[i] -= 1e-2
            let numeric = ((OneHot.reverseComplement(p) * r).sum().scalar - (OneHot.reverseComplement(m) * r).sum().scalar) / 2e-2
            #expect(Swift.abs(numeric - v.grad!.scalars[i]) < 1e-3)
        }
    }

    /// With `rc` the same weights see both strands: a sequence and its reverse complement get the
    /// same logits, in the graph path (attribution, training) and the folded inference path alike.
    @Test func reverseComplementSharingIsStrandSymmetric() throws {
        let arch = try CNNArchitecture.named("cnn-local", activation: .exponential).withReverseComplement(true)
        #expect(arch.reverseComplement && arch.tokens.first == "rc" && !arch.withReverseComplement(false).reverseComplement)
        let model = try CNNModel(architecture: arch, length: 100, taskNames: ["a", "b"], seed: 32)
        var rng = RandomGenerator(seed: 33)
        _ = model.logits(Variable(Tensor.uniform([8, 4, 100], using: &rng)), training: true)   // running statistics
        let x = OneHot.encode((0..<4).map { _ in String((0..<100).map { _ in OneHot.bases[rng.int(below: 4)] }) })
        let rc = OneHot.reverseComplement(x)
        let a = model.predict(x), b = model.predict(rc)
        #expect(zip(a.scalars, b.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
        let g = noGrad { model.logits(Variable(x), training: false).value }
        #expect(zip(a.scalars, g.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-4 })
        let plain = try CNNModel(architecture: arch.withReverseComplement(false), length: 100, taskNames: ["a", "b"], seed: 32)
        let p = plain.predict(x), q = plain.predict(rc)
        #expect(zip(p.scalars, q.scalars).contains { Swift.abs($0 - $1) > 1e-3 })       // without sharing: not symmetric
        #expect(throws: CNNArchitecture.ArchitectureError.self) { _ = try CNNArchitecture("rc") }
    }

    /// predict (folded network, rows split over threads, any batch size) = the graph in evaluation
    /// mode, and the same bits at any thread count (rows run in blocks fixed by the batch size).
    @Test func dataParallelPredictionMatchesTheGraph() throws {
        let model = try CNNModel(architecture: .named("cnn-deep", activation: .exponential), length: 120, taskNames: ["a", "b", "c"], seed: 51)
        var rng = RandomGenerator(seed: 52)
        _ = model.logits(Variable(Tensor.uniform([16, 4, 120], using: &rng)), training: true)   // running statistics
        let x = OneHot.encode((0..<100).map { _ in String((0..<120).map { _ in OneHot.bases[rng.int(below: 4)] }) })
        let graph = noGrad { model.logits(Variable(x), training: false).value }
        let whole = model.predict(x), small = model.predict(x, batchSize: 7)
        #expect(zip(whole.scalars, graph.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-4 * (1 + Swift.abs($1)) })
        #expect(zip(whole.scalars, small.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-5 * (1 + Swift.abs($1)) })
        #expect(model.predict(x) == whole)                              // deterministic
        for threads in [1, 3] { #expect(Parallel.withThreads(threads) { model.predict(x) } == whole, "\(threads) threads") }
        for threads in [1, 2] { #expect(Parallel.withThreads(threads) { model.predict(x, batchSize: 7) } == small, "\(threads) threads, batch 7") }
    }

    /// Copies of a sequence at different batch positions get the same logits bit for bit (they are
    /// run once), so tie-aware AUROC sees them as ties; the distinct rows keep their own.
    @Test func identicalSequencesGetIdenticalLogits() throws {
        let model = try CNNModel(architecture: .named("cnn-deep", activation: .exponential), length: 120, taskNames: ["a", "b"], seed: 61)
        var rng = RandomGenerator(seed: 62)
        let distinct = (0..<4).map { _ in String((0..<120).map { _ in OneHot.bases[rng.int(below: 4)] }) }
        let order = (0..<90).map { _ in rng.int(below: 4) }
        let x = OneHot.encode(order.map { distinct[$0] })
        let (rows, index) = x.distinctRows()
        #expect(rows.count == 4 && zip(index, order).allSatisfy { rows[$0] == order.firstIndex(of: $1)! })
        let logits = model.predict(x, batchSize: 7), once = model.predict(OneHot.encode(distinct))
        for (r, k) in order.enumerated() {
            let first = order.firstIndex(of: k)!
            #expect(Array(logits.scalars[(2 * r)..<(2 * r + 2)]) == Array(logits.scalars[(2 * first)..<(2 * first + 2)]))
            for c in 0..<2 { #expect(Swift.abs(logits.scalars[2 * r + c] - once.scalars[2 * k + c]) < 1e-5 * (1 + Swift.abs(once.scalars[2 * k + c]))) }
        }
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
        let path = temporaryDirectory() + "/cnn.npz"
        try model.write(to: path, overwrite: true)
        let back = try CNNModel.read(path)
        #expect(back.predict(x).scalars == model.predict(x).scalars && back.taskNames == ["x", "y"])
        // task_names is a (T,) unicode array; files written before held one comma-joined byte string.
        var raw = try NPZArchive.read(path)
        #expect(raw["task_names"] == NumPyArray(strings: ["x", "y"]) && raw["length"]?.dtype == .int64)
        raw["task_names"] = NumPyArray(byteString: "x,y"); raw["model_type"] = NumPyArray(byteString: "cnn")
        raw["architecture"] = NumPyArray(byteString: model.architecture.description)
        raw["length"] = NumPyArray(doubles: [100], shape: [])
        try raw.write(to: path)
        let old = try CNNModel.read(path)
        #expect(old.taskNames == ["x", "y"] && old.predict(x).scalars == model.predict(x).scalars)
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

    /// Stopping after epoch 2, saving the checkpoint to disk and resuming in a fresh model gives the
    /// same weights, BatchNorm statistics and history as training straight through (dropout, BN,
    /// shuffling and Adam all carry state across the break).
    @Test func resumedTrainingMatchesAnUninterruptedRun() throws {
        let motif = Motif(id: "M", name: "TATA", matrix: [[0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]])
        let decoy = Motif(id: "D", name: "GGCC", matrix: [[0, 0, 1, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 1, 0, 0]])
        let data = try SyntheticMotifs(task: .code, motifs: [motif], decoys: [decoy], count: 300, length: 30, motifsPerSequence: 1...2, seed: 41).generate()
        let arch = try CNNArchitecture("conv6x5 bn exp pool2 dropout0.2 flatten dense8 bn relu dropout0.3")
        var trainer = CNNTrainer()
        trainer.epochs = 5; trainer.batchSize = 32; trainer.learningRate = 0.01; trainer.patience = 10; trainer.lrPatience = 1; trainer.seed = 42
        let straight = try CNNModel(architecture: arch, length: 30, taskNames: data.taskNames, seed: 43)
        let full = trainer.train(straight, on: data)

        let path = temporaryDirectory() + "/cnn-ckpt.npz"
        defer { unlink(path) }
        let first = try CNNModel(architecture: arch, length: 30, taskNames: data.taskNames, seed: 43)
        _ = trainer.train(first, on: data, checkpoint: { state in
            if state.epoch == 2 { try? Checkpoint(fingerprint: "test", cnn: first, state: state).write(to: path) }
        }, progress: { $0.epoch < 2 })
        let second = try CNNModel(architecture: arch, length: 30, taskNames: data.taskNames, seed: 99)   // other initial weights
        let state = try Checkpoint.read(path).restoreCNN(into: second, path: path)
        #expect(state.epoch == 2 && state.history.count == 2)
        let resumed = trainer.train(second, on: data, resume: state)
        #expect(resumed.map(\.trainLoss) == full.map(\.trainLoss))
        #expect(resumed.map(\.learningRate) == full.map(\.learningRate))
        for (a, b) in zip(straight.parameters, second.parameters) { #expect(a.value == b.value) }
        #expect(straight.predict(data.test.x) == second.predict(data.test.x))
    }
}
