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
            g.scalars.withUnsafeBufferPointer { gb in
                p.value.scalars.withUnsafeMutableBufferPointer { tb in
                    m.scalars.withUnsafeMutableBufferPointer { mb in
                        v.scalars.withUnsafeMutableBufferPointer { vb in
                            guard !tb.isEmpty else { return }
                            nonisolated(unsafe) let (gp, th, mp, vp) = (gb.baseAddress!, tb.baseAddress!, mb.baseAddress!, vb.baseAddress!)
                            let rule = Rule(b1: b1, b2: b2, c1: c1, c2: c2, eps: eps, lr: lr, wd: wd, decoupled: decoupled)
                            Parallel.forEachChunk(tb.count, minimumPerThread: 1 << 15) { range in   // element-wise: same bytes at any split
                                rule.apply(range, g: gp, theta: th, m: mp, v: vp)
                            }
                        }
                    }
                }
            }
            firstMoments[k] = m; secondMoments[k] = v
        }
    }
}

/// One step's update rule, element by element; sixteen lanes at a time (the same IEEE operations in
/// the same order as one lane at a time, so the same bits), the tail one by one.
struct Rule {
    let b1: Float, b2: Float, c1: Float, c2: Float, eps: Float, lr: Float, wd: Float, decoupled: Bool

    @inline(__always) func update<V: SIMD>(_ g: V, _ th: inout V, _ m: inout V, _ v: inout V) where V.Scalar == Float {
        var gi = g
        if !decoupled { gi += wd * th }
        m = b1 * m + (1 - b1) * gi
        v = b2 * v + (1 - b2) * gi * gi
        var update = (m / c1) / ((v / c2).squareRoot() + eps)
        if decoupled { update += wd * th }
        th -= lr * update
    }

    func apply(_ range: Range<Int>, g: UnsafePointer<Float>, theta: UnsafeMutablePointer<Float>,
               m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>) {
        var i = range.lowerBound
        while i + 16 <= range.upperBound {
            let gv = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
            var tv = UnsafeRawPointer(theta + i).loadUnaligned(as: SIMD16<Float>.self)
            var mv = UnsafeRawPointer(m + i).loadUnaligned(as: SIMD16<Float>.self)
            var vv = UnsafeRawPointer(v + i).loadUnaligned(as: SIMD16<Float>.self)
            update(gv, &tv, &mv, &vv)
            UnsafeMutableRawPointer(theta + i).storeBytes(of: tv, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mv, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vv, as: SIMD16<Float>.self)
            i += 16
        }
        while i < range.upperBound {
            // One live lane (Swift has no one-lane SIMD type; the second lane computes on zeros).
            var (tv, mv, vv) = (SIMD2<Float>(theta[i], 0), SIMD2<Float>(m[i], 0), SIMD2<Float>(v[i], 0))
            update(SIMD2<Float>(g[i], 0), &tv, &mv, &vv)
            (theta[i], m[i], v[i]) = (tv[0], mv[0], vv[0])
            i += 1
        }
    }
}

extension Double {
    func power(_ n: Int) -> Double { var r = 1.0; for _ in 0..<n { r *= self }; return r }
}
