import Tensors

/// Batch normalisation over axis 1 of (N, C) or (N, C, L): y = γ_c (x − μ_c) / √(σ²_c + ε) + β_c.
/// With `statistics` nil, μ and σ² (biased) are the batch's and the gradient flows through them;
/// otherwise the given (running) statistics are constants. Returns the statistics used, so that a
/// layer can update running estimates. One fused kernel each way (see `Tensor.batchNorm`).
public func batchNorm(_ x: Variable, gamma: Variable, beta: Variable, epsilon: Float = 1e-5,
                      statistics: (mean: Tensor, variance: Tensor)? = nil) -> (output: Variable, statistics: BatchNormStatistics) {
    let xv = x.value, gv = gamma.value
    let (y, stats) = Tensor.batchNorm(xv, gamma: gv, beta: beta.value, epsilon: epsilon, statistics: statistics)
    let out = Variable.record(y, [x, gamma, beta]) { g in
        let (dx, dgamma, dbeta) = Tensor.batchNormBackward(g, xv, gamma: gv, epsilon: epsilon, stats)
        return [dx, dgamma, dbeta]
    }
    return (out, stats)
}
