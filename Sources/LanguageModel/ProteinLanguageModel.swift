import Tensors
import Autodiff
import Layers

/// A small transformer encoder over protein sequences, trained as a masked language model
/// (BERT/ESM recipe, at family scale).
///
/// Input ⟨bos⟩ x₁ … x_L ⟨eos⟩ ⟨pad⟩…, T tokens per row of a batch; with E: V×D token embedding,
/// P: maxPositions×D learned position embedding,
///   h⁰_t = E[x_t] + P[t]          (rotary positions: h⁰_t = E[x_t], and Q, K rotated per head)
///   for each block ℓ (pre-LN):  h ← h + Dropout(MHSA(LN₁(h))),  h ← h + Dropout(W₂ GELU(W₁ LN₂(h) + b₁) + b₂)
///   logits_t = LN_f(h_t) Eᵀ + c               (output head tied to the embedding)
/// MHSA: per head, A = softmax_keys(Q Kᵀ/√d) over the row's unpadded keys only (`maskedSoftmax`),
/// so padding never changes a real token's representation. The loss is the cross-entropy of the
/// masked positions (see `MaskedLanguageModelling`).
public final class ProteinLanguageModel: Layer {
    public let configuration: LanguageModelConfiguration
    public let tokenEmbedding: Variable            // (V, D)
    public let positionEmbedding: Variable?        // (maxPositions, D); nil with rotary positions
    public let blocks: [TransformerBlock]
    public let finalGamma: Variable, finalBeta: Variable
    public let outputBias: Variable                // (V)
    /// Dropout masks are drawn from this generator (saved with checkpoints).
    public var dropoutGenerator: RandomGenerator

    public init(_ configuration: LanguageModelConfiguration, seed: UInt64) {
        self.configuration = configuration
        var rng = RandomGenerator(seed: seed)
        let d = configuration.dimension
        var embedding = Tensor.normal([ProteinTokens.count, d], std: 0.02, using: &rng)
        if configuration.embeddingInitialisation == .blosum62 {
            let coordinates = SubstitutionEmbedding.coordinates(dimension: d, scale: 0.02)
            for a in 0..<20 { for (c, v) in coordinates[a].enumerated() { embedding.scalars[a * d + c] = v } }
        }
        tokenEmbedding = Variable(embedding, requiresGrad: true)
        positionEmbedding = configuration.positions == .learned
            ? Variable(.normal([configuration.maxPositions, d], std: 0.02, using: &rng), requiresGrad: true) : nil
        blocks = (0..<configuration.layers).map { l in
            TransformerBlock(configuration, positionShared: l == 0 && configuration.positionSharedFirstLayer, using: &rng)
        }
        finalGamma = Variable(Tensor(repeating: 1, shape: [d]), requiresGrad: true)
        finalBeta = Variable(Tensor(zeros: [d]), requiresGrad: true)
        outputBias = Variable(Tensor(zeros: [ProteinTokens.count]), requiresGrad: true)
        dropoutGenerator = RandomGenerator(seed: seed &+ 0x5EED)
    }

    public var namedParameters: [(String, Variable)] {
        [("token_embedding", tokenEmbedding)] + (positionEmbedding.map { [("position_embedding", $0)] } ?? [])
            + blocks.enumerated().flatMap { (l, b) in b.namedParameters.map { ("block\(l).\($0.0)", $0.1) } }
            + [("final_norm.gamma", finalGamma), ("final_norm.beta", finalBeta), ("output_bias", outputBias)]
    }

    /// What one forward pass returns.
    public struct Output {
        /// (B·T, V) logits.
        public var logits: Variable
        /// (B, T, D) final representations (after the final layer norm).
        public var representations: Variable
        /// Per layer, (B, H, T, T) attention probabilities (rows: queries, columns: keys).
        public var attention: [Tensor]
    }

