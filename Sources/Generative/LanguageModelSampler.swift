import Tensors
import Autodiff
import Sequences
import LanguageModel
#if canImport(Glibc)
import Glibc
#endif

/// Draws sequences from a masked language model by iterative masked Gibbs sampling (Wang & Cho
/// 2019): each chain starts at `--from` (or the model's query sequence, from its training set),
/// and each step picks a uniformly random free position i, replaces it by ⟨mask⟩ and draws
///
///   x_i ~ p(a | x with i masked)^{1/T}   over the 20 amino acids (renormalised among them),
///
/// all chains in one batched forward pass per step. A sweep is L steps; a chain records a sample
/// after `burnIn` sweeps and then every `thinning` sweeps. A masked LM's conditionals need not be
/// those of one joint distribution, so this is a heuristic sampler, not exact MCMC: it draws
/// sequences the model finds plausible near the start. Fixed columns never change. Each chain has
/// its own generator seeded from (seed, chain); the same seed and `--threads` give the same file.
/// Cost: one forward pass of a (chains × (L + 2)) batch per step, L steps per sweep.
public struct LanguageModelSampler: Sampler {
    public let model: ProteinLanguageModel
    /// The chains' default start (the model's query), as residue tokens.
    public let query: [UInt8]
    public let alphabet: Alphabet
    public var length: Int { query.count }

    public init(model: ProteinLanguageModel, query: [UInt8], alphabet: Alphabet) {
        self.model = model; self.query = query; self.alphabet = alphabet
    }

    public func runsChains(_ request: SamplingRequest) -> Bool { true }

    public func sample(_ request: SamplingRequest, progress: (@Sendable (Int) -> Void)?) throws -> SampleSet {
        let l = length
        guard l >= 1 else { throw SamplingError("the language model's query is empty") }
        if let start = request.start, start.contains(where: { $0 >= 20 }) {
            throw SamplingError("--from must hold amino acids only for a language model (no gaps or X)")
        }
        if request.fixed.values.contains(where: { $0 >= 20 }) {
            throw SamplingError("--fix must set amino acids only for a language model (no gaps or X)")
        }
        let free = (0..<l).filter { request.fixed[$0] == nil }
        let chains = Swift.max(1, Swift.min(request.chains, request.count))
        let per = (0..<chains).map { request.count / chains + ($0 < request.count % chains ? 1 : 0) }
        var first = [0]
        for n in per { first.append(first.last! + n) }
        var states = (0..<chains).map { _ -> [UInt8] in
            var x = request.start ?? query.map { $0 < 20 ? $0 : 0 }
            for (i, a) in request.fixed { x[i] = a }
            return x
        }
        var generators = (0..<chains).map { RandomGenerator(seed: request.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64($0) &* 0xBF58_476D_1CE4_E5B9 &+ 13) }
        var out = [UInt8](repeating: 0, count: request.count * l)
        let beta = 1 / request.temperature
        let (t, v) = (l + 2, ProteinTokens.count)
        var recorded = [Int](repeating: 0, count: chains)
        let sweeps = request.burnIn + request.thinning * (per.max() ?? 0)
        var weights = [Double](repeating: 0, count: 20)
        for sweep in 1...Swift.max(sweeps, 1) {
            if !free.isEmpty {
                for _ in 0..<l {
                    let sites = (0..<chains).map { free[generators[$0].int(below: free.count)] }
                    let batched = ProteinLanguageModel.batch(states)
                    var tokens = batched.tokens
                    for c in 0..<chains { tokens[c][sites[c] + 1] = ProteinTokens.mask }
                    let logits = noGrad { model(tokens: tokens, lengths: batched.lengths, training: false).logits.value.scalars }
                    for c in 0..<chains {
                        let row = (c * t + sites[c] + 1) * v
                        var m = -Double.infinity
                        for a in 0..<20 { weights[a] = Double(logits[row + a]) * beta; m = Swift.max(m, weights[a]) }
                        var total = 0.0
                        for a in 0..<20 { weights[a] = Glibc.exp(weights[a] - m); total += weights[a] }
                        var u = generators[c].uniformDouble() * total
                        var pick = 19
                        for a in 0..<20 { u -= weights[a]; if u < 0 { pick = a; break } }
                        states[c][sites[c]] = UInt8(pick)
                    }
                }
            }
            if sweep > request.burnIn && (sweep - request.burnIn) % request.thinning == 0 {
                for c in 0..<chains where recorded[c] < per[c] {
                    for i in 0..<l { out[(first[c] + recorded[c]) * l + i] = states[c][i] }
                    recorded[c] += 1
                }
            }
            progress?(request.count * sweep / Swift.max(sweeps, 1))
        }
        return SampleSet(codes: out, length: l,
                         method: "masked Gibbs (\(chains) chains from \(request.start == nil ? "the query" : "--from"), burn-in \(request.burnIn) sweeps, thinning \(request.thinning), T = \(request.temperature); heuristic, not exact MCMC)",
                         mixing: nil)
    }
}
