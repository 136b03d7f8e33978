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

    /// `sharing`: kernel layouts of another objective on the same model (see `PseudoLikelihood`).
    public init(model: FactoredAttention, msa: MultipleSequenceAlignment, weights: [Float], lambdaFields: Float = 0.01, lambdaCouplings: Float? = nil,
                sharing: KernelLayouts? = nil) {
        self.model = model; self.msa = msa; self.weights = weights
        objective = PseudoLikelihood(msa, weights: weights, lambdaFields: lambdaFields, lambdaCouplings: lambdaCouplings, sharing: sharing)
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
        let theta = AttentionObjective.packedParameters(fields: model.fields.value.scalars, rawCouplings: w2.value.scalars, length: l, states: q)
        var g = [Float](repeating: 0, count: theta.count)
        let f = objective.evaluate(theta, &g)
        // Seed: ∂F/∂W_ij(a,b) = ∂F/∂W_ji(b,a) = ½ ∂F/∂J_ij(a,b).
        w2.backward(Tensor(shape: [l * l, q * q], scalars: AttentionObjective.rawCouplingSeed(g, length: l, states: q)))
        let fieldGradient = Tensor(shape: [l, q], scalars: Array(g[0..<(l * q)]))
        if model.fields.grad == nil { model.fields.grad = fieldGradient } else { model.fields.grad! += fieldGradient }
        return f
    }

    /// The Potts kernel's θ in one pass, one allocation: the fields h (L·q), then for each pair
    /// i < j (packed order) J_ij(a, b) = ½(W_ij(a, b) + W_ji(b, a)), from W₂'s rows (L², q²).
    /// Same numbers as `fields + Couplings(W₂).symmetrisedPackedUpperTriangle()` (a test checks it).
    public static func packedParameters(fields: [Float], rawCouplings w: [Float], length l: Int, states q: Int) -> [Float] {
        let lq = l * q, qq = q * q
        return [Float](unsafeUninitializedCapacity: lq + Couplings.packedCount(length: l, states: q)) { out, count in
            for k in 0..<lq { out[k] = fields[k] }
            w.withUnsafeBufferPointer { w in
                var o = lq
                for i in 0..<l { for j in (i + 1)..<Swift.max(l, i + 1) {
                    let ij = (i * l + j) * qq, ji = (j * l + i) * qq
                    for a in 0..<q { for b in 0..<q { out[o + a * q + b] = 0.5 * (w[ij + a * q + b] + w[ji + b * q + a]) } }
                    o += qq
                } }
            }
            count = lq + Couplings.packedCount(length: l, states: q)
        }
    }

    /// ∂F/∂W₂ (L², q²) from the kernel's gradient g = (∂F/∂h, ∂F/∂J packed i < j) in one pass:
    /// ∂F/∂W_ij(a,b) = ∂F/∂W_ji(b,a) = ½ ∂F/∂J_ij(a,b); the diagonal blocks are zero.
    public static func rawCouplingSeed(_ g: [Float], length l: Int, states q: Int) -> [Float] {
        let lq = l * q, qq = q * q
        var seed = [Float](repeating: 0, count: l * l * qq)
        seed.withUnsafeMutableBufferPointer { s in
            g.withUnsafeBufferPointer { g in
                var o = lq
                for i in 0..<l { for j in (i + 1)..<Swift.max(l, i + 1) {
                    let ij = (i * l + j) * qq, ji = (j * l + i) * qq
                    for a in 0..<q { for b in 0..<q { let v = 0.5 * g[o + a * q + b]; s[ij + a * q + b] = v; s[ji + b * q + a] = v } }
                    o += qq
                } }
            }
        }
        return seed
    }
}
