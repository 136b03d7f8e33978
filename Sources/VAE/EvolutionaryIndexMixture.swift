#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// EVE's two-component Gaussian mixture over evolutionary indices (Frazer et al. 2021): the
/// indices E = −ΔELBO of every single mutant of a protein are modelled as
///   p(E) = π_b N(E; μ_b, σ_b²) + π_p N(E; μ_p, σ_p²),   μ_p > μ_b,
/// fitted by EM; a variant's pathogenic probability is the posterior of the higher-mean component,
///   P(pathogenic | E) = π_p N(E; μ_p, σ_p²) / p(E).
/// EM starts from the lower and upper quartiles (deterministic) and stops when the mean
/// log-likelihood improves by less than 10⁻⁸ or after 1,000 iterations.
public struct EvolutionaryIndexMixture: Sendable, Equatable {
    public var weights: [Double]
    public var means: [Double]
    public var standardDeviations: [Double]
    public var iterations: Int
    public var logLikelihood: Double

    /// Fits the mixture; nil when fewer than 4 finite indices (or all equal) are given.
    public static func fit(_ indices: [Double], maxIterations: Int = 1000) -> EvolutionaryIndexMixture? {
        let x = indices.filter(\.isFinite).sorted()
        guard x.count >= 4, x.first! < x.last! else { return nil }
        let n = Double(x.count)
        var mu = [x[x.count / 4], x[(3 * x.count) / 4]]
        if mu[0] == mu[1] { mu = [x.first!, x.last!] }
        let mean = x.reduce(0, +) / n
        let sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        var sigma = [sd, sd], pi = [0.5, 0.5]
        var previous = -Double.infinity, ll = 0.0, it = 0
        var r = [Double](repeating: 0, count: x.count)
        let floor = Swift.max(sd * 1e-3, 1e-9)
        while it < maxIterations {
            it += 1
            ll = 0
            for (k, v) in x.enumerated() {
                let a = pi[0] * normal(v, mu[0], sigma[0]), b = pi[1] * normal(v, mu[1], sigma[1])
                let t = Swift.max(a + b, .leastNonzeroMagnitude)
                r[k] = b / t
                ll += log(t)
            }
            ll /= n
            let n1 = r.reduce(0, +), n0 = n - n1
            guard n1 > 0, n0 > 0 else { break }
            mu[1] = zip(r, x).reduce(0) { $0 + $1.0 * $1.1 } / n1
            mu[0] = zip(r, x).reduce(0) { $0 + (1 - $1.0) * $1.1 } / n0
            sigma[1] = Swift.max(floor, (zip(r, x).reduce(0) { $0 + $1.0 * ($1.1 - mu[1]) * ($1.1 - mu[1]) } / n1).squareRoot())
            sigma[0] = Swift.max(floor, (zip(r, x).reduce(0) { $0 + (1 - $1.0) * ($1.1 - mu[0]) * ($1.1 - mu[0]) } / n0).squareRoot())
            pi = [n0 / n, n1 / n]
            if ll - previous < 1e-8 { break }
            previous = ll
        }
        // Component 1 is the pathogenic one (the higher mean index).
        if mu[0] > mu[1] { mu.swapAt(0, 1); sigma.swapAt(0, 1); pi.swapAt(0, 1) }
        return EvolutionaryIndexMixture(weights: pi, means: mu, standardDeviations: sigma, iterations: it, logLikelihood: ll)
    }

    /// P(pathogenic | index).
    public func pathogenicProbability(_ index: Double) -> Double {
        let b = weights[0] * EvolutionaryIndexMixture.normal(index, means[0], standardDeviations[0])
        let p = weights[1] * EvolutionaryIndexMixture.normal(index, means[1], standardDeviations[1])
        let t = b + p
        return t > 0 ? p / t : (index > (means[0] + means[1]) / 2 ? 1 : 0)
    }

    static func normal(_ x: Double, _ mu: Double, _ sigma: Double) -> Double {
        let z = (x - mu) / sigma
        return exp(-0.5 * z * z) / (sigma * (2 * Double.pi).squareRoot())
    }
}
