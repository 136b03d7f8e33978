import Testing
import Tensors
import Autodiff

/// A parent that needs no gradient (a constant: a fixed network's weights while an attribution map
/// or a design is computed) gets none, and the other parent's gradient is the one it gets when both
/// need gradients, bit for bit.
@Suite struct FixedParameterTests {
    /// ∂L/∂x with `w` trainable and with `w` constant (and the constant's gradient), L = Σ r ⊙ op(x, w).
    func inputGradients(_ x0: Tensor, _ w0: Tensor, _ op: (Variable, Variable) -> Variable) -> (trainable: Tensor, fixed: Tensor, constantGrad: Tensor?) {
        func run(_ trainable: Bool) -> (Tensor, Variable) {
            let x = Variable(x0, requiresGrad: true), w = Variable(w0, requiresGrad: trainable)
            let y = op(x, w)
            y.backward(Tensor(shape: y.shape, scalars: (0..<y.value.count).map { 0.5 + Float($0 % 7) / 7 }))
            return (x.grad!, w)
        }
        let (a, _) = run(true), (b, w) = run(false)
        return (a, b, w.grad)
    }

    @Test func elementwiseOpsLeaveAConstantAlone() {
        var rng = RandomGenerator(seed: 1)
        let x = Tensor.normal([3, 4], using: &rng), w = Tensor.uniform([4], in: 0.5...2, using: &rng)
        for (name, op) in [("+", { (a: Variable, b: Variable) in a + b }), ("-", { $0 - $1 }), ("*", { $0 * $1 }), ("/", { $0 / $1 })] {
            let g = inputGradients(x, w, op)
            #expect(g.trainable == g.fixed && g.constantGrad == nil, "\(name)")
            let h = inputGradients(w, x, { op($1, $0) })                      // the constant on the left
            #expect(h.trainable == h.fixed && h.constantGrad == nil, "\(name), constant on the left")
        }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulSkipsTheConstantProduct(transposeA: Bool, transposeB: Bool) {
        var rng = RandomGenerator(seed: 2)
        let x = Tensor.normal(transposeA ? [5, 3] : [3, 5], using: &rng), w = Tensor.normal(transposeB ? [4, 5] : [5, 4], using: &rng)
        let g = inputGradients(x, w) { matmul($0, $1, transposeA: transposeA, transposeB: transposeB) }
        #expect(g.trainable == g.fixed && g.constantGrad == nil)
    }

    /// `withFixedParameters`: inside, the parameters get no gradient and the input the same one as
    /// with trainable parameters; afterwards they are trainable again.
    @Test func fixedParametersForASpan() {
        var rng = RandomGenerator(seed: 4)
        let x0 = Tensor.normal([3, 5], using: &rng)
        let w = Variable(.normal([5, 4], using: &rng), requiresGrad: true), b = Variable(.normal([4], using: &rng), requiresGrad: true)
        func inputGradient() -> Tensor {
            let x = Variable(x0, requiresGrad: true)
            (matmul(x, w) + b).tanh().sum().backward()
            return x.grad!
        }
        let trainable = inputGradient()
        w.zeroGrad(); b.zeroGrad()
        let fixed = withFixedParameters([w, b]) {
            #expect(!w.requiresGrad && !b.requiresGrad)
            return inputGradient()
        }
        #expect(fixed == trainable && w.grad == nil && b.grad == nil)
        #expect(w.requiresGrad && b.requiresGrad)
    }

    @Test func convolutionComputesOnlyTheInputGradient() {
        var rng = RandomGenerator(seed: 3)
        let x = Tensor.normal([6, 4, 40], using: &rng), w = Tensor.normal([5, 4, 7], using: &rng), b = Tensor.normal([5], using: &rng)
        let g = inputGradients(x, w) { conv1d($0, $1, bias: Variable(b), Conv1DGeometry(padding: 3)) }
        #expect(g.trainable == g.fixed && g.constantGrad == nil)
    }
}
