import Tensors
import Autodiff

// At inference a BatchNorm is the affine map y = a_c·x + (β_c − μ_c·a_c), a_c = γ_c/√(σ²_c + ε),
// so it folds into the convolution or dense layer in front of it:
//   w′[c, …] = a_c·w[c, …],   b′_c = a_c·b_c + β_c − μ_c·a_c,
// and dropout is the identity. Every activation here is non-decreasing, so it commutes with max
// pooling: act → pool becomes pool → act, which applies the activation to P× fewer values.

extension Sequential {
    /// The same function in inference mode, with dropout removed, every BatchNorm that directly
    /// follows a Conv1D or Linear folded into its weights, and (`movingActivations`) activations
    /// moved after max pools.
    /// Its layers with parameters are new and fixed (`FixableLayer.fixed()`: weights that need no
    /// gradient, so a backward pass computes ∂/∂input alone, as attribution maps and sequence
    /// design need, and threads may share the network; later training does not change them); the
    /// parameterless layers are shared.
    public func foldedForInference(movingActivations: Bool = true) -> Sequential {
        var out: [any SequentialLayer] = []
        for layer in layers where !(layer is Dropout) {
            if let bn = layer as? BatchNorm1d, let last = out.last {
                let a = bn.gamma.value / (bn.runningVariance + bn.epsilon).sqrt()
                let shift = bn.beta.value - bn.runningMean * a
                if let conv = last as? Conv1D {
                    let w = conv.weight.value * a.reshaped([-1, 1, 1])
                    let b = (conv.bias?.value ?? Tensor(zeros: a.shape)) * a + shift
                    out[out.count - 1] = Conv1D(weight: w, bias: b, geometry: conv.geometry, trainable: false)
                    continue
                }
                if let dense = last as? Linear {
                    let w = dense.weight.value * a.reshaped([-1, 1])
                    let b = (dense.bias?.value ?? Tensor(zeros: a.shape)) * a + shift
                    out[out.count - 1] = Linear(weight: w, bias: b, trainable: false)
                    continue
                }
            }
            if movingActivations, let pool = layer as? MaxPool1D, let act = out.last as? Activation {
                out[out.count - 1] = pool
                out.append(act)
                continue
            }
            if let nested = layer as? Sequential {
                out.append(nested.foldedForInference(movingActivations: movingActivations))
                continue
            }
            if let fixable = layer as? FixableLayer {
                out.append(fixable.fixed())
                continue
            }
            precondition(layer.namedParameters.isEmpty, "foldedForInference: \(type(of: layer)) has parameters but no fixed copy")
            out.append(layer)
        }
        return Sequential(out)
    }
}
