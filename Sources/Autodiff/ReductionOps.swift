import Tensors

// Differentiable reductions. Pullbacks broadcast the upstream gradient back over the reduced axes.

extension Variable {
    /// Σ of all elements (rank 0).
    public func sum() -> Variable {
        let s = shape
        return Variable.record(value.sum(), [self]) { g in [Tensor(repeating: g.scalar, shape: s)] }
    }
    public func mean() -> Variable {
        let s = shape, n = Float(Swift.max(value.count, 1))
        return Variable.record(value.mean(), [self]) { g in [Tensor(repeating: g.scalar / n, shape: s)] }
    }
    /// Σ along `axes`; ∂/∂x = g broadcast over the reduced axes.
    public func sum(alongAxes axes: [Int], keepingDims: Bool = false) -> Variable {
        let s = shape
        let kept = s.enumerated().map { axes.map(value.axis).contains($0.offset) ? 1 : $0.element }
        return Variable.record(value.sum(alongAxes: axes, keepingDims: keepingDims), [self]) { g in
            [g.reshaped(kept).broadcast(to: s)]
        }
    }
    public func mean(alongAxes axes: [Int], keepingDims: Bool = false) -> Variable {
        let n = Set(axes.map(value.axis)).reduce(1) { $0 * shape[$1] }
        return sum(alongAxes: axes, keepingDims: keepingDims) / Float(n)
    }
    public func sum(alongAxis axis: Int, keepingDim: Bool = false) -> Variable { sum(alongAxes: [axis], keepingDims: keepingDim) }
    public func mean(alongAxis axis: Int, keepingDim: Bool = false) -> Variable { mean(alongAxes: [axis], keepingDims: keepingDim) }

    /// max along `axis`; the gradient flows to the (first) maximal element of each lane.
    public func max(alongAxis axis: Int, keepingDim: Bool = false) -> Variable {
        let x = value, a = value.axis(axis)
        let (outer, n, inner) = x.split(around: a)
        let arg = x.argmax(alongAxis: a)
        return Variable.record(x.max(alongAxis: a, keepingDim: keepingDim), [self]) { g in
            var gx = Tensor(zeros: x.shape)
            for o in 0..<outer { for i in 0..<inner {
                gx.scalars[(o * n + arg[o * inner + i]) * inner + i] = g.scalars[o * inner + i]
            } }
            return [gx]
        }
    }

    /// y = log Σ_k exp(x_k) along `axis`; ∂y/∂x_k = softmax(x)_k.
    public func logSumExp(alongAxis axis: Int, keepingDim: Bool = false) -> Variable {
        let x = value, a = value.axis(axis)
        let y = x.logSumExp(alongAxis: a, keepingDim: true)
        let out = keepingDim ? y : y.reshaped(x.shape.enumerated().filter { $0.offset != a }.map(\.element))
        return Variable.record(out, [self]) { g in
            [g.reshaped(y.shape) * (x - y).exp()]
        }
    }

    /// y = softmax(x) along `axis`; ∂L/∂x = y ⊙ (g − Σ_k g_k y_k).
    public func softmax(alongAxis axis: Int) -> Variable {
        let a = value.axis(axis)
        let y = value.softmax(alongAxis: a)
        return Variable.record(y, [self]) { g in
            [y * (g - (g * y).sum(alongAxis: a, keepingDim: true))]
        }
    }

    /// y = x − logsumexp(x) along `axis`; ∂L/∂x = g − softmax(x) Σ_k g_k.
    public func logSoftmax(alongAxis axis: Int) -> Variable {
        let a = value.axis(axis)
        let y = value.logSoftmax(alongAxis: a)
        return Variable.record(y, [self]) { g in
            [g - y.exp() * g.sum(alongAxis: a, keepingDim: true)]
        }
    }
}
