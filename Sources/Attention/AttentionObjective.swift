import Tensors
import Autodiff
import Sequences
import Potts

/// The pseudolikelihood objective of a factored-attention model, F = −PLL + λ_b‖b‖² + λ_J Σ_{i<j}‖J_ij‖²
/// (the Potts objective, same λs), in two interchangeable forms:
/// - `plainLoss`: everything through the autodiff ops (dense one-hot GEMM; tests and tiny inputs);
/// - `lossAndGradients`: the fused Potts kernel evaluates F and ∂F/∂(b, J) on θ = (b, the packed
///   couplings of `FactoredAttention.packedCouplings`), and ∂F/∂θ seeds the autodiff backward pass
///   through that product, the softmax and Q·Kᵀ. Profiling motivates it: the dense X·M product costs
///   q = 21× the sparse gathers, and the fast path needs no (L·q)² permutes. A test checks both give
///   the same loss and gradients.
public struct AttentionObjective {
    public let model: FactoredAttention
    public let objective: PseudoLikelihood
    let msa: MultipleSequenceAlignment
    let weights: [Float]

    public init(model: FactoredAttention, msa: MultipleSequenceAlignment, weights: [Float], lambdaFields: Float = 0.01, lambdaCouplings: Float? = nil) {
        self.model = model; self.msa = msa; self.weights = weights
        objective = PseudoLikelihood(msa, weights: weights, lambdaFields: lambdaFields, lambdaCouplings: lambdaCouplings)
    }

    /// F through the autodiff ops alone.
    public func plainLoss() -> Variable {
        let m = model.symmetricCouplingMatrix(model.rawCouplings(model.attention()))
        let nll = PseudoLikelihoodAutodiff.negativeLogPseudoLikelihood(msa, weights: weights, fields: model.fields, couplings: m)
        // Σ_{i<j} ‖J_ij‖² = ½ ‖M‖²_F (diagonal blocks are zero: A_ii = 0).
        return nll + model.fields.square().sum() * objective.lambdaFields + m.square().sum() * (objective.lambdaCouplings / 2)
    }

    /// F, with gradients accumulated into Q, K, V and b (`.grad`): θ = (b, the packed couplings)
    /// through the autodiff ops, F and ∂F/∂θ from the fused kernel, and ∂F/∂θ seeds the backward pass.
    @discardableResult
    public func lossAndGradients() -> Double { lossAndGradients(abandoningWhen: nil)! }

    /// `lossAndGradients`, abandoned — nil, no gradient accumulated — once `stop()` is true during
    /// the kernel's evaluation (`PseudoLikelihood.evaluate(_:_:abandoningWhen:)`).
    public func lossAndGradients(abandoningWhen stop: (@Sendable () -> Bool)?) -> Double? {
        let (l, q) = (model.length, model.states)
        let couplings = model.packedCouplings(model.attention())
        let theta = Variable.concatenate([model.fields.reshaped([l * q]), couplings.reshaped([couplings.value.count])], alongAxis: 0)
        var g = [Float](repeating: 0, count: theta.value.count)
        guard let f = objective.evaluate(theta.value.scalars, &g, abandoningWhen: stop) else { return nil }
        theta.backward(Tensor(shape: [g.count], scalars: g))
        return f
    }
}
