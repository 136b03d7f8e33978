#if canImport(Glibc)
import Glibc
#endif
import Tensors
import Autodiff

/// Inference with a trained model: marginals, pseudo-log-likelihood, representations, attention.
/// All in evaluation mode (no dropout), batched over rows of `chunk` sequences.
extension ProteinLanguageModel {
    /// log p over the 20 amino acids (renormalised among them) at each row position, from logits.
    static func aminoAcidLogProbabilities(_ logits: Tensor, row: Int) -> [Float] {
        let v = ProteinTokens.count
        let x = Array(logits.scalars[(row * v)..<(row * v + 20)])
        let m = x.max()!
        let lse = m + logf(x.reduce(0) { $0 + expf($1 - m) })
        return x.map { $0 - lse }
    }

    /// Masked marginals of a sequence of L residues: L×20 (row-major) log p(a | x with position i
    /// replaced by ⟨mask⟩), one masked copy of the sequence per position (ESM-1v's masked marginal).
    public func maskedMarginals(_ sequence: [UInt8], chunk: Int = 32) -> [Float] {
        let l = sequence.count
        var out = [Float](repeating: 0, count: l * 20)
        noGrad {
            for start in stride(from: 0, to: l, by: chunk) {
                let positions = Array(start..<Swift.min(start + chunk, l))
                var (tokens, lengths) = Self.batch([[UInt8]](repeating: sequence, count: positions.count))
                for (r, i) in positions.enumerated() { tokens[r][i + 1] = ProteinTokens.mask }
                let logits = self(tokens: tokens, lengths: lengths, training: false).logits.value
                let t = l + 2
                for (r, i) in positions.enumerated() {
                    let lp = Self.aminoAcidLogProbabilities(logits, row: r * t + i + 1)
                    for a in 0..<20 { out[i * 20 + a] = lp[a] }
                }
            }
        }
        return out
    }

    /// Wild-type marginals: L×20 log p(a | x unmasked) from one pass over the sequence.
    public func wildTypeMarginals(_ sequence: [UInt8]) -> [Float] {
        noGrad {
            let (tokens, lengths) = Self.batch([sequence])
            let logits = self(tokens: tokens, lengths: lengths, training: false).logits.value
            return (0..<sequence.count).flatMap { Self.aminoAcidLogProbabilities(logits, row: $0 + 1) }
        }
    }

    /// Pseudo-log-likelihood Σ_i log p(x_i | x with i masked) (Salazar et al. 2020); L passes.
    /// X residues (token 20) add nothing.
    public func pseudoLogLikelihood(_ sequence: [UInt8]) -> Double {
        let table = maskedMarginals(sequence)
        return sequence.enumerated().reduce(0.0) { acc, e in e.element < 20 ? acc + Double(table[e.offset * 20 + Int(e.element)]) : acc }
    }

    /// Final-layer representations (after the final layer norm), L×D per sequence, ⟨bos⟩/⟨eos⟩ removed.
    public func representations(_ sequences: [[UInt8]], chunk: Int = 32) -> [Tensor] {
        let d = configuration.dimension
        var out: [Tensor] = []
        noGrad {
            for start in stride(from: 0, to: sequences.count, by: chunk) {
                let part = Array(sequences[start..<Swift.min(start + chunk, sequences.count)])
                let (tokens, lengths) = Self.batch(part)
                let r = self(tokens: tokens, lengths: lengths, training: false).representations.value
                let t = tokens[0].count
                for (k, s) in part.enumerated() {
                    let base = (k * t + 1) * d
                    out.append(Tensor(shape: [s.count, d], scalars: Array(r.scalars[base..<(base + s.count * d)])))
                }
            }
        }
        return out
    }

    /// Attention maps of one sequence: per layer, (H, L, L) over its residues (⟨bos⟩/⟨eos⟩ rows
    /// and columns removed), rows = queries.
    public func attentionMaps(_ sequence: [UInt8]) -> [Tensor] {
        noGrad {
            let (tokens, lengths) = Self.batch([sequence])
            let maps = self(tokens: tokens, lengths: lengths, training: false).attention
            let l = sequence.count, t = l + 2, h = configuration.heads
            return maps.map { m in
                var out = [Float](repeating: 0, count: h * l * l)
                for k in 0..<h { for i in 0..<l { for j in 0..<l {
                    out[(k * l + i) * l + j] = m.scalars[(k * t + i + 1) * t + j + 1]
                } } }
                return Tensor(shape: [h, l, l], scalars: out)
            }
        }
    }
}
