import Testing
import Tensors
import Autodiff
import Sequences
import Potts

/// A random alignment with some structure (near-copies), and random positive weights.
func randomAlignment(n: Int, l: Int, seed: UInt64) -> (MultipleSequenceAlignment, [Float]) {
    var rng = RandomGenerator(seed: seed)
    let parent = (0..<l).map { _ in UInt8(rng.int(below: 21)) }
    var codes: [UInt8] = []
    for _ in 0..<n { for i in 0..<l { codes.append(rng.uniform() < 0.4 ? UInt8(rng.int(below: 21)) : parent[i]) } }
    let msa = MultipleSequenceAlignment(alphabet: .protein, names: (0..<n).map { "s\($0)" }, codes: codes, length: l)
    return (msa, (0..<n).map { _ in 0.2 + rng.uniform() })
}

@Suite struct PseudoLikelihoodTests {
    /// The fused kernel against the same objective through the generic autodiff ops: loss and
    /// gradient agree to a relative 1e-4.
    @Test(arguments: [(40, 7, UInt64(1)), (130, 5, UInt64(2)), (9, 11, UInt64(3))])
    func fusedKernelMatchesAutodiff(n: Int, l: Int, seed: UInt64) {
        let (msa, weights) = randomAlignment(n: n, l: l, seed: seed)
        let q = 21
        let objective = PseudoLikelihood(msa, weights: weights, lambdaFields: 0.01, lambdaCouplings: 0.3)
        var rng = RandomGenerator(seed: seed + 100)
        let theta = (0..<objective.parameterCount).map { _ in 0.3 * rng.normal() }
        var gradient = [Float](repeating: 0, count: theta.count)
        let fused = objective.evaluate(theta, &gradient)

        let model = objective.model(from: theta, alphabet: .protein)
        var m = Tensor(zeros: [l * q, l * q])
        for i in 0..<l { for j in 0..<l where i != j { for a in 0..<q { for b in 0..<q { m[i * q + a, j * q + b] = model.coupling(i, j, a, b) } } } }
        let h = Variable(model.fields, requiresGrad: true), jm = Variable(m, requiresGrad: true)
        let nll = PseudoLikelihoodAutodiff.negativeLogPseudoLikelihood(msa, weights: weights, fields: h, couplings: jm)
        nll.backward()
        var reg = 0.0
        for k in 0..<(l * q) { reg += 0.01 * Double(theta[k] * theta[k]) }
        for k in (l * q)..<theta.count { reg += 0.3 * Double(theta[k] * theta[k]) }
        #expect(Swift.abs(fused - (Double(nll.item) + reg)) <= 1e-4 * Swift.abs(fused), "fused \(fused) vs autodiff \(Double(nll.item) + reg)")

        var worst: Float = 0, scale: Float = 0
        for k in 0..<(l * q) {
            let reference = h.grad!.scalars[k] + 2 * 0.01 * theta[k]
            worst = Swift.max(worst, Swift.abs(gradient[k] - reference)); scale = Swift.max(scale, Swift.abs(reference))
        }
        let gm = jm.grad!
        var k = l * q
        for i in 0..<l { for j in (i + 1)..<l { for a in 0..<q { for b in 0..<q {
            let reference = gm[i * q + a, j * q + b] + gm[j * q + b, i * q + a] + 2 * 0.3 * theta[k]
            worst = Swift.max(worst, Swift.abs(gradient[k] - reference)); scale = Swift.max(scale, Swift.abs(reference))
            k += 1
        } } } }
        #expect(worst <= 1e-4 * scale, "max gradient difference \(worst) at scale \(scale)")
    }

    @Test func parametersRoundTripThroughTheModel() {
        let (msa, weights) = randomAlignment(n: 5, l: 4, seed: 9)
        let objective = PseudoLikelihood(msa, weights: weights)
        var rng = RandomGenerator(seed: 4)
        let theta = (0..<objective.parameterCount).map { _ in rng.normal() }
        let model = objective.model(from: theta, alphabet: .protein)
        #expect(objective.parameters(from: model) == theta)
        #expect(model.coupling(1, 3, 4, 7) == model.coupling(3, 1, 7, 4))
        #expect(model.coupling(2, 2, 1, 1) == 0)
    }

    @Test func defaultCouplingPenaltyIsPlmcs() {
        let (msa, weights) = randomAlignment(n: 5, l: 11, seed: 1)
        #expect(PseudoLikelihood(msa, weights: weights).lambdaCouplings == 0.2 * 10)
    }

    @Test func checkRejectsUnusableAlignments() {
        let one = MultipleSequenceAlignment(alphabet: .protein, names: ["a"], codes: [1, 2, 3], length: 3)
        let narrow = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b"], codes: [1, 2], length: 1)
        let gapColumn = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b"], codes: [1, 20, 2, 20], length: 2)
        for (msa, phrase) in [(one, "at least 2 sequences"), (narrow, "at least 2 columns"), (gapColumn, "gaps in every sequence")] {
            do { try PottsFit.check(msa); Issue.record("accepted: \(phrase)") } catch { #expect("\(error)".contains(phrase), "\(error)") }
        }
    }
}
