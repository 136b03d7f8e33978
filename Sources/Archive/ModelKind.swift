/// The kinds of sequence model `seqgen fit` writes and every other command reads: the `model_type`
/// string of a `ModelArchive` and the values of `seqgen fit --model`. One enum for both, so a file's
/// kind and the command line can never disagree.
///
/// The case order is the order `seqgen fit --help` lists them in.
///
/// ## Adding a kind (e.g. `vae`, `lm`)
/// 1. Add a case here; its raw value is the `model_type` string and the `--model` value.
/// 2. In the model's own module (`Sources/VAE/`): the model type with its math in the doc comment,
///    its fit (`VAEFit`), and its archive form: `func archive(...) -> ModelArchive` built with
///    `ModelArchive(kind: .vae, msa:, fields:, couplings:, metadata:)` (common arrays first, the
///    model's own arrays in `extras` under documented names) and `init(archive:path:)` to read it.
/// 3. Conform the model to what it can do: `MutationEffectModel` (Scoring) for `seqgen score`, a
///    symmetric L×L×q×q coupling tensor for `seqgen contacts` / `compare`.
/// 4. In `Sources/Pipelines/`: a `ModelFitting` conformance in a file of its own (`VAEFitting.swift`:
///    memory estimate, checkpoint fingerprint, fit → archive), then the new case in the registry
///    switches in `ModelKind+Pipelines.swift` (`fitting(_:)`, `scorer(for:)`,
///    `symmetricCouplings(of:)`): they are exhaustive, so the compiler lists each one to fill in.
/// Nothing in the CLI changes: `--model` lists `allCases`, and `fit`, `score`, `contacts` and
/// `compare` call the registry.
public enum ModelKind: String, CaseIterable, Sendable, Hashable {
    /// Pairwise Potts model fitted by pseudolikelihood (`PottsFit`).
    case potts
    /// Site-independent model (position-specific scoring matrix, `PSSM`).
    case pssm
    /// Multivariate Gaussian over one-hot features (`MultivariateGaussian`); stored in Potts form.
    case gaussian
    /// Single layer of factored attention (`AttentionFit`); stored in Potts form.
    case attention
    /// Autoregressive DCA (`ArDCAModel`): its J is not symmetric and not a Potts coupling tensor.
    case ardca
    /// Variational autoencoder (`VAEModel`, DeepSequence/EVE class): no `J`; its network in `vae<k>.*`
    /// arrays (see `VAEArchive`), its couplings are saliency couplings computed on demand.
    case vae
    /// Transformer masked language model over raw, unaligned sequences (`ProteinLanguageModel`,
    /// module LanguageModel): fitted from sequences, not an alignment; no coupling tensor (its
    /// contacts are attention maps).
    case lm

    /// Whether `ModelArchive.couplings` is a symmetric Potts coupling tensor, J[i,j,a,b] == J[j,i,b,a].
    public var storesPottsForm: Bool {
        switch self {
        case .potts, .gaussian, .attention: true
        case .pssm, .ardca, .vae, .lm: false
        }
    }
}
