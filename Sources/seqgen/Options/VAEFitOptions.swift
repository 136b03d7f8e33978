import ArgumentParser
import VAE

/// `seqgen fit --model vae` options.
struct VAEFitOptions: ParsableArguments {
    /// The library's fitter, whose settings are the options' defaults.
    static let library = VAEFit()

    @Option(help: "VAE: architecture preset: standard (default; DeepSequence's layout with the encoder cut to 512-256 for 2 cores: latent 30, decoder 100-500 with group sparsity and output dictionary), eve (2000-1000-300, latent 50, 300-1000-2000) or deepsequence (1500-1500, latent 30, 100-500 with group sparsity and output dictionary). --encoder/--decoder/--latent override it.")
    var vaePreset = "standard"

    @Option(help: "VAE: encoder hidden widths, e.g. 1000-300.")
    var encoder: String?

    @Option(help: "VAE: decoder hidden widths, e.g. 300-1000.")
    var decoder: String?

    @Option(parsing: .unconditional, help: "VAE: latent dimension.")
    var latent: Int?

    @Option(parsing: .unconditional, help: "VAE: dropout on the decoder's hidden layers (default 0).")
    var decoderDropout: Float?

    @Option(help: "VAE: maximum Adam steps (early stopping usually ends sooner).")
    var vaeSteps = Self.library.steps

    @Option(help: "VAE: Adam learning rate (DeepSequence's).")
    var vaeLearningRate = Self.library.learningRate

    @Option(help: "VAE: KL annealing: the latent KL weight rises linearly from 0 to 1 over this many steps (0 = off, as DeepSequence and EVE).")
    var klWarmup = Self.library.klWarmup

    @Option(parsing: .unconditional, help: "VAE: train K models with seeds SEED … SEED+K−1 into one file; `seqgen score` averages their ΔELBO.")
    var ensemble = 1

    func architecture() throws -> VAEArchitecture {
        guard var a = VAEArchitecture.presets[vaePreset] else {
            throw ValidationError("--vae-preset must be one of \(VAEArchitecture.presets.keys.sorted().joined(separator: ", ")) (got \(vaePreset))")
        }
        if let encoder {
            guard let e = VAEArchitecture.layers(encoder) else { throw ValidationError("--encoder must be widths like 1000-300 (got \(encoder))") }
            a.encoder = e
        }
        if let decoder {
            guard let d = VAEArchitecture.layers(decoder) else { throw ValidationError("--decoder must be widths like 300-1000 (got \(decoder))") }
            a.decoder = d
        }
        if let latent { a.latent = latent }
        if let decoderDropout { a.decoderDropout = decoderDropout }
        if let problem = a.problem() { throw ValidationError("VAE: \(problem)") }
        return a
    }

    /// The options set away from their defaults (`seqgen fit` refuses them for other models).
    var given: [String] {
        [("--vae-preset", vaePreset != "standard"), ("--encoder", encoder != nil), ("--decoder", decoder != nil), ("--latent", latent != nil),
         ("--decoder-dropout", decoderDropout != nil), ("--vae-steps", vaeSteps != Self.library.steps),
         ("--vae-learning-rate", vaeLearningRate != Self.library.learningRate), ("--kl-warmup", klWarmup != Self.library.klWarmup),
         ("--ensemble", ensemble != 1)].filter(\.1).map(\.0)
    }

    func validate() throws {
        _ = try architecture()
        guard vaeSteps >= 1, klWarmup >= 0, ensemble >= 1 else {
            throw ValidationError("--vae-steps and --ensemble must be ≥ 1, --kl-warmup ≥ 0")
        }
        guard vaeLearningRate > 0, vaeLearningRate.isFinite else { throw ValidationError("--vae-learning-rate must be positive (got \(vaeLearningRate))") }
    }
}

extension VAEFitOptions {
    /// The fit these options describe (architecture already checked by `validate`), with the shared
    /// minibatch and early-stopping options.
    func fit(seed: UInt64, training: StochasticTrainingOptions) -> VAEFit {
        var f = VAEFit(architecture: (try? architecture()) ?? .standard, steps: vaeSteps, seed: seed)
        f.learningRate = vaeLearningRate; f.klWarmup = klWarmup
        training.apply(to: &f)
        return f
    }
}
