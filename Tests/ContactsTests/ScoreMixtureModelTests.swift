import Testing
import Foundation
import Tensors
import Contacts

@Suite struct ScoreMixtureModelTests {
    /// 20,000 scores: 95% skew-normal noise (ω = 0.1, α = 3, mean 0) and 5% log-normal signal
    /// (μ = ln 0.5, σ = 0.3); EM recovers the five parameters.
    @Test func emRecoversTheParametersOfASyntheticMixture() throws {
        var rng = RandomGenerator(seed: 5)
        let (scale, skew, mu, sigma, pi) = (0.1, 3.0, log(0.5), 0.3, 0.95)
        let delta = skew / (1 + skew * skew).squareRoot()
        let xi = ScoreMixtureModel.location(scale: scale, skew: skew)
        var x: [Double] = []
        for _ in 0..<20_000 {
            if rng.uniformDouble() < pi {
                let u0 = abs(Double(rng.normal())), u1 = Double(rng.normal())
                x.append(xi + scale * (delta * u0 + (1 - delta * delta).squareRoot() * u1))
            } else {
                x.append(exp(mu + sigma * Double(rng.normal())))
            }
        }
        let m = try #require(ScoreMixtureModel(fitting: x))
        #expect(abs(m.noiseFraction - pi) < 0.01)
        #expect(abs(m.scale - scale) < 0.01)
        #expect(abs(m.skew - skew) < 0.6)
        #expect(abs(m.logMean - mu) < 0.05)
        #expect(abs(m.logSD - sigma) < 0.05)
        #expect(m.iterations > 1 && m.iterations < 200)
        #expect(m.probability(1.0) > 0.99)
        #expect(m.probability(0.0) == 0 && m.probability(-0.2) == 0)
        #expect(m.probability(0.05) < 0.01)
    }

    @Test func skewNormalWithTheLocationConstraintHasMeanZeroAndUnitMass() {
        let (scale, skew) = (0.2, -2.5)
        let xi = ScoreMixtureModel.location(scale: scale, skew: skew)
        var mass = 0.0, mean = 0.0
        let h = 1e-4
        for k in -20_000...20_000 {
            let x = Double(k) * h
            let d = exp(ScoreMixtureModel.logSkewNormal(x, location: xi, scale: scale, skew: skew))
            mass += d * h; mean += x * d * h
        }
        #expect(abs(mass - 1) < 1e-6)
        #expect(abs(mean) < 1e-6)
    }

    @Test func noPositiveScoreMeansNoFit() {
        #expect(ScoreMixtureModel(fitting: [-1, -0.5, 0]) == nil)
    }

    @Test func aSignalComponentCollapsedOntoOneScoreIsNoFit() {
        // One positive score: the log-normal's σ is 0 from the first M step, its density (and every
        // posterior) undefined; the fit says so instead of calling the pair (and any other) signal.
        #expect(ScoreMixtureModel(fitting: [-0.3, -0.2, -0.1, -0.05, 0, 0.4]) == nil)
    }
}
