import Testing
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

    /// Same seed, same LM from raw sequences. An LM fit's matrix products run on OpenBLAS's threads,
    /// whose sgemm differs in its last bits between one and two threads; `scripts/test.sh` pins
    /// OpenBLAS at one thread for the unit tests, so the fits holding it (`BLASThreads.holdingOne`)
    /// in tests beside this one cannot change the count between the two fits.
    @Test func sameSeedSameModelFromRawSequences() throws {
        let path = Repository.path("data/example.a3m")
        let x = try LanguageModelPipeline.run(path: path, focus: nil, settings: Self.settings, quiet: true).archive
        let y = try LanguageModelPipeline.run(path: path, focus: nil, settings: Self.settings, quiet: true).archive
        #expect(x.kind == .lm && x.fields.scalars == y.fields.scalars)
        let (model, _) = try x.languageModel(path: path)
        let raw = try RawSequences.read(path)
        let z = try LanguageModelEmbedding.embed(model, sequences: raw, source: path, perResidue: false)
        #expect(z.shape == [raw.count, 16])
    }
}
