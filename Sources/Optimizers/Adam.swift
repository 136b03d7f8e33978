import Tensors
import Autodiff

/// Adam (Kingma & Ba 2015), and AdamW (Loshchilov & Hutter 2019) when `decoupledWeightDecay`:
///   m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,
///   θ ← θ − η·( m̂ / (√v̂ + ε) + λθ )        with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)  (AdamW)
/// and plain Adam adds λθ to g instead (L2 regularisation).
public final class Adam: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public var beta1: Float, beta2: Float, epsilon: Float
    public var weightDecay: Float
    public var decoupledWeightDecay: Bool
    /// First and second moment estimates, one pair per parameter, and the step count t.
    public private(set) var firstMoments: [Tensor]
    public private(set) var secondMoments: [Tensor]
    public private(set) var stepCount = 0

    public init(_ parameters: [Variable], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.firstMoments = parameters.map { Tensor(zeros: $0.shape) }
        self.secondMoments = parameters.map { Tensor(zeros: $0.shape) }
    }

    /// AdamW: Adam with decoupled weight decay.
    public static func adamW(_ parameters: [Variable], learningRate: Float = 1e-3, weightDecay: Float = 1e-2) -> Adam {
        Adam(parameters, learningRate: learningRate, weightDecay: weightDecay, decoupledWeightDecay: true)
    }

    /// Restores moments and step count (checkpoint resume).
    public func restore(firstMoments m: [Tensor], secondMoments v: [Tensor], stepCount t: Int) {
        precondition(m.count == parameters.count && v.count == parameters.count, "Adam.restore: state for \(m.count) parameters")
        firstMoments = m; secondMoments = v; stepCount = t
    }

    public func step() {
        stepCount += 1
        let (b1, b2, eps, lr, wd) = (beta1, beta2, epsilon, learningRate, weightDecay)
        let c1 = 1 - Float(Double(b1).power(stepCount)), c2 = 1 - Float(Double(b2).power(stepCount))
        let decoupled = decoupledWeightDecay
        for (k, p) in parameters.enumerated() {
            guard let g = p.grad else { continue }
            var m = firstMoments[k], v = secondMoments[k]
            firstMoments[k] = Tensor(0); secondMoments[k] = Tensor(0)   // unique ownership: update in place
            g.scalars.withUnsafeBufferPointer { gp in
                p.value.scalars.withUnsafeMutableBufferPointer { th in
                    m.scalars.withUnsafeMutableBufferPointer { mp in
                        v.scalars.withUnsafeMutableBufferPointer { vp in
                            Adam.update(theta: th, gradient: gp, m: mp, v: vp, b1: b1, b2: b2, c1: c1, c2: c2, eps: eps, lr: lr,
                                        weightDecay: wd, decoupled: decoupled)
                        }
                    }
                }
            }
            firstMoments[k] = m; secondMoments[k] = v
        }
    }
}

extension Adam {
    /// The per-element update in 8-wide SIMD (IEEE division and square root give the same bits as
    /// the scalar loop for the tail, so the result does not depend on the split).
    static func update(theta th: UnsafeMutableBufferPointer<Float>, gradient gp: UnsafeBufferPointer<Float>,
                       m mp: UnsafeMutableBufferPointer<Float>, v vp: UnsafeMutableBufferPointer<Float>,
                       b1: Float, b2: Float, c1: Float, c2: Float, eps: Float, lr: Float, weightDecay wd: Float, decoupled: Bool) {
        let n = th.count
        guard n > 0 else { return }
        let t = th.baseAddress!, g = gp.baseAddress!, m = mp.baseAddress!, v = vp.baseAddress!
        typealias V = SIMD8<Float>
        let vb1 = V(repeating: b1), vb2 = V(repeating: b2), va1 = V(repeating: 1 - b1), va2 = V(repeating: 1 - b2)
        let vc1 = V(repeating: c1), vc2 = V(repeating: c2), veps = V(repeating: eps), vlr = V(repeating: lr), vwd = V(repeating: wd)
        var i = 0
        while i + 8 <= n {
            let raw = { (p: UnsafeMutablePointer<Float>) in UnsafeMutableRawPointer(p + i) }
            var gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let th0 = raw(t).loadUnaligned(as: V.self)
            if !decoupled { gi += vwd * th0 }
            let m1 = vb1 * raw(m).loadUnaligned(as: V.self) + va1 * gi
            let v1 = vb2 * raw(v).loadUnaligned(as: V.self) + va2 * gi * gi
            var update = (m1 / vc1) / ((v1 / vc2).squareRoot() + veps)
            if decoupled { update += vwd * th0 }
            raw(m).storeBytes(of: m1, as: V.self)
            raw(v).storeBytes(of: v1, as: V.self)
            raw(t).storeBytes(of: th0 - vlr * update, as: V.self)
            i += 8
        }
        while i < n {
            var gi = g[i]
            if !decoupled { gi += wd * t[i] }
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi * gi
            var update = (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
            if decoupled { update += wd * t[i] }
            t[i] -= lr * update
            i += 1
        }
    }
}

extension Double {
    func power(_ n: Int) -> Double { var r = 1.0; for _ in 0..<n { r *= self }; return r }
}
