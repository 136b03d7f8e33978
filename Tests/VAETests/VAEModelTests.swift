import Testing
import Foundation
import Tensors
import Autodiff
import Optimizers
import Sequences
import Potts
import Scoring
import NumPyIO
import VAE

/// A small alignment of two planted clusters: rows of cluster c copy template c with each column
/// resampled uniformly with probability `noise`.
func twoClusterAlignment(count: Int = 200, length: Int = 16, noise: Float = 0.1, seed: UInt64 = 1) -> MultipleSequenceAlignment {
    var rng = RandomGenerator(seed: seed)
    let q = Alphabet.protein.size
    let templates = (0..<2).map { _ in (0..<length).map { _ in UInt8(rng.int(below: q - 1)) } }
    var codes: [UInt8] = []
    for n in 0..<count {
        for i in 0..<length { codes.append(rng.uniform() < noise ? UInt8(rng.int(below: q - 1)) : templates[n % 2][i]) }
    }
    return MultipleSequenceAlignment(alphabet: .protein, names: (0..<count).map { "s\($0)" }, codes: codes, length: length)
}

let tinyArchitecture = VAEArchitecture(encoder: [6], latent: 2, decoder: [4, 4], bayesianDecoder: true, temperature: true,
                                       dictionary: 3, sparsityTiles: 2)

@Suite struct VAEModelTests {
    /// The training loss (−ELBO estimate + decoder KL/Neff) with its noise fixed by seeds, against
    /// central finite differences of every parameter tensor (a few entries each, in Double).
    @Test func elboGradientMatchesFiniteDifferences() {
        var rng = RandomGenerator(seed: 3)
        let model = VAEModel(architecture: tinyArchitecture, length: 3, states: 4, using: &rng)
        for p in model.parameters { p.value = p.value + Tensor.normal(p.shape, std: 0.3, using: &rng) }
        let x = model.oneHot([[0, 1, 2], [3, 3, 1], [2, 0, 0]])
        func loss() -> Variable {
            var latent = RandomGenerator(seed: 11), dropout = RandomGenerator(seed: 12)
            var weights: RandomGenerator? = RandomGenerator(seed: 13)
            let t = model.terms(x, training: true, latentNoise: &latent, weightNoise: &weights, dropout: &dropout)
            return VAEModel.loss(t, beta: 0.7, neff: 5)
        }
        for p in model.parameters { p.zeroGrad() }
        loss().backward()
        var checked = 0
        for (name, p) in model.namedParameters {
            let g = p.grad!
            for k in Set([0, p.value.count / 2, p.value.count - 1]) {
                let original = p.value.scalars[k]
                let h: Float = 1e-2
                p.value.scalars[k] = original + h
                let up = Double(noGrad { loss() }.item)
                p.value.scalars[k] = original - h
                let down = Double(noGrad { loss() }.item)
                p.value.scalars[k] = original
                let fd = (up - down) / (2 * Double(h))
                let analytic = Double(g.scalars[k])
                #expect(Swift.abs(fd - analytic) <= 2e-2 * Swift.max(1, Swift.abs(fd)), "\(name)[\(k)]: finite difference \(fd), gradient \(analytic)")
                checked += 1
            }
        }
        #expect(checked > 20)
    }

