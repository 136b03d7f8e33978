import Tensors
import Archive
import Potts
import ArDCA
import Scoring
import VAE
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
        case .vae: VAEFitting(settings)
        case .lm: LanguageModelFitting(settings)
        }
    }
}

extension ModelArchive {
    /// The model as a mutation-effect scorer: PSSM fields, the Potts form of Potts, Gaussian and
    /// attention models, ArDCA's exact log-likelihood ratio, a VAE's ΔELBO over `samples` draws
    /// from `seed` (averaged with the VAE members of `ensemble`'s files), a language model's
    /// `lmMethod` (masked marginal by default, ESM-1v). `path` is named in errors; `progress`
    /// reports a VAE's draws (done, total) as they finish.
    public func scorer(path: String, samples: Int = 100, seed: UInt64 = 0, ensemble: [String] = [],
                       lmMethod: LanguageModelScorer.Method = .maskedMarginal,
                       progress: ((Int, Int) -> Void)? = nil) throws -> any MutationEffectModel {
        if !ensemble.isEmpty && kind != .vae { throw PipelineError(path: path, "a \(modelType) model; --ensemble-with averages VAE models") }
        switch kind {
        case .lm:
            let (model, focus) = try languageModel(path: path)
            return LanguageModelScorer(model: model, background: focus, method: lmMethod)
        case .vae:
            var members = try VAEArchive.models(self, path: path)
            for other in ensemble {
                let a = try ModelArchive.read(other, need: "--ensemble-with needs VAE models")
                guard a.kind == .vae else { throw PipelineError(path: other, "a '\(a.modelType)' model; --ensemble-with needs VAE models") }
                guard a.length == length, a.focusSequence == focusSequence else {
                    throw PipelineError(path: other, "covers other columns than \(path) (L = \(a.length) vs \(length), or another focus sequence)")
                }
                members += try VAEArchive.models(a, path: other)
            }
            var scorer = VAEScorer(members: members, samples: samples, seed: seed)
            scorer.progress = progress
            return scorer
        case .ardca: return try ArDCAModel(archive: self, path: path)
        case .potts, .gaussian, .attention, .pssm:
            // Fitted with gaps as missing data (the Potts default, the evmutation PSSM): no gap parameters.
            let model: any MutationEffectModel = pottsModel ?? PSSM(alphabet: alphabet, fields: fields, pseudocount: meta("pseudocount") ?? 0)
            return meta("gaps_as_missing") == 1 ? ResiduesOnly(model) : model
        }
    }

    /// The symmetric (L, L, q, q) couplings contacts are scored from: the Potts form's J, for an
    /// autoregressive model its epistatic couplings in the focus background (ArDCA's epistatic
    /// score), for a VAE its saliency couplings averaged over `saliencyInputs` (rows of state codes;
    /// nil = the focus sequence; `SaliencyCouplings`; `progress` reports the Jacobian sweeps); nil for a
    /// model without couplings (PSSM, and a language model, whose contacts are attention maps:
    /// `contactMap(path:lmHeads:)`).
    public func symmetricCouplings(path: String, saliencyInputs: [[UInt8]]? = nil,
                                   progress: ((Int, Int) -> Void)? = nil) throws -> Tensor? {
        if saliencyInputs != nil && kind != .vae {
            throw PipelineError(path: path, "saliency inputs apply to VAE models; a \(modelType) model's couplings are its parameters")
        }
        switch kind {
        case .vae:
            return try VAEArchive.saliencyCouplings(self, path: path, inputs: saliencyInputs, progress: progress)
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
