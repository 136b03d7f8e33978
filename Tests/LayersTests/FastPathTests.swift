import Testing
import Tensors
import Autodiff
import Layers

/// Fused layer paths against the plain autodiff expressions they replace.
@Suite struct FastPathTests {
    func close(_ a: Tensor, _ b: Tensor, _ tol: Float = 1e-4) -> Bool {
        a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { Swift.abs($0 - $1) <= tol * (1 + Swift.abs($1)) }
    }

    /// The batch-norm statement written with generic ops: (x − μ)/√(σ² + ε)·γ + β.
    func plainBatchNorm(_ x: Variable, _ gamma: Variable, _ beta: Variable, training: Bool,
                        running: (Tensor, Tensor)) -> Variable {
        let c = gamma.shape[0]
        let view = x.value.rank == 3 ? [1, c, 1] : [1, c]
        let axes = x.value.rank == 3 ? [0, 2] : [0]
        if training {
            let centred = x - x.mean(alongAxes: axes, keepingDims: true)
            let variance = centred.square().mean(alongAxes: axes, keepingDims: true)
            return centred / (variance + 1e-5).sqrt() * gamma.reshaped(view) + beta.reshaped(view)
        }
        let scale = Variable((running.1 + 1e-5).sqrt().reshaped(view))
        return (x - Variable(running.0.reshaped(view))) / scale * gamma.reshaped(view) + beta.reshaped(view)
    }

    @Test(arguments: [[9, 5, 31], [33, 6]], [true, false])
    func batchNormMatchesPlainAutodiff(shape: [Int], training: Bool) {
        var rng = RandomGenerator(seed: 21)
        let c = shape[1]
        let x0 = Tensor.normal(shape, mean: 1, std: 2, using: &rng), r = Tensor.normal(shape, using: &rng)
        let g0 = Tensor.normal([c], using: &rng), b0 = Tensor.normal([c], using: &rng)
        let running = (Tensor.normal([c], using: &rng), Tensor.uniform([c], in: 0.5...2, using: &rng))
        func run(_ fused: Bool) -> [Tensor] {
            let x = Variable(x0, requiresGrad: true), g = Variable(g0, requiresGrad: true), b = Variable(b0, requiresGrad: true)
            let y = fused ? batchNorm(x, gamma: g, beta: b, statistics: training ? nil : (running.0, running.1)).output
                          : plainBatchNorm(x, g, b, training: training, running: running)
            (y * Variable(r)).sum().backward()
            return [y.value, x.grad!, g.grad!, b.grad!]
        }
        for (fast, plain) in zip(run(true), run(false)) { #expect(close(fast, plain, 2e-4)) }
    }

    /// Dropout removed, BatchNorm folded into the conv/dense layer before it, ReLU moved after the
    /// pool: the same function as the network in evaluation mode.
    @Test func foldedNetworkMatchesEvaluationMode() {
        var rng = RandomGenerator(seed: 22)
        let net = Sequential([
            Conv1D(inputChannels: 4, outputChannels: 6, kernelSize: 5, geometry: Conv1D.samePadding(kernelSize: 5), using: &rng),
            BatchNorm1d(channels: 6), Activation(.exponential), MaxPool1D(size: 4), Dropout(probability: 0.3),
            Conv1D(inputChannels: 6, outputChannels: 7, kernelSize: 3, bias: false, using: &rng),
            BatchNorm1d(channels: 7), Activation(.relu), MaxPool1D(size: 3), Flatten(),
            Linear(inputs: 7 * 2, outputs: 5, using: &rng), BatchNorm1d(channels: 5), Activation(.relu),
            Linear(inputs: 5, outputs: 2, using: &rng),
        ])
        for _ in 0..<3 { _ = net(Variable(Tensor.normal([16, 4, 32], std: 2, using: &rng)), training: true) }  // running statistics
        for case let bn as BatchNorm1d in net.layers { bn.gamma.value = Tensor.normal(bn.gamma.shape, using: &rng) }
        let folded = net.foldedForInference()
        #expect(folded.layers.count == net.layers.count - 4)                   // 3 BatchNorms, 1 dropout
        #expect(folded.layers[1] is MaxPool1D && folded.layers[2] is Activation)
        let x = Tensor.normal([10, 4, 32], using: &rng)
        #expect(close(folded(Variable(x), training: false).value, net(Variable(x), training: false).value, 1e-4))
        // Its weights are constants: ∂f/∂x is the evaluation-mode network's, and no parameter
        // (of the copy or of the original) receives a gradient.
        #expect(folded.parameters.allSatisfy { !$0.requiresGrad })
        let seed = Tensor.normal([10, 2], using: &rng)
        func inputGradient(_ f: Sequential) -> Tensor {
            let input = Variable(x, requiresGrad: true)
            f(input, training: false).backward(seed)
            return input.grad!
        }
        let viaFolded = inputGradient(folded)
        #expect(net.parameters.allSatisfy { $0.grad == nil })
        #expect(close(viaFolded, inputGradient(net), 1e-4))
    }
}