    /// Runs the encoder on `tokens` (B rows of T tokens, padded with ⟨pad⟩); `lengths[b]` is the
    /// number of non-pad tokens of row b (⟨bos⟩ and ⟨eos⟩ included).
    public func callAsFunction(tokens: [[Int]], lengths: [Int], training: Bool) -> Output {
        let b = tokens.count, t = tokens.first?.count ?? 0, d = configuration.dimension
        precondition(t <= configuration.maxPositions, "sequence of \(t) tokens exceeds the model's \(configuration.maxPositions) positions")
        let flat = tokens.flatMap { $0 }
        let positions = (0..<b).flatMap { _ in Array(0..<t) }
        let pos = positionEmbedding?.gathering(positions, alongAxis: 0).reshaped([b, t, d])
        var h = tokenEmbedding.gathering(flat, alongAxis: 0).reshaped([b, t, d])
        if let pos { h = h + pos }
        h = dropout(h, training: training)
        var maps: [Tensor] = []
        for block in blocks {
            let (next, attention) = block(h, positions: pos, lengths: lengths, training: training, dropout: dropout)
            h = next; maps.append(attention)
        }
        let representations = layerNorm(h, gamma: finalGamma, beta: finalBeta)
        let logits = matmul(representations.reshaped([b * t, d]), tokenEmbedding, transposeB: true) + outputBias
        return Output(logits: logits, representations: representations, attention: maps)
    }

    /// Inverted dropout with the model's generator (identity outside training).
    func dropout(_ x: Variable, training: Bool) -> Variable {
        training ? invertedDropout(x, probability: configuration.dropout, using: &dropoutGenerator) : x
    }

    /// Pads sequences of residue tokens into ⟨bos⟩ x ⟨eos⟩ ⟨pad⟩… rows of equal length.
    public static func batch(_ sequences: [[UInt8]]) -> (tokens: [[Int]], lengths: [Int]) {
        let t = (sequences.map(\.count).max() ?? 0) + 2
        let rows = sequences.map { s -> [Int] in
            [ProteinTokens.bos] + s.map(Int.init) + [ProteinTokens.eos] + [Int](repeating: ProteinTokens.pad, count: t - s.count - 2)
        }
        return (rows, sequences.map { $0.count + 2 })
    }
}

/// One pre-LN encoder block: h + MHSA(LN₁ h), then + MLP(LN₂ ·) with a GELU.
public final class TransformerBlock: Layer {
    public let attention: SelfAttention
    public let norm1Gamma: Variable, norm1Beta: Variable, norm2Gamma: Variable, norm2Beta: Variable
    public let hidden: Linear, output: Linear

    init(_ c: LanguageModelConfiguration, positionShared: Bool, using rng: inout RandomGenerator) {
        let d = c.dimension
        attention = SelfAttention(dimension: d, heads: c.heads, positionShared: positionShared, rotary: c.positions == .rotary, using: &rng)
        norm1Gamma = Variable(Tensor(repeating: 1, shape: [d]), requiresGrad: true); norm1Beta = Variable(Tensor(zeros: [d]), requiresGrad: true)
        norm2Gamma = Variable(Tensor(repeating: 1, shape: [d]), requiresGrad: true); norm2Beta = Variable(Tensor(zeros: [d]), requiresGrad: true)
        hidden = Linear(inputs: d, outputs: c.feedForward, using: &rng)
        output = Linear(inputs: c.feedForward, outputs: d, using: &rng)
    }

    public var namedParameters: [(String, Variable)] {
        attention.namedParameters.map { ("attention.\($0.0)", $0.1) }
            + [("norm1.gamma", norm1Gamma), ("norm1.beta", norm1Beta), ("norm2.gamma", norm2Gamma), ("norm2.beta", norm2Beta)]
            + hidden.namedParameters.map { ("mlp.hidden.\($0.0)", $0.1) } + output.namedParameters.map { ("mlp.output.\($0.0)", $0.1) }
    }

