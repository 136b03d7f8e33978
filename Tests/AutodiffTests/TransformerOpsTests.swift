import Testing
import Tensors
import Autodiff
#if canImport(Glibc)
import Glibc
#endif

/// Finite-difference checks of the fused transformer ops, and their agreement with the composed
/// (unfused) forms built from the basic ops.
@Suite struct TransformerOpsTests {
    @Test func gelu() { checkGradient([normal([12], seed: 90, std: 2)]) { $0[0].gelu() } }

    @Test func geluMatchesItsDefinition() {
        let x = Tensor([-2, -0.5, 0, 0.7, 3])
        let y = Variable(x).gelu().value
        // x·Φ(x) at the same points (Φ from the error function).
        let expected: [Float] = [-0.045500, -0.154269, 0, 0.530627, 2.995950]
        for (a, b) in zip(y.scalars, expected) { #expect(Swift.abs(a - b) < 1e-4) }
    }

    /// The vectorised GELU and its slope against x·Φ(x) and Φ(x) + x·φ(x) from `erff`, over
    /// [−10, 10] (a ragged last chunk included), and the pullback is g times that slope.
    @Test func geluMatchesErffEverywhere() {
        let xs = stride(from: Float(-10), through: 10, by: 0.0137).map { $0 }
        let v = Variable(Tensor(xs), requiresGrad: true)
        let y = v.gelu()
        y.sum().backward()
        for (k, x) in xs.enumerated() {
            let phi = 0.5 * (1 + erff(x * 0.70710678))
            #expect(Swift.abs(y.value.scalars[k] - x * phi) <= 2e-6 * Swift.max(1, Swift.abs(x)), "y at \(x)")
            #expect(Swift.abs(v.grad!.scalars[k] - (phi + x * 0.39894228 * expf(-0.5 * x * x))) <= 2e-6 * Swift.max(1, Swift.abs(x)), "y′ at \(x)")
        }
    }

    @Test func layerNorm() {
        checkGradient([normal([3, 2, 5], seed: 91), normal([5], seed: 92), normal([5], seed: 93)]) {
            Autodiff.layerNorm($0[0], gamma: $0[1], beta: $0[2])
        }
    }

    @Test func layerNormEqualsComposedForm() {
        let x = Variable(normal([4, 6], seed: 94, std: 3)), gamma = Variable(normal([6], seed: 95)), beta = Variable(normal([6], seed: 96))
        let fused = Autodiff.layerNorm(x, gamma: gamma, beta: beta).value
        let mu = x.mean(alongAxis: -1, keepingDim: true)
        let c = x - mu
        let composed = (c / (c.square().mean(alongAxis: -1, keepingDim: true) + 1e-5).sqrt() * gamma + beta).value
        for (a, b) in zip(fused.scalars, composed.scalars) { #expect(Swift.abs(a - b) < 1e-4) }
    }

    /// Layer normalisation (values and all three gradients) and rotary embeddings give the same
    /// bits at any thread count, on enough rows to be split.
    @Test func layerNormAndRotaryAreTheSameAtAnyThreadCount() {
        let x = normal([40, 30, 64], seed: 97, std: 2), gamma = normal([64], seed: 98), beta = normal([64], seed: 99), g = normal([40, 30, 64], seed: 100)
        func run() -> [[Float]] {
            let (xv, gv, bv) = (Variable(x, requiresGrad: true), Variable(gamma, requiresGrad: true), Variable(beta, requiresGrad: true))
            let y = Autodiff.layerNorm(xv, gamma: gv, beta: bv)
            let r = Autodiff.rotaryEmbedding(y.reshaped([1200, 4, 16]))
            (r.reshaped([40, 30, 64]) * Variable(g)).sum().backward()
            return [y.value.scalars, r.value.scalars, xv.grad!.scalars, gv.grad!.scalars, bv.grad!.scalars]
        }
        let one = Parallel.withThreads(1, run)
        for threads in [2, 3] { #expect(Parallel.withThreads(threads, run) == one) }
    }

    @Test func rotaryEmbedding() { checkGradient([normal([2, 5, 6], seed: 99, std: 1.5)]) { Autodiff.rotaryEmbedding($0[0]) } }

    @Test func rotaryScoresDependOnRelativePositionOnly() {
        // The same query and key vectors placed at (t, s) and at (t + 3, s + 3) score the same:
        // rotate each through a sequence where it sits at the chosen position, then dot.
        let q = normal([4], seed: 100), k = normal([4], seed: 101)
        func score(_ t: Int, _ s: Int) -> Float {
            func placed(_ v: Tensor, at p: Int) -> [Float] {
                var x = [Float](repeating: 0, count: 8 * 4)
                for c in 0..<4 { x[p * 4 + c] = v.scalars[c] }
                return Array(Autodiff.rotaryEmbedding(Variable(Tensor(shape: [1, 8, 4], scalars: x))).value.scalars[(p * 4)..<(p * 4 + 4)])
            }
            return zip(placed(q, at: t), placed(k, at: s)).reduce(0) { $0 + $1.0 * $1.1 }
        }
        #expect(Swift.abs(score(1, 4) - score(4, 7)) < 1e-5)
        #expect(Swift.abs(score(0, 2) - score(5, 7)) < 1e-5)
        #expect(Swift.abs(score(1, 4) - score(1, 5)) > 1e-3)     // but it does depend on the offset
        // Position 0 is the identity.
        #expect(zip(Autodiff.rotaryEmbedding(Variable(Tensor(shape: [1, 1, 4], scalars: q.scalars))).value.scalars, q.scalars).allSatisfy { $0 == $1 })
    }

    @Test func maskedSoftmax() {
        checkGradient([normal([3, 4, 5], seed: 97, std: 2)]) { Autodiff.maskedSoftmax($0[0], validKeys: [5, 2, 3], scale: 0.7) }
    }

    /// Rows longer than one 16-lane chunk, with and without a partial last chunk (the vector path).
    @Test func maskedSoftmaxOverLongRows() {
        checkGradient([normal([3, 2, 40], seed: 96, std: 2)]) { Autodiff.maskedSoftmax($0[0], validKeys: [40, 17, 32], scale: 0.4) }
        let x = normal([4, 3, 40], seed: 95, std: 3)
        let keys = [16, 17, 33, 40]
        let y = Autodiff.maskedSoftmax(Variable(x), validKeys: keys, scale: 0.6).value
        for (g, k) in keys.enumerated() {
            let plain = (x.slice(alongAxis: 0, g..<(g + 1)).slice(alongAxis: 2, 0..<k) * 0.6).softmax(alongAxis: 2)
            for q in 0..<3 {
                for j in 0..<k { #expect(Swift.abs(y[g, q, j] - plain[0, q, j]) < 1e-6 * Swift.max(1, plain[0, q, j])) }
                for j in k..<40 { #expect(y[g, q, j] == 0) }
            }
        }
    }

    @Test func maskedSoftmaxIgnoresPaddedKeys() {
        // Rows of group 0 over 3 valid keys equal the plain softmax of the first 3 scores; padded keys get 0.
        let x = normal([1, 2, 5], seed: 98, std: 2)
        let y = Autodiff.maskedSoftmax(Variable(x), validKeys: [3], scale: 0.5).value
        let plain = (x.slice(alongAxis: 2, 0..<3) * 0.5).softmax(alongAxis: 2)
        for q in 0..<2 {
            for j in 0..<3 { #expect(Swift.abs(y[0, q, j] - plain[0, q, j]) < 1e-6) }
            for j in 3..<5 { #expect(y[0, q, j] == 0) }
        }
    }
}
