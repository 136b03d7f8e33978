import Tensors
import Autodiff

/// Stochastic gradient descent with momentum μ and L2 weight decay λ:
///   v ← μ·v + (g + λθ),   θ ← θ − η·v.
public final class SGD: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public var momentum: Float
    public var weightDecay: Float
    private var velocity: [Tensor?]

    public init(_ parameters: [Variable], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.velocity = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        for (k, p) in parameters.enumerated() {
            guard var g = p.grad else { continue }
            if weightDecay != 0 { g.addScaled(p.value, weightDecay) }
            if momentum != 0 {
                if var v = velocity[k] {
                    velocity[k] = nil           // keep v uniquely referenced: scaled in place
                    v.scalars.withUnsafeMutableBufferPointer { vp in
                        g.scalars.withUnsafeBufferPointer { gp in
                            for i in vp.indices { vp[i] = momentum * vp[i] + gp[i] }
                        }
                    }
                    g = v
                }
                velocity[k] = g
            }
            p.value.addScaled(g, -learningRate)
        }
    }
}
