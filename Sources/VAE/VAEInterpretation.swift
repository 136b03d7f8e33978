import Tensors
import Autodiff
import Saliency

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
