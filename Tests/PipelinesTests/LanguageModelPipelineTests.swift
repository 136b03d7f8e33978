import Testing
import XCTest
import Archive
import Sequences
import Pipelines
import LanguageModel

/// `ModelKind.lm` through the registry: fitted from an alignment (gaps removed) or from raw
/// sequences, then scored and turned into contacts like every other kind.
@Suite struct LanguageModelPipelineTests {
    /// A tiny LM: enough steps to exercise the pipeline, seconds to run.
    static var settings: FitSettings {
        var s = FitSettings(kind: .lm)
        s.languageModel.configuration.dimension = 16; s.languageModel.configuration.heads = 2
        s.languageModel.configuration.feedForward = 32; s.languageModel.configuration.layers = 1
        s.languageModel.steps = 4; s.languageModel.evaluateEvery = 2; s.languageModel.batchSize = 8
        s.seed = 3
        return s
    }

    @Test func registryFitsScoresAndMapsAnLMFromAnAlignment() throws {
        let msa = try Repository.exampleAlignment()
        let fitted = try FitPipeline.run(msa, source: "example.a3m", settings: Self.settings, quiet: true)
        let a = fitted.archive
        #expect(a.kind == .lm && !ModelKind.lm.storesPottsForm)
        #expect(ModelKind.lm.fitting(Self.settings).isIterative)
        #expect(fitted.history.count >= 1)
        // Every residue of the focus, gaps removed.
        #expect(a.focusSequence == msa.focusSequence.filter { $0 != "-" && $0 != "." }.uppercased())
        #expect(try a.symmetricCouplings(path: "m") == nil)
        let scorer = try a.scorer(path: "m")
        let wt = try #require(Alphabet.protein.encode(a.focusSequence))
        #expect(scorer.effect(of: [(0, wt[0])], background: wt) == 0)
        let map = try a.contactMap(path: "m")
        #expect(map.length == a.length)
        #expect(throws: PipelineError.self) { try a.contactMap(path: "m", lmHeads: "9.9") }
    }

}

/// Same seed, same LM from raw sequences — under XCTest, one test at a time: an LM fit's matrix
/// products run on OpenBLAS's threads, and Debian's OpenBLAS 0.3.21 gives sgemm results that differ
/// in their last bits between one and two threads (e.g. 15% of a 512 × 64 × 16 product's entries),
/// while swift-testing runs other tests beside this one that hold OpenBLAS at one thread
/// (`BLASThreads.holdingOne`, process-wide): two fits could each see a different count.
final class LanguageModelSameSeedTests: XCTestCase {
    func testSameSeedSameModelFromRawSequences() throws {
        let path = Repository.path("data/example.a3m")
        let settings = LanguageModelPipelineTests.settings
        let x = try LanguageModelPipeline.run(path: path, focus: nil, settings: settings, quiet: true).archive
        let y = try LanguageModelPipeline.run(path: path, focus: nil, settings: settings, quiet: true).archive
        XCTAssertTrue(x.kind == .lm && x.fields.scalars == y.fields.scalars)
        let (model, _) = try x.languageModel(path: path)
        let raw = try RawSequences.read(path)
        let z = try LanguageModelEmbedding.embed(model, sequences: raw, source: path, perResidue: false)
        XCTAssertEqual(z.shape, [raw.count, 16])
    }
}
