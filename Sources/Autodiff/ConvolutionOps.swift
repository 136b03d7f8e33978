import Tensors

// Differentiable 1-D convolution and pooling over (N, C, L) inputs.

/// y = conv1d(x, w) + bias; x: (N,C_in,L), w: (C_out,C_in,K), bias: (C_out).
public func conv1d(_ x: Variable, _ w: Variable, bias: Variable? = nil, _ geometry: Conv1DGeometry = .init()) -> Variable {
    let (xv, wv) = (x.value, w.value)
    let y = Tensor.conv1d(xv, wv, bias: bias?.value, geometry)
    let parents = bias.map { [x, w, $0] } ?? [x, w]
    return Variable.record(y, parents) { g in
        // A fixed weight (a network being explained, not trained) needs no ∂L/∂w, nor ∂L/∂bias.
        let (dx, dw, db) = Tensor.conv1dBackward(g, xv, wv, geometry, inputGradient: x.requiresGrad,
                                                 weightGradient: w.requiresGrad || bias?.requiresGrad == true)
        return bias == nil ? [dx, dw] : [dx, dw, db]
    }
}

/// Max over windows of `size` (stride defaults to size); the gradient goes to each window's maximum.
public func maxPool1d(_ x: Variable, size: Int, stride: Int? = nil) -> Variable {
    guard GradMode.isEnabled && x.requiresGrad else { return Variable(Tensor.maxPool1d(x.value, size: size, stride: stride, indices: false).0) }
    let (y, argmax) = Tensor.maxPool1d(x.value, size: size, stride: stride)
    let s = x.shape
    return Variable.record(y, [x]) { g in [Tensor.maxPool1dBackward(g, argmax: argmax, inputShape: s)] }
}

/// Mean over windows of `size` (stride defaults to size).
public func avgPool1d(_ x: Variable, size: Int, stride: Int? = nil) -> Variable {
    let s = x.shape
    return Variable.record(Tensor.avgPool1d(x.value, size: size, stride: stride), [x]) { g in
        [Tensor.avgPool1dBackward(g, inputShape: s, size: size, stride: stride)]
    }
}
