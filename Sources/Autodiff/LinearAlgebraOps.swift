import Tensors

// Differentiable matrix products. For C = A·B: ∂L/∂A = G·Bᵀ, ∂L/∂B = Aᵀ·G;
// the transposed variants follow by transposing both sides.

/// C = op(A)·op(B) for rank-2 variables.
public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
    let (av, bv) = (a.value, b.value)
    let c = Tensor.matmul(av, bv, transposeA: transposeA, transposeB: transposeB)
    return Variable.record(c, [a, b]) { g in
        // Only the products a parent needs (a fixed weight gets none).
        let ga: Tensor?, gb: Tensor?
        switch (transposeA, transposeB) {
        case (false, false): (ga, gb) = (a.requiresGrad ? Tensor.matmul(g, bv, transposeB: true) : nil, b.requiresGrad ? Tensor.matmul(av, g, transposeA: true) : nil)
        case (true, false): (ga, gb) = (a.requiresGrad ? Tensor.matmul(bv, g, transposeB: true) : nil, b.requiresGrad ? Tensor.matmul(av, g) : nil)
        case (false, true): (ga, gb) = (a.requiresGrad ? Tensor.matmul(g, bv) : nil, b.requiresGrad ? Tensor.matmul(g, av, transposeA: true) : nil)
        case (true, true): (ga, gb) = (a.requiresGrad ? Tensor.matmul(bv, g, transposeA: true, transposeB: true) : nil,
                                       b.requiresGrad ? Tensor.matmul(g, av, transposeA: true, transposeB: true) : nil)
        }
        return [ga, gb]
    }
}

/// (B,m,k)·(B,k,n) → (B,m,n) with optional per-batch transposes; a batch extent of 1 broadcasts.
public func batchedMatmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
    let (av, bv) = (a.value, b.value)
    let c = Tensor.batchedMatmul(av, bv, transposeA: transposeA, transposeB: transposeB)
    return Variable.record(c, [a, b]) { g in
        let (ga, gb): (Tensor, Tensor)
        switch (transposeA, transposeB) {
        case (false, false): (ga, gb) = (Tensor.batchedMatmul(g, bv, transposeB: true), Tensor.batchedMatmul(av, g, transposeA: true))
        case (true, false): (ga, gb) = (Tensor.batchedMatmul(bv, g, transposeB: true), Tensor.batchedMatmul(av, g))
        case (false, true): (ga, gb) = (Tensor.batchedMatmul(g, bv), Tensor.batchedMatmul(g, av, transposeA: true))
        case (true, true): (ga, gb) = (Tensor.batchedMatmul(bv, g, transposeA: true, transposeB: true),
                                       Tensor.batchedMatmul(g, av, transposeA: true, transposeB: true))
        }
        return [ga.sumToShape(av.shape), gb.sumToShape(bv.shape)]
    }
}
