import Tensors
import Autodiff

/// A model that maps one-hot aligned sequences to per-column log-probabilities through the autodiff
/// core, so that its input–output Jacobian is available:
///   x: (B, L·q) one-hot rows (x[(i, a)] = 1 when column i holds state a)
///   logProbabilities(x): (B, L·q), entry (i, a) = log p(x_i = a | x)
/// A VAE gives log p(x_i = a | z = μ(x)); a Potts model its conditionals log p(x_i = a | x_¬i);
/// a language model its (masked or causal) token log-probabilities.
public protocol DifferentiableSequenceModel {
    var length: Int { get }
    var states: Int { get }
    func logProbabilities(_ x: Variable) -> Variable
    /// Trainable parameters, fixed while the Jacobian sweeps run (`withFixedParameters`).
    var parameters: [Variable] { get }
}

extension DifferentiableSequenceModel {
    /// One-hot rows (B, L·q) of state codes.
    public func oneHotRows(_ rows: [[UInt8]]) -> Tensor {
        let (l, q) = (length, states)
        var t = [Float](repeating: 0, count: rows.count * l * q)
        for (r, row) in rows.enumerated() {
            precondition(row.count == l, "a row of \(row.count) columns for a model of \(l)")
            for (i, c) in row.enumerated() { t[(r * l + i) * q + Int(c)] = 1 }
        }
        return Tensor(shape: [rows.count, l * q], scalars: t)
    }
}

/// A model that places sequences in a vector space (a VAE's latent means, a language model's mean
/// token embedding): `seqgen embed` and latent scatter plots work for any conformer.
public protocol SequenceEmbedder {
    var length: Int { get }
    /// Dimension of one embedding.
    var embeddingDimension: Int { get }
    /// Embeddings of aligned sequences (state codes over the model's L columns): (N, dimension).
    func embed(_ rows: [[UInt8]]) -> Tensor
}
