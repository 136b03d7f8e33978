import Tensors
import NumPyIO
import Archive
import Sequences

/// A trained language model as a seqgen model archive (`model_type` 'lm'):
///   h                 (L, 21) the masked-marginal log-probabilities log p(a | focus with position i
///                     masked) over the 20 amino acids of the focus (query) sequence, so the file
///                     reads like a PSSM of the query; column 21 (gap, which the model has no token
///                     for) holds the row's minimum
///   focus_name, focus_sequence, residue_numbers   the query (all its residues, insert residues
///                     included) and their numbers (`NAME/START-END` or 1-based)
///   meta_lm_layers, meta_lm_dimension, meta_lm_heads, meta_lm_feed_forward, meta_lm_max_positions,
///   meta_lm_position_shared, meta_lm_rotary, meta_lm_blosum62   the architecture; meta_* fit settings
///   lm.<parameter>    every parameter under its dotted name (`lm.block0.attention.qkv.weight` …)
extension ProteinLanguageModel {
    public static let kind = "lm"

    public func archive(focusName: String, focus: [UInt8], firstResidue: Int, metadata: [(String, ModelArchive.MetaValue)]) -> ModelArchive {
        let table = maskedMarginals(focus)
        let l = focus.count
        var h = [Float](repeating: 0, count: l * 21)
        for i in 0..<l {
            let row = table[(i * 20)..<((i + 1) * 20)]
            for a in 0..<20 { h[i * 21 + a] = row[row.startIndex + a] }
            h[i * 21 + 20] = row.min() ?? 0
        }
        let c = configuration
        let meta: [(String, ModelArchive.MetaValue)] = [
            ("lm_layers", .integer(c.layers)), ("lm_dimension", .integer(c.dimension)), ("lm_heads", .integer(c.heads)),
            ("lm_feed_forward", .integer(c.feedForward)), ("lm_max_positions", .integer(c.maxPositions)),
            ("lm_position_shared", .integer(c.positionSharedFirstLayer ? 1 : 0)), ("lm_rotary", .integer(c.positions == .rotary ? 1 : 0)),
            ("lm_blosum62", .integer(c.embeddingInitialisation == .blosum62 ? 1 : 0)), ("lm_dropout", .real(Double(c.dropout))),
        ] + metadata
        var a = ModelArchive(kind: .lm, alphabet: .protein, fields: Tensor(shape: [l, 21], scalars: h), couplings: nil,
                             focusName: focusName, focusSequence: ProteinTokens.decode(focus),
                             residueNumbers: (0..<l).map { firstResidue + $0 }, metadata: meta)
        a.extras = namedParameters.map { ("lm." + $0.0, NumPyArray($0.1.value)) }
        return a
    }

    /// The model stored in an 'lm' archive; every parameter is checked for presence and shape.
    public convenience init(archive: ModelArchive, path: String) throws {
        guard archive.modelType == Self.kind else { throw LanguageModelError(path: path, "model_type is '\(archive.modelType)', not 'lm'") }
        func int(_ key: String) throws -> Int {
            guard let v = archive.meta(key) else { throw LanguageModelError(path: path, "an lm model needs meta_\(key)") }
            return Int(v)
        }
        var c = LanguageModelConfiguration()
        c.layers = try int("lm_layers"); c.dimension = try int("lm_dimension"); c.heads = try int("lm_heads")
        c.feedForward = try int("lm_feed_forward"); c.maxPositions = try int("lm_max_positions")
        c.positionSharedFirstLayer = try int("lm_position_shared") != 0
        c.positions = (archive.meta("lm_rotary") ?? 0) != 0 ? .rotary : .learned      // absent in files written before rotary positions
        c.embeddingInitialisation = try int("lm_blosum62") != 0 ? .blosum62 : .random
        c.dropout = Float(archive.meta("lm_dropout") ?? 0.1)
        do { try c.validate() } catch let e as LanguageModelError { throw LanguageModelError(path: path, e.problem) }
        self.init(c, seed: 0)
        for (name, p) in namedParameters {
            guard let array = archive.extra("lm." + name) else { throw LanguageModelError(path: path, "missing parameter array 'lm.\(name)'") }
            let t: Tensor
            do { t = try array.tensor() } catch let e as NumPyError { throw LanguageModelError(path: path, "lm.\(name): \(e.problem)") }
            guard t.shape == p.shape else { throw LanguageModelError(path: path, "lm.\(name) has shape \(t.shape), expected \(p.shape)") }
            guard t.isFinite else { throw LanguageModelError(path: path, "lm.\(name) contains NaN or infinite values") }
            p.value = t
        }
    }
}
