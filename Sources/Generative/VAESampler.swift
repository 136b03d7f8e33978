import Tensors
import Autodiff
import Sequences
import VAE
#if canImport(Glibc)
import Glibc
#endif

/// Draws sequences from a VAE (an ensemble draws each sample from one member, in turn):
///
///   z ~ N(0, I)                         (prior sampling), or
///   z ~ q(z | x₀) = N(μ(x₀), diag σ²(x₀))   (`--from x₀`: designs around a sequence's posterior),
///   x_i ~ p(x_i | z) ∝ exp(log p(x_i = a | z) / T)   independently per column,
///
/// with the decoder at its parameter means (θ = μ_θ). Exact and independent draws of the model's
/// generative process; fixed columns are set after the draw (they do not condition z: the
/// per-column factorisation given z makes the other columns independent of them given z).
/// Samples are drawn in batches of `batch` latent vectors; each batch's generator is seeded from
/// (seed, batch), so the file does not depend on the thread count.
public struct VAESampler: Sampler {
    public let members: [VAEModel]
    public let alphabet: Alphabet
    public var length: Int { members[0].length }
    public var batch = 256

    public init(members: [VAEModel], alphabet: Alphabet) {
        precondition(!members.isEmpty)
        self.members = members; self.alphabet = alphabet
    }

    /// log p(x_i = a | z) for rows z: (B, Z) → (B, L·q), decoder at its means.
    public func logProbabilities(_ z: Tensor, member: Int) -> Tensor {
        let m = members[member]
        var none: RandomGenerator? = nil
        var unused = RandomGenerator(seed: 0)
        return noGrad { m.decode(Variable(z), weights: m.decoderWeights(noise: &none), dropout: &unused).value }
    }

    public func runsChains(_ request: SamplingRequest) -> Bool { false }

    public func sample(_ request: SamplingRequest, progress: (@Sendable (Int) -> Void)?) throws -> SampleSet {
        let (l, q) = (length, alphabet.size)
        let k = request.allowedStates ?? q
        let latent = members[0].architecture.latent
        // The posterior of the start sequence, per member.
        var posterior: [(mean: [Float], std: [Float])] = []
        if let start = request.start {
            var unused = RandomGenerator(seed: 0)
            for m in members {
                let (mu, logVariance) = noGrad { m.encode(Variable(m.oneHot([start])), dropout: &unused) }
                posterior.append((mu.value.scalars, logVariance.value.scalars.map { Glibc.expf($0 / 2) }))
            }
        }
        var out = [UInt8](repeating: 0, count: request.count * l)
        let batches = (request.count + batch - 1) / batch
        let beta = 1 / request.temperature
        for b in 0..<batches {
            let first = b * batch, rows = Swift.min(batch, request.count - first)
            var rng = RandomGenerator(seed: request.seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(b) &* 0xBF58_476D_1CE4_E5B9 &+ 5)
            // Member of each row: row r of the whole run uses member r mod M.
            for member in 0..<members.count {
                let mine = (0..<rows).filter { (first + $0) % members.count == member }
                if mine.isEmpty { continue }
                var z = [Float](repeating: 0, count: mine.count * latent)
                for r in 0..<mine.count { for d in 0..<latent {
                    let e = rng.normal()
                    z[r * latent + d] = posterior.isEmpty ? e : posterior[member].mean[d] + posterior[member].std[d] * e
                } }
                let logp = logProbabilities(Tensor(shape: [mine.count, latent], scalars: z), member: member).scalars
                var weights = [Double](repeating: 0, count: k)
                for (r, row) in mine.enumerated() {
                    let s = first + row
                    for i in 0..<l {
                        if let a = request.fixed[i] { out[s * l + i] = a; continue }
                        var m = -Double.infinity
                        for a in 0..<k { weights[a] = Double(logp[(r * l + i) * q + a]) * beta; m = Swift.max(m, weights[a]) }
                        var total = 0.0
                        for a in 0..<k { weights[a] = Glibc.exp(weights[a] - m); total += weights[a] }
                        var u = rng.uniformDouble() * total
                        var pick = k - 1
                        for a in 0..<k { u -= weights[a]; if u < 0 { pick = a; break } }
                        out[s * l + i] = UInt8(pick)
                    }
                }
            }
            progress?(first + rows)
        }
        var how = request.start == nil ? "z ~ N(0, I)" : "z ~ q(z | --from)"
        if !request.fixed.isEmpty { how += "; fixed columns set after the draw, z not conditioned on them" }
        return SampleSet(codes: out, length: l, method: "exact (\(how), columns independent given z; \(members.count) member\(members.count == 1 ? "" : "s"))", mixing: nil)
    }
}

