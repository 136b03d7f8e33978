#if canImport(Glibc)
import Glibc
#endif
import Tensors

// Losses. The two classification losses are fused (value and gradient in one pass, stable for any logits).

/// Weighted mean cross-entropy of logits (N, C) against integer targets:
///   L = Σ_n w_n (logsumexp(x_n) − x_{n,t_n}) / Σ_n w_n,   ∂L/∂x_n = w_n (softmax(x_n) − e_{t_n}) / Σ w.
/// A target outside 0..<C (e.g. −1) ignores that row. `weights` defaults to all ones.
public func crossEntropy(logits: Variable, targets: [Int], weights: [Float]? = nil) -> Variable {
    let x = logits.value
    precondition(x.rank == 2 && x.shape[0] == targets.count, "crossEntropy: logits \(x.shape) for \(targets.count) targets")
    let (n, c) = (x.shape[0], x.shape[1])
    let w = weights ?? [Float](repeating: 1, count: n)
    precondition(w.count == n, "crossEntropy: \(w.count) weights for \(n) rows")
    let lse = x.logSumExp(alongAxis: 1)
    var total: Double = 0, wsum: Double = 0
    for i in 0..<n where targets[i] >= 0 && targets[i] < c {
        total += Double(w[i]) * Double(lse.scalars[i] - x.scalars[i * c + targets[i]])
        wsum += Double(w[i])
    }
    let norm = Float(wsum > 0 ? wsum : 1)
    return Variable.record(Tensor(Float(total) / norm), [logits]) { g in
        var gx = x.softmax(alongAxis: 1)
        let scale = g.scalar / norm
        for i in 0..<n {
            let valid = targets[i] >= 0 && targets[i] < c
            let wi = valid ? w[i] * scale : 0
            for k in 0..<c { gx.scalars[i * c + k] *= wi }
            if valid { gx.scalars[i * c + targets[i]] -= wi }
        }
        return [gx]
    }
}

/// Mean binary cross-entropy with logits x and targets y ∈ [0,1] (same shape), optional per-element weights:
///   ℓ = max(x,0) − x·y + log(1 + e^{−|x|}),   ∂ℓ/∂x = σ(x) − y.
public func binaryCrossEntropyWithLogits(_ logits: Variable, targets: Tensor, weights: Tensor? = nil) -> Variable {
    let x = logits.value
    precondition(x.shape == targets.shape, "BCE: logits \(x.shape) vs targets \(targets.shape)")
    let w = weights ?? Tensor(repeating: 1, shape: x.shape)
    let losses = x.zipWith(targets) { xi, yi in Swift.max(xi, 0) - xi * yi + log1pf(expf(-Swift.abs(xi))) }
    let n = Float(Swift.max(x.count, 1))
    return Variable.record(Tensor((losses * w).sum().scalar / n), [logits]) { g in
        [(x.sigmoid() - targets) * w * (g.scalar / n)]
    }
}

/// Mean squared error: mean((p − y)²); with `columnWeights` w (T) for predictions (N, T),
/// mean(w_t (p − y)²) over all N·T entries.
public func meanSquaredError(_ prediction: Variable, _ target: Tensor, columnWeights: Tensor? = nil) -> Variable {
    let squared = (prediction - Variable(target)).square()
    guard let w = columnWeights else { return squared.mean() }
    return (squared * Variable(w.reshaped([1, w.count]))).mean()
}

/// KL(N(μ, e^{logσ²}) ‖ N(0, 1)) summed over elements: −½ Σ (1 + logσ² − μ² − e^{logσ²}).
public func gaussianKL(mean mu: Variable, logVariance logvar: Variable) -> Variable {
    ((1 + logvar - mu.square() - logvar.exp()).sum()) * -0.5
}
