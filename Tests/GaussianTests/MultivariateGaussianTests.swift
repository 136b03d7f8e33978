import Testing
import Tensors
import Autodiff
import Optimizers
import Sequences
import Potts
import Gaussian

func randomMSA(n: Int, l: Int, seed: UInt64) -> (MultipleSequenceAlignment, [Float]) {
    var rng = RandomGenerator(seed: seed)
    let parent = (0..<l).map { _ in UInt8(rng.int(below: 20)) }
    var codes: [UInt8] = []
    for _ in 0..<n { for i in 0..<l { codes.append(rng.uniform() < 0.5 ? UInt8(rng.int(below: 21)) : parent[i]) } }
    return (MultipleSequenceAlignment(alphabet: .protein, names: (0..<n).map { "s\($0)" }, codes: codes, length: l),
            (0..<n).map { _ in 0.3 + rng.uniform() })
}

@Suite struct MultivariateGaussianTests {
    /// The LAPACK precision equals the minimiser of the MSE objective ‖A·W − I‖² fitted through the
    /// autodiff core with L-BFGS, where A = C + λI is the weighted covariance computed here by plain loops.
    @Test func closedFormMatchesAutodiffFit() throws {
        let (msa, w) = randomMSA(n: 60, l: 3, seed: 4)
        let mg = try MultivariateGaussian(msa, weights: w, shrinkage: 0.3)
        let d = mg.features
        let neff = w.reduce(0.0) { $0 + Double($1) }
        let x = (0..<msa.count).map { mg.features(Array(msa.row($0))) }
        var a = Tensor(zeros: [d, d])
        for r in 0..<d { for c in 0..<d {
            var s = 0.0
            for n in 0..<msa.count { s += Double(w[n]) * (x[n][r] - mg.mean[r]) * (x[n][c] - mg.mean[c]) }
            a[r, c] = Float(s / neff + (r == c ? 0.3 : 0))
        } }
        var identity = Tensor(zeros: [d, d])
        for k in 0..<d { identity[k, k] = 1 }
        let wVar = Variable(Tensor(zeros: [d, d]), requiresGrad: true)
        let av = Variable(a), iv = Variable(identity)
        LBFGS(memory: 20, maxIterations: 2000, gradientTolerance: 1e-9).minimize([wVar]) {
            (matmul(av, wVar) - iv).square().sum()
        }
        var worst = 0.0, scale = 0.0
        for r in 0..<d { for c in 0..<d {
            worst = max(worst, abs(Double(wVar.value[r, c]) - mg.precision[r * d + c])); scale = max(scale, abs(mg.precision[r * d + c]))
        } }
        #expect(worst <= 1e-3 * scale, "max |W − Θ| = \(worst) at scale \(scale)")
    }

    @Test func pottsFormReproducesLogDensityDifferences() throws {
        let (msa, w) = randomMSA(n: 40, l: 5, seed: 5)
        let mg = try MultivariateGaussian(msa, weights: w)
        let potts = mg.pottsModel()
        let x: [UInt8] = [0, 3, 20, 7, 7], y: [UInt8] = [1, 3, 4, 20, 19]
        let viaPotts = potts.energy(y) - potts.energy(x)
        let direct = mg.logDensity(y) - mg.logDensity(x)
        #expect(abs(viaPotts - direct) < 1e-3 * max(1, abs(direct)), "\(viaPotts) vs \(direct)")
    }

    @Test func defaultShrinkageIsFourPointFiveOverRootNeff() throws {
        let (msa, w) = randomMSA(n: 30, l: 4, seed: 6)
        let mg = try MultivariateGaussian(msa, weights: w)
        #expect(abs(mg.shrinkage - 4.5 / mg.neff.squareRoot()) < 1e-12)
    }
}
