/// The architecture of a `ProteinLanguageModel` and its priors.
///
/// Default size (2 layers, D = 64, 4 heads, MLP 4·D = 256, ≈ 0.10 M parameters) follows the
/// smallest published family-scale masked LMs and what two CPU cores train in minutes: ESM-2's
/// recipe (pre-LN, GELU, tied head, rotary positions, no dropout) shrunk to the ratios of its 8 M
/// model (heads of dimension 16, MLP 4·D). Learned absolute positions (ESM-1b) are an option; on
/// raw homologs, whose residues sit at different offsets from the start, they leave the model to
/// find each residue's place in the family from its neighbours, and held-out perplexity is worse.
public struct LanguageModelConfiguration: Sendable, Equatable {
    /// How the token embedding starts (prior c).
    public enum EmbeddingInitialisation: String, Sendable, CaseIterable {
        /// N(0, 0.02²) (BERT/ESM).
        case random
        /// The first min(D, 20) coordinates of the amino acids from the BLOSUM62 eigenbasis.
        case blosum62
    }

    /// How positions enter the model.
    public enum PositionEncoding: String, Sendable, CaseIterable { case learned, rotary }

    public var layers = 2
    public var dimension = 64
    public var heads = 4
    public var feedForward = 256
    /// Positions 0 ..< maxPositions (⟨bos⟩ is position 0).
    public var maxPositions = 512
    /// How attention knows positions: a learned absolute embedding added to the tokens (ESM-1b),
    /// or rotary embeddings of each head's queries and keys (ESM-2; `rotaryEmbedding`), which make
    /// scores depend on relative position only and leave no position parameters.
    public var positions = PositionEncoding.rotary
    /// ESM-2 trains without dropout.
    public var dropout: Float = 0
    public var embeddingInitialisation = EmbeddingInitialisation.random
    /// Prior (b): the first layer's heads attend by position only — queries and keys are
    /// projections of the position embedding, not of the residues — so each head's map is one
    /// L×L matrix shared by every sequence of the family: a coupling-like map, as in factored
    /// attention over an alignment (Bhattacharya et al. 2020), here on raw sequences.
    public var positionSharedFirstLayer = false

    public init() {}

    public var headDimension: Int { dimension / heads }

    public func validate() throws {
        func fail(_ s: String) -> LanguageModelError { LanguageModelError(path: "configuration", s) }
        guard layers >= 1 else { throw fail("layers must be ≥ 1") }
        guard dimension >= 2, heads >= 1, dimension % heads == 0 else { throw fail("dimension \(dimension) must be a positive multiple of heads \(heads)") }
        guard feedForward >= 1 else { throw fail("feed-forward width must be ≥ 1") }
        guard dropout >= 0 && dropout < 1 else { throw fail("dropout must be in [0, 1)") }
        guard maxPositions >= 3 else { throw fail("maxPositions must be ≥ 3") }
        if positions == .rotary {
            guard headDimension % 2 == 0 else { throw fail("rotary positions need an even head dimension (D/heads = \(headDimension))") }
            guard !positionSharedFirstLayer else { throw fail("position-shared attention attends by the learned position embedding; rotary positions have none") }
        }
    }
}
