import Potts
import ArDCA
import FileIO
import VAE
import LanguageModel

/// The sampler of a model file, by its kind: a PSSM and an autoregressive model sample exactly;
/// every model with a Potts form (potts, gaussian, attention) by Gibbs MCMC; a VAE exactly through
/// its generative process (`VAESampler`); a language model by masked Gibbs (`LanguageModelSampler`).
public func sampler(for archive: ModelArchive, path: String) throws -> any Sampler {
    if archive.modelType == ArDCAModel.kind { return try ArDCAModel(archive: archive, path: path) }
    if let potts = archive.pottsModel { return potts }
    if archive.kind == .vae { return VAESampler(members: try VAEArchive.models(archive, path: path), alphabet: archive.alphabet) }
    if archive.kind == .lm {
        let model = try ProteinLanguageModel(archive: archive, path: path)
        guard let query = ProteinTokens.encode(archive.focusSequence), query.count + 2 <= model.configuration.maxPositions else {
            throw FileIOError(path: path, "the language model's query is not a residue sequence within the model's positions")
        }
        return LanguageModelSampler(model: model, query: query, alphabet: archive.alphabet)
    }
    if archive.modelType == "pssm" { return PSSM(alphabet: archive.alphabet, fields: archive.fields, pseudocount: archive.meta("pseudocount") ?? 0) }
    throw FileIOError(path: path, "a \(archive.modelType) model cannot be sampled")
}
