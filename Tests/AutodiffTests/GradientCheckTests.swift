#if canImport(Glibc)
import Glibc
#endif
import Testing
import Tensors
import Autodiff

/// One finite-difference check per differentiable op, named after the op.
@Suite struct GradientCheckTests {
    // MARK: element-wise, with broadcasting
    @Test func add() { checkGradient([normal([3, 4], seed: 1), normal([4], seed: 2)]) { $0[0] + $0[1] } }
    @Test func addBroadcastsBothWays() { checkGradient([normal([3, 1, 2], seed: 1), normal([4, 1], seed: 2)]) { $0[0] + $0[1] } }
    @Test func subtract() { checkGradient([normal([2, 3], seed: 3), normal([2, 1], seed: 4)]) { $0[0] - $0[1] } }
    @Test func multiply() { checkGradient([normal([2, 3, 4], seed: 5), normal([3, 1], seed: 6)]) { $0[0] * $0[1] } }
    @Test func divide() { checkGradient([normal([3, 4], seed: 7), positive([1, 4], seed: 8)]) { $0[0] / $0[1] } }
    @Test func scalarArithmetic() { checkGradient([normal([5], seed: 9)]) { (2 - $0[0] * 3 + 1) / 4 } }
    @Test func negate() { checkGradient([normal([4], seed: 10)]) { -$0[0] } }
    @Test func exp() { checkGradient([normal([3, 3], seed: 11)]) { $0[0].exp() } }
    @Test func log() { checkGradient([positive([3, 3], seed: 12)]) { $0[0].log() } }
    @Test func log1p() { checkGradient([positive([6], seed: 13)]) { $0[0].log1p() } }
    @Test func sqrt() { checkGradient([positive([6], seed: 14)]) { $0[0].sqrt() } }
    @Test func square() { checkGradient([normal([6], seed: 15)]) { $0[0].square() } }
    @Test func pow() { checkGradient([positive([6], seed: 16)]) { $0[0].pow(2.5) } }
    @Test func tanh() { checkGradient([normal([6], seed: 17)]) { $0[0].tanh() } }
    @Test func sigmoid() { checkGradient([normal([6], seed: 18, std: 3)]) { $0[0].sigmoid() } }
    @Test func relu() { checkGradient([awayFromZero([10], seed: 19)]) { $0[0].relu() } }
    @Test func elu() { checkGradient([awayFromZero([10], seed: 20)]) { $0[0].elu(alpha: 0.7) } }
    @Test func softplus() { checkGradient([normal([10], seed: 21, std: 3)]) { $0[0].softplus() } }
    @Test func expActivation() { checkGradient([normal([10], seed: 22)]) { $0[0].expActivation() } }

    // MARK: reductions
    @Test func sum() { checkGradient([normal([3, 4], seed: 23)]) { $0[0].sum() } }
    @Test func mean() { checkGradient([normal([3, 4], seed: 24)]) { $0[0].mean() } }
    @Test func sumAlongAxes() { checkGradient([normal([2, 3, 4], seed: 25)]) { $0[0].sum(alongAxes: [0, 2]) } }
    @Test func sumAlongAxisKeepingDim() { checkGradient([normal([2, 3, 4], seed: 26)]) { $0[0].sum(alongAxis: 1, keepingDim: true) } }
    @Test func meanAlongAxes() { checkGradient([normal([2, 3, 4], seed: 27)]) { $0[0].mean(alongAxes: [1], keepingDims: false) } }
    @Test func maxAlongAxis() { checkGradient([normal([3, 5], seed: 28)]) { $0[0].max(alongAxis: 1) } }
    @Test func logSumExp() { checkGradient([normal([3, 5], seed: 29, std: 2)]) { $0[0].logSumExp(alongAxis: 1) } }
    @Test func logSumExpMiddleAxis() { checkGradient([normal([2, 5, 3], seed: 30)]) { $0[0].logSumExp(alongAxis: 1, keepingDim: true) } }
    @Test func softmax() { checkGradient([normal([3, 6], seed: 31, std: 2)]) { $0[0].softmax(alongAxis: -1) } }
    @Test func softmaxFirstAxis() { checkGradient([normal([4, 3], seed: 32)]) { $0[0].softmax(alongAxis: 0) } }
    @Test func logSoftmax() { checkGradient([normal([3, 6], seed: 33, std: 2)]) { $0[0].logSoftmax(alongAxis: 1) } }

