#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// EVcouplings' probability of a coupling score (`evcouplings.couplings.pairs.ScoreMixtureModel`,
/// the default `scoring_model: skewnormal` applied to the CN scores of all pairs i < j): the scores
/// are a mixture of noise, a skew-normal constrained to mean 0, and signal, a log-normal on x > 0,
///   p(x) = π·SN(x; ξ(ω, α), ω, α) + (1 − π)·LN(x; μ, σ),
///   SN(x; ξ, ω, α) = (2/ω) φ((x − ξ)/ω) Φ(α(x − ξ)/ω),   ξ(ω, α) = −ω α/√(1 + α²) · √(2/π),
///   LN(x; μ, σ) = φ((ln x − μ)/σ) / (σ x) for x > 0, else 0,
/// and a pair's probability is its posterior of being signal, (1 − π) LN(x) / p(x) (0 for x ≤ 0).
/// Fit by EM exactly as EVcouplings: start π = ½, ω = sd(x) (population), α = 0, μ = ln max x,
/// σ = 0.1; E step z = 1 − posterior; M step π = mean z, (μ, σ) the (1 − z)-weighted mean and
/// (population) sd of ln x over x > 0, (ω, α) minimising −Σ z ln SN by Nelder–Mead from the previous
/// values (scipy's `fmin`: 5% initial simplex, xtol = ftol = 10⁻⁴, at most 400 iterations); stop when
/// the log-likelihood rises by no more than 10⁻⁴, or after 200 iterations.
public struct ScoreMixtureModel: Sendable, Equatable {
    /// π, the noise fraction.
    public var noiseFraction: Double
    /// ω and α of the noise skew-normal (its location ξ follows from the mean-0 constraint).
    public var scale: Double, skew: Double
    /// μ and σ of ln x under the signal log-normal.
    public var logMean: Double, logSD: Double
    public var iterations = 0
    public var logLikelihood = 0.0

    public init(noiseFraction: Double, scale: Double, skew: Double, logMean: Double, logSD: Double) {
        self.noiseFraction = noiseFraction; self.scale = scale; self.skew = skew; self.logMean = logMean; self.logSD = logSD
    }

    /// Fits the mixture to `scores`; nil when no score is positive (no signal component can exist;
    /// EVcouplings bails out too), or when the signal component collapses onto a single score
    /// (σ → 0: its density, and so every posterior, is then undefined — EVcouplings' own fit gives
    /// NaN there).
    public init?(fitting x: [Double], maxIterations: Int = 200, tolerance: Double = 1e-4) {
        guard let top = x.max(), top > 0, x.count >= 2 else { return nil }
        let mean = x.reduce(0, +) / Double(x.count)
        let sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count)).squareRoot()
        self.init(noiseFraction: 0.5, scale: sd, skew: 0, logMean: log(top), logSD: 0.1)
        var loglk = logLikelihood(x)
        let logPositive = x.filter { $0 > 0 }.map { log($0) }
        while iterations < maxIterations {
            let z = x.map { 1 - probability($0) }
            noiseFraction = z.reduce(0, +) / Double(z.count)
            let zc = zip(x, z).filter { $0.0 > 0 }.map { 1 - $0.1 }
            let total = zc.reduce(0, +)
            if total > 0 {
                logMean = zip(zc, logPositive).reduce(0) { $0 + $1.0 * $1.1 } / total
                logSD = (zip(zc, logPositive).reduce(0) { $0 + $1.0 * ($1.1 - logMean) * ($1.1 - logMean) } / total).squareRoot()
            }
            guard logSD > 1e-9, logMean.isFinite else { return nil }
            let best = NelderMead.minimise([scale, skew]) { p in
                guard p[0] > 0 else { return .infinity }
                let xi = Self.location(scale: p[0], skew: p[1])
                var s = 0.0
                for (v, w) in zip(x, z) where w != 0 { s -= w * Self.logSkewNormal(v, location: xi, scale: p[0], skew: p[1]) }
                return s.isNaN ? .infinity : s
            }
            scale = best[0]; skew = best[1]
            let next = logLikelihood(x)
            iterations += 1
            let delta = next - loglk
            loglk = next
            if !(delta > tolerance) { break }
        }
        logLikelihood = loglk
        guard loglk.isFinite else { return nil }
    }

    /// ξ that gives the skew-normal mean 0.
    public static func location(scale: Double, skew: Double) -> Double {
        -scale * skew / (1 + skew * skew).squareRoot() * (2 / Double.pi).squareRoot()
    }

    /// ln SN(x; ξ, ω, α), with ln Φ computed without underflow far in the lower tail.
    public static func logSkewNormal(_ x: Double, location: Double, scale: Double, skew: Double) -> Double {
        let t = (x - location) / scale
        return log(2 / scale) - 0.5 * t * t - 0.5 * log(2 * Double.pi) + logNormalCDF(skew * t)
    }

    /// ln Φ(u).
    static func logNormalCDF(_ u: Double) -> Double {
        if u > -30 { return log(0.5 * erfc(-u / 2.0.squareRoot())) }
        return -0.5 * u * u - log(-u) - 0.5 * log(2 * Double.pi)       // Mills-ratio asymptote
    }

    public func noiseDensity(_ x: Double) -> Double {
        exp(Self.logSkewNormal(x, location: Self.location(scale: scale, skew: skew), scale: scale, skew: skew))
    }

    public func signalDensity(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let t = (log(x) - logMean) / logSD
        return exp(-0.5 * t * t) / ((2 * Double.pi).squareRoot() * logSD * x)
    }

    public func density(_ x: Double) -> Double { noiseFraction * noiseDensity(x) + (1 - noiseFraction) * signalDensity(x) }

    /// Posterior probability that a score is signal: (1 − π) LN(x) / p(x); 0 for x ≤ 0.
    public func probability(_ x: Double) -> Double {
        guard x > 0 else { return 0 }
        let s = (1 - noiseFraction) * signalDensity(x), d = density(x)
        return d > 0 ? s / d : 1
    }

    public func logLikelihood(_ x: [Double]) -> Double { x.reduce(0) { $0 + log(density($1)) } }
}

