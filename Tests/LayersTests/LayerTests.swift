import Testing
import XCTest
import Tensors
import Autodiff
import Layers

@Suite struct LayerTests {
    @Test func linearIsAnAffineMapOverTheLastAxis() {
        var rng = RandomGenerator(seed: 1)
        let layer = Linear(inputs: 3, outputs: 2, using: &rng)
        let x = Tensor.normal([4, 5, 3], using: &rng)
        let y = layer(Variable(x)).value
        #expect(y.shape == [4, 5, 2])
        let w = layer.weight.value, b = layer.bias!.value
        let expected = (0..<3).reduce(b[1]) { $0 + w[1, $1] * x[2, 3, $1] }
        #expect(Swift.abs(y[2, 3, 1] - expected) < 1e-5)
        #expect(layer.namedParameters.map(\.0) == ["weight", "bias"])
    }

    @Test func embeddingLooksUpRowsAndScattersGradients() {
        var rng = RandomGenerator(seed: 2)
        let e = Embedding(count: 5, dimension: 3, using: &rng)
        let y = e([4, 1, 4])
        #expect(y.value.slice(alongAxis: 0, 0..<1).scalars == e.weight.value.slice(alongAxis: 0, 4..<5).scalars)
        y.sum().backward()
        #expect(e.weight.grad!.slice(alongAxis: 0, 4..<5).scalars == [2, 2, 2])
        #expect(e.weight.grad!.slice(alongAxis: 0, 0..<1).scalars == [0, 0, 0])
    }

    @Test func layerNormNormalisesEachPosition() {
        var rng = RandomGenerator(seed: 3)
        let ln = LayerNorm(dimension: 8)
        let y = ln(Variable(Tensor.normal([3, 8], mean: 4, std: 3, using: &rng))).value
        let means = y.mean(alongAxis: 1)
        let vars = (y * y).mean(alongAxis: 1)
        #expect(means.scalars.allSatisfy { Swift.abs($0) < 1e-5 })
        #expect(vars.scalars.allSatisfy { Swift.abs($0 - 1) < 1e-3 })
    }

    @Test func layerNormGradientMatchesFiniteDifferences() {
        var rng = RandomGenerator(seed: 4)
        let ln = LayerNorm(dimension: 5)
        ln.gamma.value = Tensor.normal([5], using: &rng)
        let x0 = Tensor.normal([2, 5], using: &rng)
        let r = Tensor.normal([2, 5], using: &rng)
        let x = Variable(x0, requiresGrad: true)
        (ln(x) * Variable(r)).sum().backward()
        for i in [0, 3, 7] {
            var p = x0, m = x0
            p.scalars[i] += 1e-3; m.scalars[i] -= 1e-3
            let lp = (ln(Variable(p)).value * r).sum().scalar, lm = (ln(Variable(m)).value * r).sum().scalar
            #expect(Swift.abs((lp - lm) / 2e-3 - x.grad!.scalars[i]) < 2e-2)
        }
    }

    @Test func batchNormUsesBatchStatisticsInTrainingAndRunningOnesInEvaluation() {
        var rng = RandomGenerator(seed: 5)
        let bn = BatchNorm1d(channels: 2, momentum: 1)   // running stats = last batch
        let x = Tensor.normal([16, 2, 10], mean: 3, std: 2, using: &rng)
        let yTrain = bn(Variable(x), training: true).value
        let channelMeans = yTrain.mean(alongAxes: [0, 2])
        #expect(channelMeans.scalars.allSatisfy { Swift.abs($0) < 1e-4 })
        let yEval = bn(Variable(x), training: false).value
        // With momentum 1 the running variance is the unbiased batch variance: eval ≈ train · √((n−1)/n).
        let n: Float = 160
        #expect(Swift.abs(yEval[3, 1, 4] - yTrain[3, 1, 4] * ((n - 1) / n).squareRoot()) < 1e-3)
    }

    @Test func batchNormGradientMatchesFiniteDifferences() {
        var rng = RandomGenerator(seed: 6)
        let bn = BatchNorm1d(channels: 3)
        let x0 = Tensor.normal([4, 3, 5], using: &rng)
        let r = Tensor.normal([4, 3, 5], using: &rng)
        let x = Variable(x0, requiresGrad: true)
        (bn(x, training: true) * Variable(r)).sum().backward()
        for i in [0, 17, 44, 59] {
            var p = x0, m = x0
            p.scalars[i] += 1e-3; m.scalars[i] -= 1e-3
            let lp = (bn(Variable(p), training: true).value * r).sum().scalar
            let lm = (bn(Variable(m), training: true).value * r).sum().scalar
            #expect(Swift.abs((lp - lm) / 2e-3 - x.grad!.scalars[i]) < 3e-2, "element \(i)")
        }
    }