    // MARK: shape
    @Test func reshaped() { checkGradient([normal([2, 6], seed: 34)]) { $0[0].reshaped([3, 4]).exp() } }
    @Test func permuted() { checkGradient([normal([2, 3, 4], seed: 35)]) { $0[0].permuted([2, 0, 1]) } }
    @Test func transposed() { checkGradient([normal([3, 5], seed: 36)]) { $0[0].transposed() } }
    @Test func slice() { checkGradient([normal([3, 6], seed: 37)]) { $0[0].slice(alongAxis: 1, 2..<5) } }
    @Test func concatenate() {
        checkGradient([normal([2, 3], seed: 38), normal([2, 2], seed: 39)]) { Variable.concatenate([$0[0], $0[1]], alongAxis: 1) }
    }
    @Test func stack() { checkGradient([normal([2, 3], seed: 40), normal([2, 3], seed: 41)]) { Variable.stack([$0[0], $0[1]], alongAxis: 1) } }
    @Test func gathering() { checkGradient([normal([5, 3], seed: 42)]) { $0[0].gathering([4, 0, 4, 2], alongAxis: 0) } }
    @Test func scatterAdding() { checkGradient([normal([4, 3], seed: 43)]) { $0[0].scatterAdding([1, 3, 1, 0], alongAxis: 0, size: 5) } }

    // MARK: linear algebra
    @Test func matmul() { checkGradient([normal([3, 4], seed: 44), normal([4, 5], seed: 45)]) { Autodiff.matmul($0[0], $0[1]) } }
    @Test func matmulTransposeA() { checkGradient([normal([4, 3], seed: 46), normal([4, 5], seed: 47)]) { Autodiff.matmul($0[0], $0[1], transposeA: true) } }
    @Test func matmulTransposeB() { checkGradient([normal([3, 4], seed: 48), normal([5, 4], seed: 49)]) { Autodiff.matmul($0[0], $0[1], transposeB: true) } }
    @Test func matmulTransposeBoth() {
        checkGradient([normal([4, 3], seed: 50), normal([5, 4], seed: 51)]) { Autodiff.matmul($0[0], $0[1], transposeA: true, transposeB: true) }
    }
    @Test func batchedMatmul() { checkGradient([normal([2, 3, 4], seed: 52), normal([2, 4, 2], seed: 53)]) { Autodiff.batchedMatmul($0[0], $0[1]) } }
    @Test func batchedMatmulBroadcastsBatch() {
        checkGradient([normal([3, 3, 4], seed: 54), normal([1, 2, 4], seed: 55)]) { Autodiff.batchedMatmul($0[0], $0[1], transposeB: true) }
    }
    @Test func batchedMatmulTransposeA() { checkGradient([normal([2, 4, 3], seed: 56), normal([2, 4, 2], seed: 57)]) { Autodiff.batchedMatmul($0[0], $0[1], transposeA: true) } }

    // MARK: convolution and pooling
    @Test func conv1d() {
        checkGradient([normal([2, 3, 9], seed: 58), normal([4, 3, 3], seed: 59), normal([4], seed: 60)]) {
            Autodiff.conv1d($0[0], $0[1], bias: $0[2])
        }
    }
    @Test func conv1dPaddedStridedDilated() {
        checkGradient([normal([2, 2, 11], seed: 61), normal([3, 2, 3], seed: 62)]) {
            Autodiff.conv1d($0[0], $0[1], Conv1DGeometry(padding: 2, stride: 2, dilation: 2))
        }
    }
    @Test func maxPool1d() { checkGradient([normal([2, 3, 8], seed: 63)]) { Autodiff.maxPool1d($0[0], size: 2) } }
    @Test func maxPool1dOverlapping() { checkGradient([normal([1, 2, 9], seed: 64)]) { Autodiff.maxPool1d($0[0], size: 3, stride: 2) } }
    @Test func avgPool1d() { checkGradient([normal([2, 3, 9], seed: 65)]) { Autodiff.avgPool1d($0[0], size: 3, stride: 2) } }

    // MARK: normalisation
    @Test func batchNormTraining() {
        checkGradient([normal([4, 3, 5], seed: 73), normal([3], seed: 74), normal([3], seed: 75)]) {
            Autodiff.batchNorm($0[0], gamma: $0[1], beta: $0[2]).output * Variable(normal([4, 3, 5], seed: 76))
        }
    }
    @Test func batchNormTrainingDense() {
        checkGradient([normal([6, 4], seed: 77), normal([4], seed: 78), normal([4], seed: 79)]) {
            Autodiff.batchNorm($0[0], gamma: $0[1], beta: $0[2]).output * Variable(normal([6, 4], seed: 80))
        }
    }
    @Test func batchNormWithRunningStatistics() {
        let stats = (mean: normal([3], seed: 81), variance: positive([3], seed: 82))
        checkGradient([normal([2, 3, 4], seed: 83), normal([3], seed: 84), normal([3], seed: 85)]) {
            Autodiff.batchNorm($0[0], gamma: $0[1], beta: $0[2], statistics: stats).output
        }
    }

