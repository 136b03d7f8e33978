import Tensors
import Sequences
import Potts
import ArDCA
#if canImport(Glibc)
import Glibc
#endif

/// What a sampling run is asked for, whatever the model.
public struct SamplingRequest: Sendable {
    public var count: Int
    public var seed: UInt64
    /// Column → state, held fixed in every sample.
    public var fixed: [Int: UInt8] = [:]
    /// Start chains at this sequence (local sampling around it): MCMC samplers; a VAE samples z around its posterior.
    public var start: [UInt8]?
    /// MCMC settings (ignored by exact samplers unless conditioning needs a chain).
    public var chains = 100
    public var burnIn = 200
    public var thinning = 10
    public var temperature = 1.0
    public var allowedStates: Int?

    public init(count: Int, seed: UInt64) { self.count = count; self.seed = seed }
}

/// Sequences drawn by a `Sampler`, with what the run can say about its own quality.
public struct SampleSet: Sendable {
    /// N × L codes, row-major.
    public var codes: [UInt8]
    public var length: Int
    /// "exact ancestral", "exact independent", "Gibbs MCMC" …
    public var method: String
    /// For MCMC runs: the chains' convergence diagnostics; nil for exact samplers.
    public var mixing: MixingCheck?
}

/// A model that draws sequences. PSSM and ArDCA sample exactly; Potts forms (Potts, Gaussian,
/// attention) by Gibbs MCMC. `progress(done)` estimates the samples done — a chain's burn-in counts
/// in proportion to its sweeps — and may be called from a worker thread.
public protocol Sampler {
    var length: Int { get }
    var alphabet: Alphabet { get }
    /// Whether serving `request` runs Markov chains, which read its `chains`, `burnIn` and
    /// `thinning`; an exact sampler ignores them.
    func runsChains(_ request: SamplingRequest) -> Bool
    func sample(_ request: SamplingRequest, progress: (@Sendable (Int) -> Void)?) throws -> SampleSet
}

/// Why a sampling request cannot be served.
public struct SamplingError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension PSSM: Sampler {
    public func runsChains(_ request: SamplingRequest) -> Bool { false }

    /// Exact: each column independently from f_i ∝ exp(h_i / T) (renormalised over the allowed states).
    public func sample(_ request: SamplingRequest, progress: (@Sendable (Int) -> Void)?) throws -> SampleSet {
        if request.start != nil { throw SamplingError("--from needs a model with dependencies between columns; a PSSM samples every column independently") }
        let (l, q) = (length, alphabet.size)
        let k = request.allowedStates ?? q
        var rng = RandomGenerator(seed: request.seed)
        var cumulative = [Double](repeating: 0, count: l * k)
        for i in 0..<l {
            var total = 0.0
            // exp((h − max h) / T): the same distribution, no overflow at small T
            let top = (0..<k).map { Double(fields.scalars[i * q + $0]) }.max()!
            for a in 0..<k {
                total += Glibc.exp((Double(fields.scalars[i * q + a]) - top) / request.temperature); cumulative[i * k + a] = total
            }
            for a in 0..<k { cumulative[i * k + a] /= total }
        }
        var out = [UInt8](repeating: 0, count: request.count * l)
        for s in 0..<request.count {
            for i in 0..<l {
                if let a = request.fixed[i] { out[s * l + i] = a; continue }
                let u = rng.uniformDouble()
                var a = 0
                while a < k - 1 && cumulative[i * k + a] <= u { a += 1 }
                out[s * l + i] = UInt8(a)
            }
            if s % 1000 == 999 { progress?(s + 1) }
        }
        return SampleSet(codes: out, length: l, method: "exact (independent columns\(request.temperature == 1 ? "" : ", T = \(request.temperature)"))", mixing: nil)
    }
}


extension ArDCAModel: Sampler {
    /// Exact ancestral sampling. With fixed columns or a start sequence the sample must condition on
    /// columns that come later in the order, which ancestral sampling cannot: then Gibbs chains on
    /// the exact conditionals (`ArDCAConditionals`), started from clamped ancestral draws (or the
    /// start sequence), give the conditional distribution.
    public func runsChains(_ request: SamplingRequest) -> Bool {
        !(request.fixed.isEmpty && request.start == nil && request.temperature == 1 && request.allowedStates == nil)
    }

    public func sample(_ request: SamplingRequest, progress: (@Sendable (Int) -> Void)?) throws -> SampleSet {
        if !runsChains(request) {
            let codes = sample(count: request.count, seed: request.seed, progress: progress)
            return SampleSet(codes: codes, length: length, method: "exact ancestral", mixing: nil)
        }
        return try MarkovChains.run(self, request, progress: progress)
    }
}

extension PottsModel: Sampler {
    public func runsChains(_ request: SamplingRequest) -> Bool { true }

    public func sample(_ request: SamplingRequest, progress: (@Sendable (Int) -> Void)?) throws -> SampleSet {
        try MarkovChains.run(self, request, progress: progress)
    }
}

/// Runs `MarkovChainSampler` for a request and checks its mixing.
enum MarkovChains {
    static func run<M: GibbsConditionals>(_ model: M, _ request: SamplingRequest, progress: (@Sendable (Int) -> Void)?) throws -> SampleSet {
        let chains = Swift.max(1, Swift.min(request.chains, request.count))
        let sampler = MarkovChainSampler(model: model, chains: chains, burnIn: request.burnIn, thinning: request.thinning,
                                         temperature: request.temperature, fixed: request.fixed, start: request.start,
                                         allowedStates: request.allowedStates)
        let result = sampler.run(count: request.count, seed: request.seed, progress: progress)
        let mixing = MixingCheck(codes: result.codes, length: result.length, samplesPerChain: sampler.samplesPerChain(request.count), traces: result.traces)
        return SampleSet(codes: result.codes, length: result.length,
                         method: "Gibbs MCMC (\(chains) chains, burn-in \(request.burnIn) sweeps, thinning \(request.thinning), T = \(request.temperature))",
                         mixing: mixing)
    }
}