    @Test func dropoutIsIdentityInEvaluationAndUnbiasedInTraining() {
        let d = Dropout(probability: 0.25, seed: 9)
        let x = Variable(Tensor(repeating: 1, shape: [100_000]))
        #expect(d(x, training: false).value == x.value)
        let y = d(x, training: true).value
        let zeros = y.scalars.filter { $0 == 0 }.count
        #expect(Swift.abs(Double(zeros) / 100_000 - 0.25) < 0.01)
        #expect(Swift.abs(y.mean().scalar - 1) < 0.02)
    }

    /// The mask rule compares integers (u = next() >> 40 against ⌈p·2²⁴⌉); it must drop exactly the
    /// elements `uniform() < p` drops, for p·2²⁴ whole (0.25, 0.5) or not (0.1, 0.3), drawing block k
    /// of the mask from stream k of one draw of the layer's generator.
    @Test(arguments: [Float(0.1), 0.25, 0.3, 0.5])
    func dropoutMasksAreTheUniformRule(p: Float) {
        let d = Dropout(probability: p, seed: 17)
        let n = 50_000, block = dropoutMaskBlock
        let y = d(Variable(Tensor(repeating: 1, shape: [n])), training: true).value
        var layerGenerator = RandomGenerator(seed: 17)
        let seed = layerGenerator.next()
        let keep = 1 / (1 - p)
        var expected: [Float] = []
        for b in 0..<((n + block - 1) / block) {
            var rng = RandomGenerator(seed: seed, stream: UInt64(b))
            for _ in (b * block)..<Swift.min(n, (b + 1) * block) { expected.append(rng.uniform() < p ? 0 : keep) }
        }
        #expect(y.scalars == expected)
        #expect(d.rng.state == layerGenerator.state)
    }

    @Test func convolutionalStackProducesTheExpectedShapes() {
        var rng = RandomGenerator(seed: 7)
        let net = Sequential([
            Conv1D(inputChannels: 4, outputChannels: 8, kernelSize: 19, geometry: Conv1D.samePadding(kernelSize: 19), using: &rng),
            BatchNorm1d(channels: 8), Activation(.exponential), MaxPool1D(size: 4),
            Flatten(), Linear(inputs: 8 * 50, outputs: 3, using: &rng),
        ])
        let y = net(Variable(Tensor.normal([5, 4, 200], using: &rng)), training: true)
        #expect(y.shape == [5, 3])
        y.sum().backward()
        #expect(net.parameters.allSatisfy { $0.grad != nil })
        #expect(net.namedParameters.first!.0 == "0.weight")
    }

    @Test func attentionRowsAreDistributionsAndMaskedPairsGetNone() {
        var rng = RandomGenerator(seed: 8)
        let mha = MultiHeadAttention(dimension: 8, heads: 2, using: &rng)
        var mask = Tensor(zeros: [5, 5])
        for i in 0..<5 { mask[i, i] = -.infinity }
        let (y, a) = mha(Variable(Tensor.normal([3, 5, 8], using: &rng)), mask: mask)
        #expect(y.shape == [3, 5, 8])
        #expect(a.shape == [3, 2, 5, 5])
        let rowSums = a.value.sum(alongAxis: -1)
        #expect(rowSums.scalars.allSatisfy { Swift.abs($0 - 1) < 1e-5 })
        #expect(a.value[1, 1, 2, 2] == 0)
    }

    /// The unmasked path (the fused scaled softmax) against the plain ops (scale, add a zero
    /// mask, softmax): the same maps, outputs and gradients.
    @Test func unmaskedAttentionIsThePlainOpsPath() {
        var rng = RandomGenerator(seed: 10)
        let mha = MultiHeadAttention(dimension: 8, heads: 2, using: &rng)
        let x0 = Tensor.normal([3, 21, 8], using: &rng), r = Tensor.normal([3, 21, 8], using: &rng)
        func run(_ mask: Tensor?) -> (Tensor, Tensor, Tensor, Tensor) {
            for p in mha.parameters { p.grad = nil }
            let x = Variable(x0, requiresGrad: true)
            let (y, a) = mha(x, mask: mask)
            (y * Variable(r)).sum().backward()
            return (y.value, a.value, x.grad!, mha.query.weight.grad!)
        }
        let fused = run(nil), plain = run(Tensor(zeros: [21, 21]))
        for (u, v) in [(fused.0, plain.0), (fused.1, plain.1), (fused.2, plain.2), (fused.3, plain.3)] {
            #expect(zip(u.scalars, v.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-5 * (1 + Swift.abs($1)) })
        }
    }

