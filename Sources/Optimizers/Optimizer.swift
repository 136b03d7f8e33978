import Tensors
import Autodiff

/// A first-order optimizer that updates `parameters` in place from their `grad`.
public protocol Optimizer: AnyObject {
    var parameters: [Variable] { get }
    var learningRate: Float { get set }
    /// One update θ ← θ − (step from θ.grad). Parameters without a gradient are skipped.
    func step()
}

extension Optimizer {
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }
}

/// Scales all gradients so that their global L2 norm is at most `maxNorm`; returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
    var total: Double = 0
    for p in parameters { if let g = p.grad { total += Double(g.dot(g)) } }
    let norm = Float(total.squareRoot())
    if norm > maxNorm && norm > 0 {
        let scale = maxNorm / norm
        for p in parameters where p.grad != nil { p.grad = p.grad! * scale }
    }
    return norm
}
