import Tensors
import Autodiff

/// Pairwise saliency couplings of any differentiable sequence model:
///   S[i,a,j,b] = ⟨ ∂ log p(x_i = a | x) / ∂x_{j,b} ⟩_x
/// averaged over input sequences x, then per pair (i, j) put in the zero-sum gauge (double-centred
/// over a and b: the derivative of a log-softmax over a carries a term constant in a, and a one-hot
/// input fixes only differences in b), symmetrised J_ij(a,b) = ½(S[i,a,j,b] + S[j,b,i,a]) and the
/// diagonal blocks set to 0. Returned in the coupling layout of every seqgen model: (L, L, q, q),
/// J[i,j,a,b] == J[j,i,b,a], so Frobenius norms + APC turn it into a contact map.
///
/// For a Potts model read through its conditionals, S[i,a,j,b] = J_ij(a,b) − Σ_c p(c|x) J_ij(c,b),
/// so the result is exactly its couplings in the zero-sum gauge (tested).
///
/// Cost: per input, L·q backward sweeps done as batches of `chunk` copies of x (one forward and one
/// backward pass of `chunk` rows each): (L·q / chunk) batched passes; memory (L·q)² floats.
public enum SaliencyCouplings {
    /// The raw Jacobian average ⟨∂ log p(x_i = a)/∂x_{j,b}⟩ as a (L·q, L·q) matrix, rows (i, a).
    public static func jacobian(_ model: any DifferentiableSequenceModel, inputs: [[UInt8]], chunk: Int = 256,
                                progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        let d = model.length * model.states
        var jac = [Float](repeating: 0, count: d * d)
        let scale = 1 / Float(Swift.max(inputs.count, 1))
        let total = inputs.count * ((d + chunk - 1) / chunk)
        var done = 0
        withFixedParameters(model.parameters) {                                 // ∂/∂x alone
            for row in inputs {
                let x = model.oneHotRows([row]).scalars
                var start = 0
                while start < d {
                    let c = Swift.min(chunk, d - start)
                    var copies = [Float](repeating: 0, count: c * d)
                    for r in 0..<c { copies.replaceSubrange((r * d)..<((r + 1) * d), with: x) }
                    let input = Variable(Tensor(shape: [c, d], scalars: copies), requiresGrad: true)
                    let y = model.logProbabilities(input)
                    var seed = [Float](repeating: 0, count: c * d)
                    for r in 0..<c { seed[r * d + start + r] = 1 }
                    y.backward(Tensor(shape: [c, d], scalars: seed))
                    let g = input.grad!.scalars
                    g.withUnsafeBufferPointer { gp in
                        jac.withUnsafeMutableBufferPointer { jp in
                            for r in 0..<c {
                                let dst = (start + r) * d
                                for k in 0..<d { jp[dst + k] += scale * gp[r * d + k] }
                            }
                        }
                    }
                    start += c
                    done += 1
                    progress?(done, total)
                }
            }
        }
        return Tensor(shape: [d, d], scalars: jac)
    }

    /// Zero-sum-gauged, symmetrised couplings (L, L, q, q) from a (L·q, L·q) Jacobian.
    public static func couplings(jacobian: Tensor, length l: Int, states q: Int) -> Tensor {
        let d = l * q
        precondition(jacobian.shape == [d, d], "jacobian \(jacobian.shape) for L = \(l), q = \(q)")
        var out = Couplings(length: l, states: q)
        let s = jacobian.scalars
        for i in 0..<l { for j in (i + 1)..<l {
            // J_ij(a, b) = ½(S[i,a,j,b] + S[j,b,i,a]), double centred; the (j, i) block is its transpose.
            let base = Couplings.blockOffset(i, j, length: l, states: q)
            for a in 0..<q { for b in 0..<q {
                out.scalars[base + a * q + b] = 0.5 * (s[(i * q + a) * d + j * q + b] + s[(j * q + b) * d + i * q + a])
            } }
            let centred = out.centredBlock(i, j, states: 0..<q)
            for k in 0..<(q * q) { out.scalars[base + k] = centred[k] }
            out.mirror(i, j)
        } }
        return out.tensor
    }

    /// Saliency couplings (L, L, q, q) of `model` averaged over `inputs` (rows of state codes).
    public static func couplings(_ model: any DifferentiableSequenceModel, inputs: [[UInt8]], chunk: Int = 256,
                                 progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        couplings(jacobian: jacobian(model, inputs: inputs, chunk: chunk, progress: progress), length: model.length, states: model.states)
    }
}
