import Tensors

// Differentiable element-wise ops. Each: forward value, then its pullback g ↦ ∂L/∂input.
// Binary ops broadcast; their pullbacks sum the gradient back to each input's shape.

extension Variable {
    public static func + (a: Variable, b: Variable) -> Variable {
        let (ra, rb) = (a.requiresGrad, b.requiresGrad)
        return record(a.value + b.value, [a, b]) { g in [ra ? g.sumToShape(a.shape) : nil, rb ? g.sumToShape(b.shape) : nil] }
    }
    public static func - (a: Variable, b: Variable) -> Variable {
        let (ra, rb) = (a.requiresGrad, b.requiresGrad)
        return record(a.value - b.value, [a, b]) { g in [ra ? g.sumToShape(a.shape) : nil, rb ? (-g).sumToShape(b.shape) : nil] }
    }
    /// ∂(ab)/∂a = b, ∂(ab)/∂b = a.
    public static func * (a: Variable, b: Variable) -> Variable {
        let (ra, rb) = (a.requiresGrad, b.requiresGrad)
        return record(a.value * b.value, [a, b]) { g in
            [ra ? (g * b.value).sumToShape(a.shape) : nil, rb ? (g * a.value).sumToShape(b.shape) : nil]
        }
    }
    /// ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b².
    public static func / (a: Variable, b: Variable) -> Variable {
        let (ra, rb) = (a.requiresGrad, b.requiresGrad)
        return record(a.value / b.value, [a, b]) { g in
            [ra ? (g / b.value).sumToShape(a.shape) : nil, rb ? (-g * a.value / b.value.square()).sumToShape(b.shape) : nil]
        }
    }
    public static prefix func - (a: Variable) -> Variable { record(-a.value, [a]) { g in [-g] } }
    public static func + (a: Variable, c: Float) -> Variable { record(a.value + c, [a]) { g in [g] } }
    public static func - (a: Variable, c: Float) -> Variable { record(a.value - c, [a]) { g in [g] } }
    public static func * (a: Variable, c: Float) -> Variable { record(a.value * c, [a]) { g in [g * c] } }
    public static func / (a: Variable, c: Float) -> Variable { record(a.value / c, [a]) { g in [g / c] } }
    public static func + (c: Float, a: Variable) -> Variable { a + c }
    public static func * (c: Float, a: Variable) -> Variable { a * c }
    public static func - (c: Float, a: Variable) -> Variable { record(c - a.value, [a]) { g in [-g] } }

    /// y = eˣ, ∂y/∂x = y.
    public func exp() -> Variable { let y = value.exp(); return Variable.record(y, [self]) { g in [g * y] } }
    /// y = log x, ∂y/∂x = 1/x.
    public func log() -> Variable { let x = value; return Variable.record(x.log(), [self]) { g in [g / x] } }
    /// y = log(1 + x), ∂y/∂x = 1/(1 + x).
    public func log1p() -> Variable { let x = value; return Variable.record(x.log1p(), [self]) { g in [g / (x + 1)] } }
    /// y = √x, ∂y/∂x = 1/(2y).
    public func sqrt() -> Variable { let y = value.sqrt(); return Variable.record(y, [self]) { g in [g / (y * 2)] } }
    /// y = x², ∂y/∂x = 2x.
    public func square() -> Variable { let x = value; return Variable.record(x.square(), [self]) { g in [g * x * 2] } }
    /// y = xᵖ, ∂y/∂x = p·xᵖ⁻¹.
    public func pow(_ p: Float) -> Variable {
        let x = value; return Variable.record(x.pow(p), [self]) { g in [g * x.pow(p - 1) * p] }
    }
    /// y = tanh x, ∂y/∂x = 1 − y².
    public func tanh() -> Variable { let y = value.tanh(); return Variable.record(y, [self]) { g in [g * (1 - y.square())] } }
    /// y = σ(x), ∂y/∂x = y(1 − y).
    public func sigmoid() -> Variable { let y = value.sigmoid(); return Variable.record(y, [self]) { g in [g * y * (1 - y)] } }
    /// y = max(x, 0), ∂y/∂x = [x > 0].
    public func relu() -> Variable {
        let x = value
        return Variable.record(x.relu(), [self]) { g in [g.zipWith(x) { gi, xi in xi > 0 ? gi : 0 }] }
    }
    /// y = x (x > 0) or α(eˣ − 1); ∂y/∂x = 1 or y + α.
    public func elu(alpha: Float = 1) -> Variable {
        let x = value, y = value.elu(alpha: alpha)
        return Variable.record(y, [self]) { g in [g * x.zipWith(y) { xi, yi in xi > 0 ? 1 : yi + alpha }] }
    }
    /// y = log(1 + eˣ), ∂y/∂x = σ(x).
    public func softplus() -> Variable { let x = value; return Variable.record(x.softplus(), [self]) { g in [g * x.sigmoid()] } }
    /// The exponential activation y = eˣ (Koo & Ploenzke 2021).
    public func expActivation() -> Variable { let y = value.expActivation(); return Variable.record(y, [self]) { g in [g * y] } }
}
