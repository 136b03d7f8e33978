import ArgumentParser
import VAE
import LanguageModel

/// The minibatch and early-stopping options the VAE and the language model share: one declaration
/// (two groups declaring the same names would hand every value to the first), each model's own
/// default where none is given.
struct StochasticTrainingOptions: ParsableArguments {
    static let vae = VAEFit(), lm = LanguageModelFit()

    @Option(parsing: .unconditional, help: "VAE, lm: sequences per minibatch (default: VAE \(Self.vae.batchSize), drawn in proportion to their weights; lm \(Self.lm.batchSize)).")
    var batchSize: Int?

    @Option(parsing: .unconditional, help: "VAE, lm: fraction of sequences held out for early stopping (default: VAE \(Self.vae.validationFraction), below 0.5, as whole clusters at the weights' identity; lm \(Self.lm.validationFraction), at most 500 sequences; 0 = train on all).")
    var validationFraction: Double?

    @Option(parsing: .unconditional, help: "VAE, lm: evaluate the held-out set every N steps (default: VAE \(Self.vae.evaluateEvery), its ELBO; lm \(Self.lm.evaluateEvery), its perplexity).")
    var evaluateEvery: Int?

    @Option(parsing: .unconditional, help: "VAE, lm: stop after this many held-out evaluations without improvement; the best one's parameters are kept (default \(Self.vae.patience)).")
    var patience: Int?

    /// The options given (`seqgen fit` refuses them for models other than the VAE and lm).
    var given: [String] {
        [("--batch-size", batchSize != nil), ("--validation-fraction", validationFraction != nil),
         ("--evaluate-every", evaluateEvery != nil), ("--patience", patience != nil)].filter(\.1).map(\.0)
    }

    func validate() throws {
        guard (batchSize ?? 1) >= 1, (evaluateEvery ?? 1) >= 1, (patience ?? 1) >= 1 else {
            throw ValidationError("--batch-size, --evaluate-every and --patience must be ≥ 1")
        }
        if let validationFraction, !(validationFraction >= 0 && validationFraction < 1) {
            throw ValidationError("--validation-fraction must be in [0, 1) (got \(validationFraction))")
        }
    }

    /// The VAE's settings with these options applied (`checkHeldOut(forVAE:)` has checked them).
    func apply(to f: inout VAEFit) {
        f.batchSize = batchSize ?? f.batchSize; f.validationFraction = validationFraction ?? f.validationFraction
        f.evaluateEvery = evaluateEvery ?? f.evaluateEvery; f.patience = patience ?? f.patience
    }

    /// The VAE holds out less than half of the sequences.
    func checkHeldOut(forVAE vae: Bool) throws {
        if vae, let validationFraction, validationFraction >= 0.5 {
            throw ValidationError("--validation-fraction must be below 0.5 for the VAE (got \(validationFraction))")
        }
    }

    func apply(to f: inout LanguageModelFit) {
        f.batchSize = batchSize ?? f.batchSize; f.validationFraction = validationFraction ?? f.validationFraction
        f.evaluateEvery = evaluateEvery ?? f.evaluateEvery; f.patience = patience ?? f.patience
    }
}