    /// The ELBO terms against a direct computation: reconstruction = Σ_i log softmax(logits)_{x_i},
    /// the latent KL in closed form.
    @Test func elboTermsAreTheLogLikelihoodAndClosedFormKL() {
        var rng = RandomGenerator(seed: 5)
        let arch = VAEArchitecture(encoder: [5], latent: 3, decoder: [4], bayesianDecoder: false, temperature: false)
        let model = VAEModel(architecture: arch, length: 4, states: 3, using: &rng)
        let x = model.oneHot([[0, 1, 2, 0]])
        var latent = RandomGenerator(seed: 1), unused = RandomGenerator(seed: 0)
        var none: RandomGenerator? = nil
        let t = noGrad { model.terms(x, training: false, latentNoise: &latent, weightNoise: &none, dropout: &unused) }
        // Recompute by hand with the same ε.
        var latent2 = RandomGenerator(seed: 1)
        let eps = (0..<3).map { _ in latent2.normal() }
        let (mu, logvar) = noGrad { model.encode(Variable(x), dropout: &unused) }
        let z = (0..<3).map { mu.value.scalars[$0] + Foundation.exp(0.5 * logvar.value.scalars[$0]) * eps[$0] }
        let logp = noGrad { model.decode(Variable(Tensor(shape: [1, 3], scalars: z)), weights: model.decoderWeights(noise: &none), dropout: &unused) }.value.scalars
        let rec = [0, 1, 2, 0].enumerated().reduce(Float(0)) { $0 + logp[$1.offset * 3 + $1.element] }
        let kl = (0..<3).reduce(Float(0)) { acc, k in
            let m = mu.value.scalars[k], lv = logvar.value.scalars[k]
            return acc - 0.5 * (1 + lv - m * m - Foundation.exp(lv))
        }
        #expect(Swift.abs(t.reconstruction.value.scalars[0] - rec) < 1e-4)
        #expect(Swift.abs(t.latentKL.value.scalars[0] - kl) < 1e-4)
        // Each column's probabilities sum to 1.
        for i in 0..<4 { #expect(Swift.abs((0..<3).reduce(Float(0)) { $0 + Foundation.exp(logp[i * 3 + $1]) } - 1) < 1e-5) }
    }

    /// Trained on two planted clusters, the latent means of the two clusters separate: the gap
    /// between the cluster centres is several times the spread within them.
    @Test func latentSpaceSeparatesTwoPlantedClusters() {
        let msa = twoClusterAlignment()
        var fit = VAEFit(architecture: VAEArchitecture(encoder: [32], latent: 2, decoder: [16, 32]), steps: 300, seed: 7)
        fit.batchSize = 32; fit.learningRate = 3e-3; fit.validationFraction = 0
        let result = fit.fit(msa, weights: [Float](repeating: 1, count: msa.count))
        #expect(result.failure == nil)
        let z = result.model.embed((0..<msa.count).map { Array(msa.row($0)) })
        func centre(_ c: Int) -> [Float] {
            let rows = (0..<msa.count).filter { $0 % 2 == c }
            return (0..<2).map { k in rows.reduce(Float(0)) { $0 + z.scalars[$1 * 2 + k] } / Float(rows.count) }
        }
        let (a, b) = (centre(0), centre(1))
        let gap = ((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1])).squareRoot()
        var spread: Float = 0
        for n in 0..<msa.count {
            let c = n % 2 == 0 ? a : b
            spread += ((z.scalars[n * 2] - c[0]) * (z.scalars[n * 2] - c[0]) + (z.scalars[n * 2 + 1] - c[1]) * (z.scalars[n * 2 + 1] - c[1])).squareRoot()
        }
        spread /= Float(msa.count)
        #expect(gap > 4 * spread, "centre gap \(gap), mean distance to own centre \(spread)")
        // Every sequence is nearer its own cluster's centre.
        let misplaced = (0..<msa.count).filter { n in
            let own = n % 2 == 0 ? a : b, other = n % 2 == 0 ? b : a
            func d(_ c: [Float]) -> Float { (0..<2).reduce(Float(0)) { $0 + (z.scalars[n * 2 + $1] - c[$1]) * (z.scalars[n * 2 + $1] - c[$1]) } }
            return d(own) >= d(other)
        }
        #expect(misplaced.isEmpty)
    }

