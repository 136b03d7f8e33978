import Tensors
import Autodiff
import Sequences
import Potts

/// The pseudolikelihood objective of a factored-attention model, F = −PLL + λ_b‖b‖² + λ_J Σ_{i<j}‖J_ij‖²
/// (the Potts objective, same λs), in two interchangeable forms:
/// - `plainLoss`: everything through the autodiff ops (dense one-hot GEMM; tests and tiny inputs);
/// - `lossAndGradients`: the fused Potts kernel evaluates F and ∂F/∂(b, J) on the packed couplings —
///   whose rows (i < j, a, b) are exactly W₂'s rows, ½(W_ij(a,b) + W_ji(b,a)) — and its gradient
///   seeds the autodiff backward pass through W₂ = Aᵀ·V, the softmax and Q·Kᵀ. Profiling motivates
///   it: the dense X·M product costs q = 21× the sparse gathers, and the fast path needs no
///   (L·q)² permutes. A test checks both give the same loss and gradients.
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

    /// F, with gradients accumulated into Q, K, V and b (`.grad`).
    @discardableResult
    public func lossAndGradients() -> Double {
        let (l, q) = (model.length, model.states)
        let a = model.attention()
        let w2 = model.rawCouplings(a)
        // θ = (h, the symmetric part of W packed i < j): J_ij(a, b) = ½(W_ij(a, b) + W_ji(b, a)).
        let theta = model.fields.value.scalars + Couplings(length: l, states: q, scalars: w2.value.scalars).symmetrisedPackedUpperTriangle()
        var g = [Float](repeating: 0, count: theta.count)
        let f = objective.evaluate(theta, &g)
        // Seed: ∂F/∂W_ij(a,b) = ∂F/∂W_ji(b,a) = ½ ∂F/∂J_ij(a,b).
        let seed = Couplings(packedUpperTriangle: g[(l * q)...].map { 0.5 * $0 }, length: l, states: q)
        w2.backward(Tensor(shape: [l * l, q * q], scalars: seed.scalars))
        let fieldGradient = Tensor(shape: [l, q], scalars: Array(g[0..<(l * q)]))
        if model.fields.grad == nil { model.fields.grad = fieldGradient } else { model.fields.grad! += fieldGradient }
        return f
    }
}
