import Testing
import Tensors
import Autodiff
import Sequences
import VAE
import Generative
#if canImport(Glibc)
import Glibc
#endif

@Suite struct VAESamplerTests {
    /// A tiny VAE (L = 3, q = 21, latent 2) whose decoder depends on z strongly enough that the
    /// marginals are a real mixture: output weights ×6, output bias drawn N(0, 1.5²).
    func tinyVAE() -> VAEModel {
        var rng = RandomGenerator(seed: 11)
        let m = VAEModel(architecture: VAEArchitecture(encoder: [8], latent: 2, decoder: [8]), length: 3, states: 21, using: &rng)
        for (name, p) in m.namedParameters {
            if name == "output.weight.mean" { p.value = Tensor(shape: p.shape, scalars: p.value.scalars.map { $0 * 6 }) }
            if name == "output.bias.mean" { p.value = Tensor.normal(p.shape, std: 1.5, using: &rng) }
        }
        return m
    }

    /// p(x_i = a) = E_{z ~ N(0, I)} p(x_i = a | z), by Monte Carlo over many z with the decoder called directly.
    func decoderMarginals(_ m: VAEModel, draws: Int) -> [Double] {
        var rng = RandomGenerator(seed: 99)
        let z = Tensor.normal([draws, 2], using: &rng)
        var none: RandomGenerator? = nil
        var unused = RandomGenerator(seed: 0)
        let logp = noGrad { m.decode(Variable(z), weights: m.decoderWeights(noise: &none), dropout: &unused).value.scalars }
        var f = [Double](repeating: 0, count: 3 * 21)
        for r in 0..<draws { for k in 0..<(3 * 21) { f[k] += Double(Glibc.expf(logp[r * 63 + k])) / Double(draws) } }
        return f
    }

    @Test func samplesReproduceTheDecoderMarginals() throws {
        let m = tinyVAE()
        let sampler = VAESampler(members: [m], alphabet: .protein)
        let n = 8000
        let set = try sampler.sample(SamplingRequest(count: n, seed: 1), progress: nil)
        var f = [Double](repeating: 0, count: 63)
        for s in 0..<n { for i in 0..<3 { f[i * 21 + Int(set.codes[s * 3 + i])] += 1 / Double(n) } }
        let expected = decoderMarginals(m, draws: 40000)
        let gap = zip(f, expected).map { Swift.abs($0 - $1) }.max()!
        #expect(gap < 0.025, "largest one-site frequency gap \(gap)")
        #expect(expected.max()! > 0.2, "the marginals are far from uniform, so the check can fail")
    }

    @Test func seededSamplingIsIdenticalAndFixedColumnsAreKept() throws {
        let sampler = VAESampler(members: [tinyVAE(), tinyVAE()], alphabet: .protein)
        var request = SamplingRequest(count: 600, seed: 4)
        request.fixed = [1: 5]
        let a = try sampler.sample(request, progress: nil), b = try sampler.sample(request, progress: nil)
        #expect(a.codes == b.codes)
        request.seed = 5
        #expect(try sampler.sample(request, progress: nil).codes != a.codes)
        #expect((0..<600).allSatisfy { a.codes[$0 * 3 + 1] == 5 })
        // Around a sequence's posterior; with no gap allowed, the gap (state 20) never appears.
        request.start = [0, 5, 7]
        request.allowedStates = 20
        let local = try sampler.sample(request, progress: nil)
        #expect(local.method.contains("q(z | --from)"))
        #expect(!local.codes.contains(20))
    }
}
