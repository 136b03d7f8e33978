import Tensors
import Archive
import Potts
import ArDCA
import Scoring
import LanguageModel

/// The registry: what each `ModelKind` does in `fit`, `score`, `contacts` and `compare`. Every
/// switch here is exhaustive, so a new case does not compile until each one says how the new kind
/// is fitted, scored and turned into couplings (see `ModelKind`'s doc comment).
extension ModelKind {
    /// How this kind is fitted with `settings`.
    public func fitting(_ settings: FitSettings) -> any ModelFitting {
        switch self {
        case .potts: PottsFitting(settings)
        case .pssm: PSSMFitting(settings)
        case .gaussian: GaussianFitting(settings)
        case .attention: AttentionFitting(settings)
        case .ardca: ArDCAFitting(settings)
        case .lm: LanguageModelFitting(settings)
        }
    }
}

extension ModelArchive {
    /// The model as a mutation-effect scorer: PSSM fields, the Potts form of Potts, Gaussian and
    /// attention models, ArDCA's exact log-likelihood ratio, a language model's `lmMethod`
    /// (masked marginal by default, ESM-1v). `path` is named in errors.
    public func scorer(path: String, lmMethod: LanguageModelScorer.Method = .maskedMarginal) throws -> any MutationEffectModel {
        switch kind {
        case .lm:
            let (model, focus) = try languageModel(path: path)
            return LanguageModelScorer(model: model, background: focus, method: lmMethod)
        case .ardca: return try ArDCAModel(archive: self, path: path)
        case .potts, .gaussian, .attention, .pssm:
            if let potts = pottsModel { return potts }
            return PSSM(alphabet: alphabet, fields: fields, pseudocount: meta("pseudocount") ?? 0)
        }
    }

    /// The symmetric (L, L, q, q) couplings contacts are scored from: the Potts form's J, or for an
    /// autoregressive model its epistatic couplings in the focus background (ArDCA's epistatic
    /// score); nil for a model without couplings (PSSM, and a language model, whose contacts are
    /// attention maps: `contactMap(path:lmHeads:)`).
    public func symmetricCouplings(path: String) throws -> Tensor? {
        switch kind {
        case .ardca:
            let model = try ArDCAModel(archive: self, path: path)
            return model.epistaticCouplings(background: focusSequence.map { alphabet.code(of: $0) ?? alphabet.gap })
        case .potts, .gaussian, .attention, .pssm:
            return couplings
        case .lm:
            return nil
        }
    }
}