    // MARK: losses
    @Test func crossEntropy() {
        checkGradient([normal([4, 5], seed: 66, std: 2)]) { Autodiff.crossEntropy(logits: $0[0], targets: [0, 4, 2, 2]) }
    }
    @Test func crossEntropyWeightedWithIgnoredRow() {
        checkGradient([normal([4, 3], seed: 67)]) { Autodiff.crossEntropy(logits: $0[0], targets: [2, -1, 0, 1], weights: [0.5, 1, 2, 0.25]) }
    }
    @Test func binaryCrossEntropyWithLogits() {
        let y = Tensor(shape: [2, 3], scalars: [1, 0, 1, 0, 0.3, 1])
        checkGradient([normal([2, 3], seed: 68, std: 3)]) { Autodiff.binaryCrossEntropyWithLogits($0[0], targets: y) }
    }
    @Test func meanSquaredError() {
        let target = normal([3, 2], seed: 69)
        checkGradient([normal([3, 2], seed: 70)]) { Autodiff.meanSquaredError($0[0], target) }
        let w = Tensor(shape: [2], scalars: [0.25, 1.75])
        checkGradient([normal([3, 2], seed: 70)]) { Autodiff.meanSquaredError($0[0], target, columnWeights: w) }
        // By hand: mean over the 6 entries of w_t (p − y)².
        let p = normal([3, 2], seed: 70)
        var byHand: Float = 0
        for k in 0..<6 {
            let d = p.scalars[k] - target.scalars[k]
            byHand += w.scalars[k % 2] * d * d / 6
        }
        #expect(Swift.abs(Autodiff.meanSquaredError(Variable(p), target, columnWeights: w).item - byHand) < 1e-6)
    }
    @Test func gaussianKL() {
        checkGradient([normal([2, 3], seed: 71), normal([2, 3], seed: 72, std: 0.5)]) { Autodiff.gaussianKL(mean: $0[0], logVariance: $0[1]) }
    }
    @Test func reparameterizedGaussian() {
        let noise = normal([3, 4], seed: 75)
        checkGradient([normal([3, 4], seed: 73), normal([3, 4], seed: 74, std: 0.5)]) { Autodiff.reparameterizedGaussian(mean: $0[0], logStd: $0[1], noise: noise) }
    }
    @Test func gaussianKLOfLogStdAgainstAPrior() {
        checkGradient([normal([2, 5], seed: 76), normal([2, 5], seed: 77, std: 0.5)]) {
            Autodiff.gaussianKL(mean: $0[0], logStd: $0[1], priorMean: -1.5, priorStd: 2)
        }
    }
    /// The fused Gaussian passes over many elements — split over two threads, lanes of sixteen with
    /// a tail, KL blocks of 4,096 — give the same bits as on one thread, and agree with the plain
    /// composition of ops (values and gradients).
    @Test func gaussianPassesAreTheSameAtAnyThreadCountAndMatchTheComposition() {
        let n = 100_003
        let (mu, rho, eps, upstream) = (normal([n], seed: 80), normal([n], seed: 81, std: 0.5), normal([n], seed: 82), normal([n], seed: 83))
        func run(_ threads: Int) -> [[UInt32]] {
            Parallel.withThreads(threads) {
                let (m, r) = (Variable(mu, requiresGrad: true), Variable(rho, requiresGrad: true))
                let theta = Autodiff.reparameterizedGaussian(mean: m, logStd: r, noise: eps)
                let kl = Autodiff.gaussianKL(mean: m, logStd: r, priorMean: -1, priorStd: 2)
                ((theta * Variable(upstream)).sum() + kl).backward()
                return [theta.value.scalars, [kl.item], m.grad!.scalars, r.grad!.scalars].map { $0.map(\.bitPattern) }
            }
        }
        let one = run(1)
        #expect(one == run(2))
        let (m, r) = (Variable(mu, requiresGrad: true), Variable(rho, requiresGrad: true))
        let theta = m + r.exp() * Variable(eps)
        let kl = (((r * 2).exp() + (m + 1).square()) / 8 - r).sum() + Float(n) * (logf(2) - 0.5)
        ((theta * Variable(upstream)).sum() + kl).backward()
        let fused = one.map { $0.map(Float.init(bitPattern:)) }
        func close(_ a: [Float], _ b: [Float], _ tolerance: Float) -> Bool {
            zip(a, b).allSatisfy { Swift.abs($0 - $1) <= tolerance * Swift.max(1, Swift.abs($1)) }
        }
        #expect(close(fused[0], theta.value.scalars, 1e-6))
        #expect(Swift.abs(fused[1][0] - kl.item) <= 1e-5 * Swift.abs(kl.item))
        #expect(close(fused[2], m.grad!.scalars, 1e-6) && close(fused[3], r.grad!.scalars, 1e-6))
    }
    @Test func gaussianKLOfLogStdMatchesTheComposedFormula() {
        let mu = Variable(normal([7], seed: 78)), rho = Variable(normal([7], seed: 79, std: 0.5))
        let fused = Autodiff.gaussianKL(mean: mu, logStd: rho, priorMean: 0.5, priorStd: 3).item
        let composed = (((rho * 2).exp() + (mu - 0.5).square()) / 18 - rho).sum().item + 7 * (logf(3) - 0.5)
        #expect(Swift.abs(fused - composed) < 1e-4 * Swift.max(1, Swift.abs(composed)))
    }
}
