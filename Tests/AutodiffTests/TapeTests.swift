import Testing
import Tensors
import Autodiff

@Suite struct TapeTests {
    @Test func gradientsAccumulateAcrossBackwardCalls() {
        let x = Variable(Tensor([1, 2, 3]), requiresGrad: true)
        (x * 2).sum().backward()
        (x * 3).sum().backward()
        #expect(x.grad == Tensor([5, 5, 5]))
        x.zeroGrad()
        #expect(x.grad == nil)
    }

    @Test func sharedSubexpressionReceivesBothPaths() {
        // y = x·x + x  ⇒  dy/dx = 2x + 1
        let x = Variable(Tensor([0.5, -2]), requiresGrad: true)
        let y = x * x + x
        y.sum().backward()
        #expect(x.grad == Tensor([2, -3]))
    }

    @Test func noGradRecordsNothing() {
        let x = Variable(Tensor([1, 2]), requiresGrad: true)
        let y = noGrad { x * 2 }
        #expect(!y.requiresGrad)
        #expect(y.isLeaf)
    }

    @Test func constantsGetNoGradient() {
        let x = Variable(Tensor([1, 2]), requiresGrad: true)
        let c = Variable(Tensor([3, 4]))
        (x * c).sum().backward()
        #expect(c.grad == nil)
        #expect(x.grad == Tensor([3, 4]))
    }

    @Test func deepGraphsDoNotOverflowTheStack() {
        let x = Variable(Tensor([1]), requiresGrad: true)
        var y = x
        for _ in 0..<20_000 { y = y + 0 }
        y.sum().backward()
        #expect(x.grad == Tensor([1]))
    }

    @Test func crossEntropyMatchesLogSoftmaxComposition() {
        var rng = RandomGenerator(seed: 3)
        let logits = Tensor.normal([5, 4], using: &rng)
        let targets = [0, 3, 1, 1, 2]
        let fused = crossEntropy(logits: Variable(logits), targets: targets).item
        let lsm = logits.logSoftmax(alongAxis: 1)
        let composed = -targets.enumerated().map { lsm[$0.offset, $0.element] }.reduce(0, +) / 5
        #expect(Swift.abs(fused - composed) < 1e-5)
    }

    @Test func bceIsStableForHugeLogits() {
        let l = binaryCrossEntropyWithLogits(Variable(Tensor([1000, -1000])), targets: Tensor([0, 1]))
        #expect(l.item == 1000)
    }
}
