import Testing
import Tensors
import Sequences
import LanguageModel
import Generative

@Suite struct LanguageModelSamplerTests {
    func sampler() -> LanguageModelSampler {
        var c = LanguageModelConfiguration()
        c.layers = 1; c.dimension = 16; c.heads = 2; c.feedForward = 32; c.maxPositions = 20; c.dropout = 0
        return LanguageModelSampler(model: ProteinLanguageModel(c, seed: 3), query: [0, 1, 2, 3, 4, 5, 6, 7], alphabet: .protein)
    }

    @Test func seededMaskedGibbsIsIdenticalAndKeepsFixedResidues() throws {
        let s = sampler()
        var request = SamplingRequest(count: 12, seed: 2)
        (request.chains, request.burnIn, request.thinning) = (4, 2, 1)
        request.fixed = [3: 17]
        let a = try s.sample(request, progress: nil), b = try s.sample(request, progress: nil)
        #expect(a.codes == b.codes)
        #expect((0..<12).allSatisfy { a.codes[$0 * 8 + 3] == 17 })
        #expect(a.codes.allSatisfy { $0 < 20 })
        // The chains moved away from the query (an untrained model's conditionals are near uniform).
        #expect((0..<12).contains { n in (0..<8).contains { a.codes[n * 8 + $0] != [0, 1, 2, 17, 4, 5, 6, 7][$0] } })
        request.seed = 3
        #expect(try s.sample(request, progress: nil).codes != a.codes)
    }

    @Test func aStartWithGapsIsRefused() throws {
        var request = SamplingRequest(count: 2, seed: 1)
        request.start = [0, 1, 20, 3, 4, 5, 6, 7]
        #expect(throws: SamplingError.self) { try sampler().sample(request, progress: nil) }
    }
}
