import Testing
import Foundation
import Tensors
import Autodiff
import Sequences
import Potts
import Archive
import Scoring
import NumPyIO
import VAE

@Suite struct VAEScoringTests {
    func trained() -> (VAEModel, MultipleSequenceAlignment) {
        let msa = twoClusterAlignment(count: 80, length: 10)
        var fit = VAEFit(architecture: VAEArchitecture(encoder: [16], latent: 2, decoder: [8, 16]), steps: 60, seed: 4)
        fit.batchSize = 16; fit.validationFraction = 0
        return (fit.fit(msa, weights: [Float](repeating: 1, count: msa.count)).model, msa)
    }

    /// ΔELBO of the wild type against itself is exactly 0 (common random numbers), mutants are not
    /// 0, the same seed gives the same scores at any thread count, and batching does not change them.
    @Test func wildTypeScoresZeroAndDrawsAreSeeded() {
        let (model, msa) = trained()
        let wt = msa.focusCodes
        let other = UInt8((Int(wt[3]) + 1) % 20)
        let variants: [[(column: Int, state: UInt8)]] = [[], [(3, wt[3])], [(3, other)], [(1, UInt8((Int(wt[1]) + 2) % 20)), (3, other)]]
        var scorer = VAEScorer(members: [model], samples: 8, seed: 9)
        let a = scorer.effects(of: variants, background: wt)
        #expect(a[0] == 0 && a[1] == 0)
        #expect(a[2] != 0 && a[3] != 0)
        #expect(scorer.effects(of: variants, background: wt) == a)
        // Draws split over 1, 2 or 3 threads (each on single-threaded BLAS), summed in draw order: the same bits.
        for threads in [1, 2, 3] { #expect(Parallel.withThreads(threads) { scorer.effects(of: variants, background: wt) } == a) }
        scorer.batch = 1
        let b = scorer.effects(of: variants, background: wt)
        for (x, y) in zip(a, b) { #expect(Swift.abs(x - y) < 1e-4 * Swift.max(1, Swift.abs(x))) }
        #expect(scorer.effect(of: [(3, other)], background: wt) == a[2])
        // A different seed draws differently.
        #expect(VAEScorer(members: [model], samples: 8, seed: 10).effects(of: variants, background: wt)[2] != a[2])
    }

    /// The scorer encodes each batch once and composes each decoder draw once; written plainly — every
    /// draw s and every variant through `terms` (encoder, draw, latent noise, decoder) beside the wild
    /// type — the mean ELBO difference is the same number, bit for bit, with the output dictionary, the
    /// sparsity gates, a Bayesian decoder and the temperature all in play.
    @Test func sharedEncodingEqualsThePlainEvaluation() {
        let msa = twoClusterAlignment(count: 60, length: 8)
        let arch = VAEArchitecture(encoder: [12], latent: 3, decoder: [8, 16], dictionary: 4, sparsityTiles: 2)
        var rng = RandomGenerator(seed: 5)
        let model = VAEModel(architecture: arch, length: msa.length, states: msa.alphabet.size, using: &rng)
        let wt = msa.focusCodes
        var variants: [[(column: Int, state: UInt8)]] = []
        for i in 0..<5 {
            var v: [(column: Int, state: UInt8)] = [(i, UInt8((Int(wt[i]) + 1 + i) % 20))]
            if i % 2 == 0 { v.append((7, UInt8((Int(wt[7]) + 3) % 20))) }
            variants.append(v)
        }
        var scorer = VAEScorer(members: [model], samples: 3, seed: 2)
        scorer.batch = 2
        let fast = scorer.effects(of: variants, background: wt)
        var plain = [Double](repeating: 0, count: variants.count)
        var unused = RandomGenerator(seed: 0)
        for s in 0..<3 {
            var weightNoise: RandomGenerator? = RandomGenerator(seed: VAEScorer.drawSeed(2, sample: s, stream: 1))
            let draw = noGrad { model.decoderWeights(noise: &weightNoise) }
            for start in stride(from: 0, to: variants.count, by: 2) {
                let end = Swift.min(variants.count, start + 2)
                let rows = [wt] + variants[start..<end].map { v in var y = wt; for m in v { y[m.column] = m.state }; return y }
                var latent = RandomGenerator(seed: VAEScorer.drawSeed(2, sample: s, stream: 0))
                var none: RandomGenerator? = nil
                let elbo = noGrad {
                    model.terms(model.oneHot(rows), training: false, latentNoise: &latent, sharedLatentNoise: true,
                                weightNoise: &none, dropout: &unused, decoderDraw: draw).elbo.value.scalars
                }
                for r in start..<end { plain[r] += Double(elbo[r - start + 1] - elbo[0]) }
            }
        }
        #expect(fast == plain.map { $0 / 3 })
    }

    /// An ensemble's score is the mean of its members' scores; progress counts every member's draws.
    @Test func ensembleAveragesItsMembers() {
        let (m1, msa) = trained()
        var rng = RandomGenerator(seed: 99)
        let m2 = VAEModel(architecture: m1.architecture, length: m1.length, states: m1.states, using: &rng)
        let wt = msa.focusCodes
        let v: [[(column: Int, state: UInt8)]] = [[(2, UInt8((Int(wt[2]) + 1) % 20))]]
        let s1 = VAEScorer(members: [m1], samples: 4, seed: 1).effects(of: v, background: wt)[0]
        let s2 = VAEScorer(members: [m2], samples: 4, seed: 1).effects(of: v, background: wt)[0]
        var ensemble = VAEScorer(members: [m1, m2], samples: 4, seed: 1)
        var reports: [(Int, Int)] = []
        ensemble.progress = { reports.append(($0, $1)) }
        let both = ensemble.effects(of: v, background: wt)[0]
        #expect(Swift.abs(both - (s1 + s2) / 2) < 1e-6 * Swift.max(1, Swift.abs(both)))
        #expect(s1 != s2)
        // Progress: one report per draw of each member, counting to members × samples.
        #expect(reports.map(\.0) == Array(1...8) && reports.allSatisfy { $0.1 == 8 })
    }

    /// A model file round trip keeps every parameter and the scores; a Potts file is refused as not a VAE.
    @Test func archiveRoundTrip() throws {
        let (model, msa) = trained()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vae-archive-\(getpid()).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try VAEArchive.archive([model, model], msa: msa, metadata: [("seed", 4)]).write(to: path, overwrite: true)
        let archive = try ModelArchive.read(path)
        #expect(archive.kind == .vae && archive.pottsModel == nil)
        let members = try VAEArchive.models(archive, path: path)
        #expect(members.count == 2)
        for (a, b) in zip(model.parameters, members[1].parameters) { #expect(a.value == b.value) }
        let wt = msa.focusCodes
        let v: [[(column: Int, state: UInt8)]] = [[(0, UInt8((Int(wt[0]) + 3) % 20))]]
        #expect(VAEScorer(members: [model], samples: 3).effects(of: v, background: wt) == VAEScorer(members: [members[0]], samples: 3).effects(of: v, background: wt))
        var potts = archive
        potts.kind = .potts
        #expect(throws: (any Error).self) { try VAEArchive.models(potts, path: path) }
    }

    /// EM on two well-separated Gaussians recovers them; the posterior of the higher-mean component
    /// is the pathogenic probability.
    @Test func mixtureRecoversTwoComponents() throws {
        var rng = RandomGenerator(seed: 5)
        let data = (0..<600).map { _ in Double(rng.normal()) * 0.5 + 1 } + (0..<400).map { _ in Double(rng.normal()) * 0.8 + 6 }
        let m = try #require(EvolutionaryIndexMixture.fit(data))
        #expect(Swift.abs(m.means[0] - 1) < 0.1 && Swift.abs(m.means[1] - 6) < 0.15)
        #expect(Swift.abs(m.weights[1] - 0.4) < 0.03)
        #expect(Swift.abs(m.standardDeviations[0] - 0.5) < 0.06 && Swift.abs(m.standardDeviations[1] - 0.8) < 0.08)
        #expect(m.pathogenicProbability(6) > 0.99 && m.pathogenicProbability(1) < 0.01)
        #expect(EvolutionaryIndexMixture.fit([1, 1, 1, 1]) == nil)
    }
}
