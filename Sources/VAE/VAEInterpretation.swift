import Tensors
import Autodiff
import Saliency
import Archive

extension VAEModel: DifferentiableSequenceModel {
    /// log p(x_i = a | z = μ(x)) with the decoder's posterior-mean weights: the deterministic path
    /// through encoder and decoder whose Jacobian gives the VAE's saliency couplings.
    public func logProbabilities(_ x: Variable) -> Variable {
        var unused = RandomGenerator(seed: 0)
        var none: RandomGenerator? = nil
        let (mu, _) = encode(x, dropout: &unused)
        return decode(mu, weights: decoderWeights(noise: &none), dropout: &unused)
    }
}

extension VAEModel: SequenceEmbedder {
    public var embeddingDimension: Int { architecture.latent }
    /// Latent means μ(x): (N, Z).
    public func embed(_ rows: [[UInt8]]) -> Tensor {
        var out: [Float] = []
        var start = 0
        while start < rows.count {
            let chunk = Array(rows[start..<Swift.min(rows.count, start + 512)])
            out += latentMeans(oneHot(chunk)).scalars
            start += chunk.count
        }
        return Tensor(shape: [rows.count, architecture.latent], scalars: out)
    }
}

extension VAEArchive {
    /// Saliency couplings (L, L, q, q) of a VAE model file, averaged over its ensemble members and
    /// over `inputs` (rows of state codes; default the focus sequence): what `seqgen contacts`,
    /// `eval contacts` and `compare` score a VAE by.
    public static func saliencyCouplings(_ archive: ModelArchive, path: String, inputs: [[UInt8]]? = nil,
                                         progress: ((Int, Int) -> Void)? = nil) throws -> Tensor {
        let members = try models(archive, path: path)
        let rows = inputs ?? [archive.focusSequence.map { archive.alphabet.code(of: $0) ?? archive.alphabet.gap }]
        var sum: Tensor?
        for (k, m) in members.enumerated() {
            let j = SaliencyCouplings.couplings(m, inputs: rows, progress: progress.map { p in { done, total in p(k * total + done, members.count * total) } })
            sum = sum.map { $0 + j } ?? j
        }
        return members.count == 1 ? sum! : sum! / Float(members.count)
    }
}
