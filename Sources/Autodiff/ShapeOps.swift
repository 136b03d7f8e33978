import Tensors

// Differentiable reshaping, selection and combination. Their pullbacks move gradients
// back to where each element came from (a permutation, a slice, a scatter-add).

extension Variable {
    public func reshaped(_ newShape: [Int]) -> Variable {
        let s = shape
        return Variable.record(value.reshaped(newShape), [self]) { g in [g.reshaped(s)] }
    }

    /// Result axis k is input axis `axes[k]`; the pullback applies the inverse permutation.
    public func permuted(_ axes: [Int]) -> Variable {
        var inverse = axes
        for (k, a) in axes.enumerated() { inverse[a] = k }
        return Variable.record(value.permuted(axes), [self]) { g in [g.permuted(inverse)] }
    }

    /// Swaps the last two axes.
    public func transposed() -> Variable {
        var axes = Array(0..<value.rank)
        axes.swapAt(value.rank - 1, value.rank - 2)
        return permuted(axes)
    }

    /// Elements `range` along `axis`; the gradient is zero outside the slice.
    public func slice(alongAxis axis: Int, _ range: Range<Int>) -> Variable {
        let s = shape, a = value.axis(axis)
        return Variable.record(value.slice(alongAxis: a, range), [self]) { g in
            let before = Tensor(zeros: s.enumerated().map { $0.offset == a ? range.lowerBound : $0.element })
            let after = Tensor(zeros: s.enumerated().map { $0.offset == a ? s[a] - range.upperBound : $0.element })
            return [Tensor.concatenate([before, g, after], alongAxis: a)]
        }
    }

    /// Joins along an existing axis; each input receives its slice of the gradient.
    public static func concatenate(_ parts: [Variable], alongAxis axis: Int) -> Variable {
        let a = parts[0].value.axis(axis)
        let extents = parts.map { $0.shape[a] }
        return record(Tensor.concatenate(parts.map(\.value), alongAxis: a), parts) { g in
            var start = 0
            return extents.map { e in defer { start += e }; return g.slice(alongAxis: a, start..<(start + e)) }
        }
    }

    /// Stacks equal-shaped variables along a new axis.
    public static func stack(_ parts: [Variable], alongAxis axis: Int = 0) -> Variable {
        let r = parts[0].value.rank
        let a = axis < 0 ? axis + r + 1 : axis
        return concatenate(parts.map { p in
            var s = p.shape; s.insert(1, at: a); return p.reshaped(s)
        }, alongAxis: a)
    }

    /// Picks `indices` along `axis` (embedding lookup is this on axis 0); pullback = scatter-add.
    public func gathering(_ indices: [Int], alongAxis axis: Int) -> Variable {
        let a = value.axis(axis), n = shape[a]
        return Variable.record(value.gathering(indices, alongAxis: a), [self]) { g in
            [g.scatterAdding(indices, alongAxis: a, size: n)]
        }
    }

    /// Scatter-adds slices into an axis of extent `size`; pullback = gather.
    public func scatterAdding(_ indices: [Int], alongAxis axis: Int, size: Int) -> Variable {
        let a = value.axis(axis)
        return Variable.record(value.scatterAdding(indices, alongAxis: a, size: size), [self]) { g in
            [g.gathering(indices, alongAxis: a)]
        }
    }
}
