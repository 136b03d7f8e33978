import Tensors
import NumPyIO
import FileIO
import Sequences
import Archive
import Autodiff

/// VAE model files: a `ModelArchive` of kind "vae" (the same shape as every seqgen model: alphabet,
/// focus, numbering, `meta_*`) whose `h` holds the decoder's log-probabilities at the focus
/// sequence's latent mean (L, q) (a site-wise view, what `seqgen logo` draws), no `J`, and per
/// ensemble member k the architecture and every parameter:
///   vae_encoder, vae_decoder   int64 hidden widths (shared by all members)
///   meta_vae_latent, meta_vae_bayesian, meta_vae_temperature, meta_vae_dictionary,
///   meta_vae_sparsity_tiles (int), meta_vae_encoder_dropout, meta_vae_decoder_dropout (real),
///   meta_vae_members (K)
///   vae<k>.<parameter name>    float32 (names from `VAEModel.namedParameters`)
public enum VAEArchive {
    public static let kind = ModelKind.vae

    public static func archive(_ members: [VAEModel], msa: MultipleSequenceAlignment, metadata: [(String, ModelArchive.MetaValue)]) -> ModelArchive {
        let first = members[0]
        let a = first.architecture
        let focus = first.oneHot([msa.focusCodes])
        var unused = RandomGenerator(seed: 0)
        var none: RandomGenerator? = nil
        let h = noGrad { first.decode(first.encode(Variable(focus), dropout: &unused).mean, weights: first.decoderWeights(noise: &none), dropout: &unused).value }
        var archive = ModelArchive(kind: kind, msa: msa, fields: h.reshaped([msa.length, msa.alphabet.size]), couplings: nil,
                                   metadata: metadata + [
                                    ("vae_latent", .integer(a.latent)), ("vae_bayesian", .integer(a.bayesianDecoder ? 1 : 0)),
                                    ("vae_temperature", .integer(a.temperature ? 1 : 0)), ("vae_dictionary", .integer(a.dictionary)),
                                    ("vae_sparsity_tiles", .integer(a.sparsityTiles)),
                                    ("vae_encoder_dropout", .real(Double(a.encoderDropout))), ("vae_decoder_dropout", .real(Double(a.decoderDropout))),
                                    ("vae_members", .integer(members.count))])
        archive.extras += [("vae_encoder", NumPyArray(ints: a.encoder, shape: [a.encoder.count])),
                           ("vae_decoder", NumPyArray(ints: a.decoder, shape: [a.decoder.count]))]
        for (k, m) in members.enumerated() {
            for (name, p) in m.namedParameters { archive.extras.append(("vae\(k).\(name)", NumPyArray(p.value))) }
        }
        return archive
    }

    /// The ensemble members of a "vae" archive read from `path`.
    public static func models(_ archive: ModelArchive, path: String) throws -> [VAEModel] {
        guard archive.kind == kind else { throw FileIOError(path: path, "a '\(archive.modelType)' model, not a VAE") }
        func meta(_ key: String) throws -> Double {
            guard let v = archive.meta(key) else { throw FileIOError(path: path, "VAE model without meta_\(key)") }
            return v
        }
        func ints(_ key: String) throws -> [Int] {
            guard let a = archive.extra(key) else { throw FileIOError(path: path, "VAE model without \(key)") }
            do { return try a.ints() } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
        }
        let arch = VAEArchitecture(encoder: try ints("vae_encoder"), latent: Int(try meta("vae_latent")), decoder: try ints("vae_decoder"),
                                   bayesianDecoder: try meta("vae_bayesian") != 0, temperature: try meta("vae_temperature") != 0,
                                   dictionary: Int(try meta("vae_dictionary")), sparsityTiles: Int(try meta("vae_sparsity_tiles")),
                                   encoderDropout: Float(try meta("vae_encoder_dropout")), decoderDropout: Float(try meta("vae_decoder_dropout")))
        if let problem = arch.problem() { throw FileIOError(path: path, "VAE architecture: \(problem)") }
        let count = Int(try meta("vae_members"))
        guard count >= 1 else { throw FileIOError(path: path, "VAE model with \(count) members") }
        var rng = RandomGenerator(seed: 0)
        return try (0..<count).map { k in
            let m = VAEModel(architecture: arch, length: archive.length, states: archive.alphabet.size, using: &rng)
            for (name, p) in m.namedParameters {
                guard let a = archive.extra("vae\(k).\(name)") else { throw FileIOError(path: path, "VAE model without vae\(k).\(name)") }
                let t: Tensor
                do { t = try a.tensor() } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
                guard t.shape == p.shape else { throw FileIOError(path: path, "vae\(k).\(name) has shape \(t.shape), expected \(p.shape)") }
                guard t.isFinite else { throw FileIOError(path: path, "vae\(k).\(name) contains NaN or infinite values") }
                p.value = t
            }
            return m
        }
    }
}
