import Tensors
import Autodiff
import Scoring

/// Mutation effects of a VAE (or an ensemble of VAEs) as the ELBO difference, DeepSequence's and
/// EVE's score:
///   Δ(x′) = (1/(K·S)) Σ_k Σ_s [ELBO_k,s(x′) − ELBO_k,s(x)]      (higher = fitter; EVE's
///   evolutionary index is −Δ)
/// where draw s uses one latent noise vector ε_s (z = μ(·) + σ(·) ⊙ ε_s) and one draw of the decoder
/// weights θ̃_s (the same noise for every member) for the wild type x and every mutant alike (common random numbers: the
/// difference has far less variance than two independent estimates, and a variant without
/// substitutions scores exactly 0). Draws come from `seed`, so the same seed gives the same scores.
/// Variants are evaluated in batches of `batch` rows, each batch with the wild type as its first row;
/// each batch is encoded once (the encoder has no noise) and each draw's decoder composed once, so a
/// draw costs one decoder pass per batch.
public struct VAEScorer: MutationEffectModel {
    public let members: [VAEModel]
    public var samples: Int
    public var seed: UInt64
    public var batch = 256
    /// Called after each draw of each member with (draws done, members × samples).
    public var progress: ((Int, Int) -> Void)?

    public init(members: [VAEModel], samples: Int = 100, seed: UInt64 = 0) {
        precondition(!members.isEmpty)
        self.members = members; self.samples = samples; self.seed = seed
    }

    public var length: Int { members[0].length }

    public func effect(of substitutions: [(column: Int, state: UInt8)], background: [UInt8]) -> Double {
        effects(of: [substitutions], background: background)[0]
    }

    public func effects(of variants: [[(column: Int, state: UInt8)]], background: [UInt8]) -> [Double] {
        var out = [Double](repeating: 0, count: variants.count)
        // Variants that change nothing score exactly 0 and are not evaluated.
        let rows = variants.indices.filter { v in variants[v].contains { background[$0.column] != $0.state } }
        guard !rows.isEmpty else { return out }
        let sequences: [[UInt8]] = rows.map { v in
            var y = background
            for s in variants[v] { y[s.column] = s.state }
            return y
        }
        // Batches of variant rows; each is scored beside the wild type, its first one-hot row.
        let batches = stride(from: 0, to: sequences.count, by: batch).map { $0..<Swift.min(sequences.count, $0 + batch) }
        var done = 0
        for model in members {
            nonisolated(unsafe) let vae = model
            let (wild, mutants, parts, seed) = (background, sequences, batches, seed)
            @Sendable func oneHot(_ batch: Range<Int>) -> Variable { Variable(vae.oneHot([wild] + mutants[batch])) }
            // The encoder is deterministic: each batch is encoded once for every draw.
            nonisolated(unsafe) let codes = Parallel.map(parts.count) { _, b in
                var unused = RandomGenerator(seed: 0)
                return noGrad { vae.encode(oneHot(parts[b]), dropout: &unused) }
            }
            /// Draw s: ELBO(variant) − ELBO(wild type) for every row.
            @Sendable func draw(_ s: Int) -> [Double] {
                var unused = RandomGenerator(seed: 0)
                // One decoder-weight draw per sample, composed once and shared by every batch of that sample.
                var weightNoise: RandomGenerator? = vae.architecture.bayesianDecoder
                    ? RandomGenerator(seed: VAEScorer.drawSeed(seed, sample: s, stream: 1)) : nil
                let weights = noGrad { vae.composed(vae.decoderWeights(noise: &weightNoise)) }
                // One latent noise vector per sample, shared by every row (common random numbers).
                var latent = RandomGenerator(seed: VAEScorer.drawSeed(seed, sample: s, stream: 0))
                let e = (0..<vae.architecture.latent).map { _ in latent.normal() }
                var diff = [Double](repeating: 0, count: mutants.count)
                for (batch, code) in zip(parts, codes) {
                    let eps = Tensor(shape: [batch.count + 1, e.count], scalars: Array(repeatElement(e, count: batch.count + 1).joined()))
                    let elbo = noGrad {
                        vae.terms(oneHot(batch), mean: code.mean, logVariance: code.logVariance, epsilon: eps, draw: weights, training: false, dropout: &unused).elbo.value.scalars
                    }
                    for (k, r) in batch.enumerated() { diff[r] = Double(elbo[k + 1] - elbo[0]) }
                }
                return diff
            }
            // The draws over the threads, a round of one per worker, each on single-threaded BLAS,
            // summed in draw order: the same scores at any thread count.
            let workers = Parallel.workers(for: samples)
            for first in stride(from: 0, to: samples, by: workers) {
                let round = first..<Swift.min(samples, first + workers)
                for diff in Parallel.map(round.count, { _, k in draw(round.lowerBound + k) }) { for (r, d) in diff.enumerated() { out[rows[r]] += d } }
                for _ in round { done += 1; progress?(done, members.count * samples) }
            }
        }
        let n = Double(members.count * samples)
        return out.map { $0 / n }
    }

    /// A seed per (base seed, draw, stream) (SplitMix64 finaliser of their combination).
    public static func drawSeed(_ seed: UInt64, sample: Int, stream: Int) -> UInt64 {
        var z = seed &+ 0x9E3779B97F4A7C15 &+ UInt64(sample) &* 0xBF58476D1CE4E5B9 &+ UInt64(stream) &* 0x94D049BB133111EB
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
