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

    @Option(help: "VAE: latent dimension.")
    var latent: Int?

    @Option(help: "VAE: dropout on the decoder's hidden layers (default 0).")
    var decoderDropout: Float?

    @Option(help: "VAE: maximum Adam steps (early stopping usually ends sooner).")
    var vaeSteps = Self.library.steps

    @Option(help: "VAE: Adam learning rate (DeepSequence's).")
    var vaeLearningRate = Self.library.learningRate

    @Option(help: "VAE: minibatch size (sequences drawn in proportion to their weights).")
    var batchSize = Self.library.batchSize

    @Option(help: "VAE: KL annealing: the latent KL weight rises linearly from 0 to 1 over this many steps (0 = off, as DeepSequence and EVE).")
    var klWarmup = Self.library.klWarmup

    @Option(help: "VAE: fraction of sequences held out for early stopping (0 = train on all for --vae-steps).")
    var validationFraction = Self.library.validationFraction

    @Option(help: "VAE: estimate the held-out ELBO every N steps.")
    var evaluateEvery = Self.library.evaluateEvery

    @Option(help: "VAE: stop after this many held-out evaluations without improvement (the best one's parameters are kept).")
    var patience = Self.library.patience

    @Option(help: "VAE: train K models with seeds SEED … SEED+K−1 into one file; `seqgen score` averages their ΔELBO.")
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

    func validate() throws {
        _ = try architecture()
        guard vaeSteps >= 1, batchSize >= 1, klWarmup >= 0, evaluateEvery >= 1, patience >= 1, ensemble >= 1 else {
            throw ValidationError("--vae-steps, --batch-size, --evaluate-every, --patience and --ensemble must be ≥ 1, --kl-warmup ≥ 0")
        }
        guard vaeLearningRate > 0, vaeLearningRate.isFinite else { throw ValidationError("--vae-learning-rate must be positive (got \(vaeLearningRate))") }
        guard validationFraction >= 0 && validationFraction < 0.5 else { throw ValidationError("--validation-fraction must be in [0, 0.5) (got \(validationFraction))") }
    }
}

extension VAEFitOptions {
    /// The fit these options describe (architecture already checked by `validate`).
    func fit(seed: UInt64) -> VAEFit {
        var f = VAEFit(architecture: (try? architecture()) ?? .standard, steps: vaeSteps, seed: seed)
        f.learningRate = vaeLearningRate; f.batchSize = batchSize; f.klWarmup = klWarmup
        f.validationFraction = validationFraction; f.evaluateEvery = evaluateEvery; f.patience = patience
        return f
    }
}