    func callAsFunction(_ h: Variable, positions: Variable?, lengths: [Int], training: Bool,
                        dropout: (Variable, Bool) -> Variable) -> (Variable, Tensor) {
        let (a, maps) = attention(layerNorm(h, gamma: norm1Gamma, beta: norm1Beta), positions: positions, lengths: lengths)
        let h1 = h + dropout(a, training)
        let m = output(hidden(layerNorm(h1, gamma: norm2Gamma, beta: norm2Beta)).gelu())
        return (h1 + dropout(m, training), maps)
    }
}

/// Multi-head self-attention with a key-padding mask:
///   [Q K V] = x W_qkvᵀ + b, split into H heads of d = D/H;  A_h = maskedSoftmax(Q_h K_hᵀ, scale 1/√d);
///   y = concat_h(A_h V_h) W_oᵀ + b_o.
/// Position-shared (prior b): Q and K are projections of the position embedding instead of x.
/// Rotary: Q_h and K_h are rotated by position (`rotaryEmbedding`) before their product.
/// GEMMs go through BLAS (`matmul`, `batchedMatmul`); the mask and softmax are one fused kernel.
public final class SelfAttention: Layer {
    public let heads: Int
    public let positionShared: Bool
    public let rotary: Bool
    /// (3D, D) for [Q K V] from x, or (2D, D) for [Q K] from positions when position-shared.
    public let queryKey: Linear
    /// (D, D) value projection when position-shared (else part of `queryKey`).
    public let value: Linear?
    public let output: Linear

    init(dimension d: Int, heads: Int, positionShared: Bool, rotary: Bool, using rng: inout RandomGenerator) {
        self.heads = heads; self.positionShared = positionShared; self.rotary = rotary
        queryKey = Linear(inputs: d, outputs: positionShared ? 2 * d : 3 * d, using: &rng)
        value = positionShared ? Linear(inputs: d, outputs: d, using: &rng) : nil
        output = Linear(inputs: d, outputs: d, using: &rng)
    }

    public var namedParameters: [(String, Variable)] {
        queryKey.namedParameters.map { ((positionShared ? "qk." : "qkv.") + $0.0, $0.1) }
            + (value?.namedParameters.map { ("v." + $0.0, $0.1) } ?? [])
            + output.namedParameters.map { ("output." + $0.0, $0.1) }
    }

    /// x: (B, T, D) → (B, T, D) and the maps (B, H, T, T).
    func callAsFunction(_ x: Variable, positions: Variable?, lengths: [Int]) -> (Variable, Tensor) {
        let (b, t, dim) = (x.shape[0], x.shape[1], x.shape[2])
        let d = dim / heads
        func splitHeads(_ v: Variable, parts: Int) -> [Variable] {     // (B,T,parts·D) → parts × (B·H, T, d)
            let split = v.reshaped([b, t, parts, heads, d]).permuted([2, 0, 3, 1, 4])
            return (0..<parts).map { split.slice(alongAxis: 0, $0..<($0 + 1)).reshaped([b * heads, t, d]) }
        }
        var q: Variable, k: Variable, v: Variable
        if let value, let positions {
            let qk = splitHeads(queryKey(positions), parts: 2)
            (q, k) = (qk[0], qk[1]); v = splitHeads(value(x), parts: 1)[0]
        } else {
            let qkv = splitHeads(queryKey(x), parts: 3)
            (q, k, v) = (qkv[0], qkv[1], qkv[2])
        }
        if rotary { q = rotaryEmbedding(q); k = rotaryEmbedding(k) }
        let validKeys = lengths.flatMap { [Int](repeating: $0, count: heads) }
        let attention = maskedSoftmax(batchedMatmul(q, k, transposeB: true), validKeys: validKeys, scale: 1 / Float(d).squareRoot())
        let context = batchedMatmul(attention, v).reshaped([b, heads, t, d]).permuted([0, 2, 1, 3]).reshaped([b, t, dim])
        return (output(context), attention.value.reshaped([b, heads, t, t]))
    }
}