    /// A run interrupted after k steps and resumed from its checkpoint file gives the same
    /// parameters, bit for bit, as an uninterrupted run (held-out evaluations and early stopping included).
    @Test func resumeIsByteIdentical() throws {
        let msa = twoClusterAlignment(count: 60, length: 8)
        var fit = VAEFit(architecture: VAEArchitecture(encoder: [8], latent: 2, decoder: [6, 8], decoderDropout: 0.1), steps: 40, seed: 3)
        fit.batchSize = 8; fit.evaluateEvery = 5; fit.validationFraction = 0.2
        let weights = SequenceWeights.compute(msa)
        let straight = fit.fit(msa, weights: weights)
        var saved: VAEFit.State?
        _ = fit.fit(msa, weights: weights, progress: { step, _, _ in step < 17 }, checkpoint: { step, state in if step == 17 { saved = state() } })
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vae-resume-\(getpid()).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint(fingerprint: "test", vae: saved!).write(to: path)
        let restored = try Checkpoint.read(path).vaeState(shapes: straight.model.parameters.map(\.shape), path: path)
        let resumed = fit.fit(msa, weights: weights, resume: restored)
        #expect(resumed.steps == straight.steps && resumed.bestStep == straight.bestStep)
        for (a, b) in zip(straight.model.parameters, resumed.model.parameters) { #expect(a.value.scalars == b.value.scalars) }
        #expect(straight.losses == resumed.losses)
    }

    /// Early stopping keeps the best held-out evaluation's parameters and stops `patience`
    /// evaluations after it.
    @Test func earlyStoppingKeepsTheBestEvaluation() {
        let msa = twoClusterAlignment(count: 80, length: 8)
        var fit = VAEFit(architecture: VAEArchitecture(encoder: [8], latent: 2, decoder: [8]), steps: 2000, seed: 2)
        fit.batchSize = 16; fit.evaluateEvery = 10; fit.patience = 3; fit.validationFraction = 0.25; fit.learningRate = 0.05
        let r = fit.fit(msa, weights: [Float](repeating: 1, count: msa.count))
        let best = r.validation.max { $0.elbo < $1.elbo }!
        #expect(r.bestStep == best.step)
        if r.stopReason == "early stopping" { #expect(r.validation.last!.step == best.step + 3 * 10) }
        #expect(r.validationSequences == 20 && r.trainingSequences == 60)
    }

    /// With clusters the held-out rows are whole clusters, never the focus's, about the fraction of
    /// the sequences; with none, or when only the focus's cluster could be held out, a seeded random
    /// fraction. The fit trains on the rest.
    @Test func heldOutSequencesAreWholeClusters() {
        var fit = VAEFit(architecture: VAEArchitecture(encoder: [8], latent: 2, decoder: [8]), steps: 3, seed: 4)
        fit.validationFraction = 0.1
        var rng = RandomGenerator(seed: 9)
        let clusters = (0..<300).map { _ in rng.int(below: 70) }
        let split = fit.validationRows(count: 300, clusters: clusters, focus: 11)
        #expect(split.wholeClusters && split.rows.count >= 30 && split.rows.count <= 37, "\(split.rows.count)")
        let taken = Set(split.rows.map { clusters[$0] })
        #expect(!taken.contains(clusters[11]))
        for c in taken { #expect(split.rows.filter { clusters[$0] == c }.count == clusters.filter { $0 == c }.count) }
        let random = fit.validationRows(count: 300)
        #expect(!random.wholeClusters && random.rows.count == 30)
        #expect(fit.validationRows(count: 300, clusters: [Int](repeating: 0, count: 300), focus: 0) == random)
        let msa = twoClusterAlignment(count: 40, length: 8)
        let held = SequenceWeights.clusters(msa, identity: 0.8)
        let r = fit.fit(msa, weights: [Float](repeating: 1, count: msa.count), clusters: held)
        #expect(r.validationWholeClusters == fit.validationRows(count: 40, clusters: held, focus: msa.focus).wholeClusters)
        #expect(r.validationSequences + r.trainingSequences == 40 && r.validationSequences > 0)
    }
}
