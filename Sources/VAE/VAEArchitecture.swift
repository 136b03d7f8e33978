/// The shape of a VAE over aligned sequences (L columns, q states, D = L·q one-hot inputs).
///
///   encoder  x (D) → hidden layers (ReLU) → μ(x), log σ²(x) ∈ ℝ^Z
///   decoder  z (Z) → hidden layers (ReLU; the last one sigmoid) → logits W_out·h + b (L·q)
///            → per-column softmax, optionally scaled by a learned temperature softplus(τ)
///
/// With `bayesianDecoder` every decoder parameter θ is a mean-field Gaussian q(θ) = N(μ_θ, σ_θ²)
/// (σ_θ = e^{ρ_θ}) under a N(0, 1) prior, sampled once per step, and its KL is added to the loss
/// divided by Neff (DeepSequence's and EVE's "global" KL). `dictionary` > 0 writes the output weights as
/// W_out[h, i, ·] = W̃[h, i, ·] · D (W̃: H × L × C, D: C × q, DeepSequence's convolved output
/// dictionary); `sparsityTiles` = t > 0 scales them per column by σ(S[h mod H/t, i]) with S of shape
/// (H / t) × L tiled t times over the hidden units (DeepSequence's group sparsity), S having a
/// N(μ_S, σ_S²) prior with μ_S = √2·σ_S·erfinv(2p − 1) ≈ −9.30 for p = 0.01, σ_S = 4.
public struct VAEArchitecture: Sendable, Equatable {
    public var encoder: [Int]
    public var latent: Int
    public var decoder: [Int]
    public var bayesianDecoder: Bool
    public var temperature: Bool
    public var dictionary: Int
    public var sparsityTiles: Int
    public var encoderDropout: Float
    public var decoderDropout: Float

    public init(encoder: [Int], latent: Int, decoder: [Int], bayesianDecoder: Bool = true, temperature: Bool = true,
                dictionary: Int = 0, sparsityTiles: Int = 0, encoderDropout: Float = 0, decoderDropout: Float = 0) {
        self.encoder = encoder; self.latent = latent; self.decoder = decoder
        self.bayesianDecoder = bayesianDecoder; self.temperature = temperature
        self.dictionary = dictionary; self.sparsityTiles = sparsityTiles
        self.encoderDropout = encoderDropout; self.decoderDropout = decoderDropout
    }

    /// EVE (Frazer et al. 2021, Nature; github.com/OATML-Markslab/EVE default_model_params.json):
    /// encoder 2000-1000-300, latent 50, Bayesian decoder 300-1000-2000, temperature, no sparsity,
    /// no dictionary; trained there with batch 256, learning rate 10⁻⁴ for 400,000 steps.
    public static let eve = VAEArchitecture(encoder: [2000, 1000, 300], latent: 50, decoder: [300, 1000, 2000],
                                            bayesianDecoder: true, temperature: true)

    /// DeepSequence (Riesselman et al. 2018, Nature Methods; github.com/debbiemarkslab/DeepSequence):
    /// encoder 1500-1500, latent 30, Bayesian decoder 100-500 with group sparsity (4 tiles) and a
    /// convolved output dictionary (40), temperature; trained there with batch 100, learning rate
    /// 10⁻³ for 300,000 steps.
    public static let deepSequence = VAEArchitecture(encoder: [1500, 1500], latent: 30, decoder: [100, 500],
                                                     bayesianDecoder: true, temperature: true, dictionary: 40, sparsityTiles: 4)

    /// seqgen's default, sized for a 2-core CPU: DeepSequence's layout with only the encoder cut,
    /// from 1500-1500 to 512-256 (the part whose cost grows with L·q × width) — the principle is the
    /// published architecture, scaled only where the budget forces it (README). On BLAT_ECOLX
    /// (L = 253, D = 5,313): 2.87 M encoder and 2 × 5.15 M decoder parameters (means and log σ; the
    /// dictionary's W̃ is 500 × 253 × 40), 13.2 M floats.
    public static let standard: VAEArchitecture = {
        var a = deepSequence
        a.encoder = [512, 256]
        return a
    }()

    public static let presets: [String: VAEArchitecture] = ["standard": standard, "eve": eve, "deepsequence": deepSequence]

    /// Checks the layout for L columns; nil when valid, else the problem.
    public func problem() -> String? {
        if latent < 1 { return "the latent dimension must be at least 1 (got \(latent))" }
        if decoder.isEmpty { return "the decoder needs at least one hidden layer" }
        if (encoder + decoder).contains(where: { $0 < 1 }) { return "every hidden layer needs at least 1 unit" }
        if sparsityTiles < 0 || dictionary < 0 { return "sparsity tiles and dictionary size must be ≥ 0" }
        if sparsityTiles > 0 && decoder.last! % sparsityTiles != 0 {
            return "the last decoder layer (\(decoder.last!)) must be a multiple of the sparsity tiles (\(sparsityTiles); the standard and deepsequence presets use group sparsity, --vae-preset eve does not)"
        }
        if !(0..<1).contains(encoderDropout) || !(0..<1).contains(decoderDropout) { return "dropout must be in [0, 1)" }
        return nil
    }

    /// "1000-300" ↔ [1000, 300].
    public static func layers(_ text: String) -> [Int]? {
        let parts = text.split(separator: "-").map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return parts.map { $0! }
    }
}
