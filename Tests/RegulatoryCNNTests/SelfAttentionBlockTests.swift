import Testing
import TestSupport
import Tensors
import Autodiff
import Layers
import RegulatoryCNN
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SelfAttentionBlockTests {
    /// Central differences of L = Σ y ⊙ R against the tape, for the input and a query weight.
    @Test func selfAttentionBlockGradientMatchesFiniteDifferences() {
        var rng = RandomGenerator(seed: 21)
        let block = SelfAttentionBlock(channels: 4, heads: 2, using: &rng)
        let positional = PositionalEncoding(channels: 4, length: 5)
        let x0 = Tensor.normal([2, 4, 5], using: &rng), r = Tensor.normal([2, 4, 5], using: &rng)
        func loss(_ x: Tensor) -> Double {
            let y = block(positional(Variable(x), training: false), training: false).value
            return zip(y.scalars, r.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let x = Variable(x0, requiresGrad: true)
        (block(positional(x, training: false), training: false) * Variable(r)).sum().backward()
        let eps: Float = 1e-3
        for i in stride(from: 0, to: x0.count, by: 3) {
            var p = x0, m = x0
            p.scalars[i] += eps; m.scalars[i] -= eps
            let numeric = Float((loss(p) - loss(m)) / Double(2 * eps))
            #expect(Swift.abs(numeric - x.grad!.scalars[i]) < 2e-2 * (1 + Swift.abs(numeric)), "x element \(i)")
        }
        let w = block.attention.query.weight
        let w0 = w.value, analytic = w.grad!
        for i in 0..<w0.count {
            w.value = w0; w.value.scalars[i] += eps
            let lp = loss(x0)
            w.value = w0; w.value.scalars[i] -= eps
            let lm = loss(x0)
            w.value = w0
            let numeric = Float((lp - lm) / Double(2 * eps))
            #expect(Swift.abs(numeric - analytic.scalars[i]) < 2e-2 * (1 + Swift.abs(numeric)), "query weight \(i)")
        }
    }

    @Test func attentionMapsAreDistributionsOverPositions() {
        var rng = RandomGenerator(seed: 22)
        let block = SelfAttentionBlock(channels: 6, heads: 3, using: &rng)
        let (y, a) = block.attend(Variable(Tensor.normal([2, 6, 7], using: &rng)))
        #expect(y.shape == [2, 6, 7])
        #expect(a.shape == [2, 3, 7, 7])
        #expect(a.value.sum(alongAxis: -1).scalars.allSatisfy { Swift.abs($0 - 1) < 1e-5 })
    }

    @Test func positionalEncodingIsTheSinusoidTable() {
        let p = PositionalEncoding(channels: 4, length: 6)
        for l in 0..<6 {
            #expect(Swift.abs(p.table.scalars[0 * 6 + l] - Float(sin(Double(l)))) < 1e-6)
            #expect(Swift.abs(p.table.scalars[1 * 6 + l] - Float(cos(Double(l)))) < 1e-6)
            #expect(Swift.abs(p.table.scalars[2 * 6 + l] - Float(sin(Double(l) / 100))) < 1e-6)
            #expect(Swift.abs(p.table.scalars[3 * 6 + l] - Float(cos(Double(l) / 100))) < 1e-6)
        }
        let x = Tensor(zeros: [3, 4, 6])
        #expect(p(Variable(x), training: false).value.scalars == (0..<3).flatMap { _ in p.table.scalars })
    }

    @Test func hybridArchitectureBuildsTrainsAndRoundTrips() throws {
        let arch = try CNNArchitecture("conv8x5 bn exp pool2 posenc mha2 gmax dense4 relu")
        let model = try CNNModel(architecture: arch, length: 20, taskNames: ["a"], seed: 3)
        var rng = RandomGenerator(seed: 4)
        let x = Tensor.uniform([3, 4, 20], using: &rng)
        let logits = model.logits(Variable(x), training: true)
        #expect(logits.shape == [3, 1])
        logits.sum().backward()
        #expect(model.network.layers.contains { $0 is SelfAttentionBlock })
        #expect(model.parameters.allSatisfy { $0.grad != nil })
        let path = temporaryDirectory() + "/cnn-hybrid.npz"
        try model.write(to: path, overwrite: true)
        defer { unlink(path) }
        let back = try CNNModel.read(path)
        #expect(back.predict(x).scalars == model.predict(x).scalars)
    }

    /// Folding a hybrid fixes its attention block too: the same function, ∂f/∂x through the
    /// folded network is the evaluation-mode network's, and no weight (the copy's or the
    /// original's) gets a gradient — so attribution computes no weight gradients and threads may
    /// share the folded network. A BatchNorm after an activation (not foldable) is fixed as well.
    @Test func foldedHybridHasNoTrainableParameters() throws {
        let arch = try CNNArchitecture("conv8x5 exp bn pool2 posenc mha2 gmax dense4 relu")
        let model = try CNNModel(architecture: arch, length: 20, taskNames: ["a", "b"], seed: 5)
        var rng = RandomGenerator(seed: 6)
        for _ in 0..<2 { _ = model.logits(Variable(Tensor.uniform([8, 4, 20], using: &rng)), training: true) }
        let folded = model.network.foldedForInference()
        #expect(folded.layers.contains { $0 is SelfAttentionBlock } && folded.layers.contains { $0 is BatchNorm1d })
        func close(_ a: Tensor, _ b: Tensor) -> Bool {
            a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * (1 + Swift.abs($1)) }
        }
        #expect(folded.parameters.allSatisfy { !$0.requiresGrad })
        let x = Tensor.uniform([5, 4, 20], using: &rng), seed = Tensor.normal([5, 2], using: &rng)
        #expect(close(folded(Variable(x), training: false).value, model.network(Variable(x), training: false).value))
        func inputGradient(_ f: Sequential) -> Tensor {
            let input = Variable(x, requiresGrad: true)
            f(input, training: false).backward(seed)
            return input.grad!
        }
        let viaFolded = inputGradient(folded)
        #expect(model.network.parameters.allSatisfy { $0.grad == nil })
        #expect(close(viaFolded, inputGradient(model.network)))
    }

    @Test func attentionHeadsMustDivideTheChannels() throws {
        let arch = try CNNArchitecture("conv6x5 relu mha4")
        #expect(throws: CNNArchitecture.ArchitectureError.self) { try CNNModel(architecture: arch, length: 20, taskNames: ["a"], seed: 0) }
        let late = try CNNArchitecture("conv8x5 relu flatten posenc")
        #expect(throws: CNNArchitecture.ArchitectureError.self) { try CNNModel(architecture: late, length: 20, taskNames: ["a"], seed: 0) }
    }
}