/// Nelder–Mead simplex minimisation as scipy's `optimize.fmin` (ρ = 1, χ = 2, ψ = ½, σ = ½; initial
/// simplex x₀ and x₀ with one coordinate scaled by 1.05, or set to 0.00025 when 0).
enum NelderMead {
    static func minimise(_ x0: [Double], xtol: Double = 1e-4, ftol: Double = 1e-4, maxIterations: Int? = nil,
                         _ f: ([Double]) -> Double) -> [Double] {
        let n = x0.count
        let limit = maxIterations ?? 200 * n
        var sim = [x0]
        for k in 0..<n { var y = x0; y[k] = y[k] != 0 ? 1.05 * y[k] : 0.00025; sim.append(y) }
        var fs = sim.map(f)
        var calls = n + 1
        func sort() {
            let order = fs.indices.sorted { fs[$0] < fs[$1] || (fs[$0] == fs[$1] && $0 < $1) }
            sim = order.map { sim[$0] }; fs = order.map { fs[$0] }
        }
        func combine(_ a: Double, _ xbar: [Double], _ b: Double, _ x: [Double]) -> [Double] { (0..<n).map { a * xbar[$0] + b * x[$0] } }
        sort()
        var iterations = 1
        while calls < limit && iterations < limit {
            let spread = (1...n).map { j in (0..<n).map { abs(sim[j][$0] - sim[0][$0]) }.max()! }.max()!
            let fspread = (1...n).map { abs(fs[0] - fs[$0]) }.max()!
            if spread <= xtol && fspread <= ftol { break }
            var xbar = [Double](repeating: 0, count: n)
            for j in 0..<n { for k in 0..<n { xbar[k] += sim[j][k] / Double(n) } }
            let worst = sim[n]
            let xr = combine(2, xbar, -1, worst), fxr = f(xr); calls += 1
            var shrink = false
            if fxr < fs[0] {
                let xe = combine(3, xbar, -2, worst), fxe = f(xe); calls += 1
                if fxe < fxr { sim[n] = xe; fs[n] = fxe } else { sim[n] = xr; fs[n] = fxr }
            } else if fxr < fs[n - 1] {
                sim[n] = xr; fs[n] = fxr
            } else if fxr < fs[n] {
                let xc = combine(1.5, xbar, -0.5, worst), fxc = f(xc); calls += 1
                if fxc <= fxr { sim[n] = xc; fs[n] = fxc } else { shrink = true }
            } else {
                let xcc = combine(0.5, xbar, 0.5, worst), fxcc = f(xcc); calls += 1
                if fxcc < fs[n] { sim[n] = xcc; fs[n] = fxcc } else { shrink = true }
            }
            if shrink {
                for j in 1...n { sim[j] = (0..<n).map { sim[0][$0] + 0.5 * (sim[j][$0] - sim[0][$0]) }; fs[j] = f(sim[j]); calls += 1 }
            }
            sort()
            iterations += 1
        }
        return sim[0]
    }
}