    @Test func attentionGradientMatchesFiniteDifferences() {
        var rng = RandomGenerator(seed: 9)
        let mha = MultiHeadAttention(dimension: 4, heads: 2, using: &rng)
        let x0 = Tensor.normal([1, 3, 4], using: &rng)
        let r = Tensor.normal([1, 3, 4], using: &rng)
        let x = Variable(x0, requiresGrad: true)
        (mha(x).output * Variable(r)).sum().backward()
        for i in 0..<12 {
            var p = x0, m = x0
            p.scalars[i] += 1e-3; m.scalars[i] -= 1e-3
            let lp = (mha(Variable(p)).output.value * r).sum().scalar
            let lm = (mha(Variable(m)).output.value * r).sum().scalar
            #expect(Swift.abs((lp - lm) / 2e-3 - x.grad!.scalars[i]) < 2e-2, "element \(i)")
        }
    }
}

/// Weight initialisations: PyTorch's uniform bound and Keras' truncated he_normal.
@Suite struct WeightInitialisationTests {
    @Test func uniformStaysWithinOneOverRootFanIn() {
        var rng = RandomGenerator(seed: 1)
        let conv = Conv1D(inputChannels: 4, outputChannels: 64, kernelSize: 19, using: &rng)
        let bound = 1 / Float(4 * 19).squareRoot()
        #expect(conv.weight.value.scalars.allSatisfy { Swift.abs($0) <= bound })
        #expect(conv.bias!.value.scalars.allSatisfy { Swift.abs($0) <= bound } && conv.bias!.value.scalars.contains { $0 != 0 })
    }

    /// he_normal: N(0, 2/fan_in) truncated at two (pre-scaling) standard deviations, σ divided by
    /// 0.87962566 so the truncated draw keeps variance 2/fan_in; biases start at zero.
    @Test func heNormalHasVarianceTwoOverFanInAndZeroBias() {
        var rng = RandomGenerator(seed: 2)
        let layer = Linear(inputs: 50, outputs: 2000, initialisation: .heNormal, using: &rng)
        let w = layer.weight.value.scalars.map(Double.init)
        let mean = w.reduce(0, +) / Double(w.count)
        let variance = w.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(w.count)
        #expect(Swift.abs(mean) < 0.003)
        #expect(Swift.abs(variance / (2.0 / 50) - 1) < 0.02, "variance \(variance), expected \(2.0 / 50)")
        let sigma = (2.0 / 50).squareRoot() / 0.879_625_66
        #expect(w.allSatisfy { Swift.abs($0) <= 2 * sigma + 1e-6 })
        #expect(layer.bias!.value.scalars.allSatisfy { $0 == 0 })
        var rng2 = RandomGenerator(seed: 3)
        let conv = Conv1D(inputChannels: 4, outputChannels: 8, kernelSize: 19, bias: false, initialisation: .heNormal, using: &rng2)
        #expect(conv.bias == nil && conv.weight.value.shape == [8, 4, 19])
    }
}

/// XCTest, not swift-testing: it sets the process-wide thread count, which tests running in
/// parallel (swift-testing's) would see change under them; XCTest runs its tests one at a time.
final class DropoutThreadCountTests: XCTestCase {
    /// The blocks of a mask are filled in parallel; the mask must not depend on the thread count.
    func testDropoutMasksDoNotDependOnTheThreadCount() {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        let x = Variable(Tensor(repeating: 1, shape: [300_000]))
        var masks: [[Float]] = []
        for threads in [1, 2] {
            Parallel.threadCount = threads
            masks.append(Dropout(probability: 0.2, seed: 5)(x, training: true).value.scalars)
        }
        XCTAssertEqual(masks[0], masks[1])
        XCTAssertTrue(Set(masks[0][0..<(1 << 14)]) == [0, 1.25] && masks[0][0..<(1 << 14)] != masks[0][(1 << 14)..<(2 << 14)])
    }
}
