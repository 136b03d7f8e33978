import Tensors
import Autodiff
import Optimizers
import Sequences
import Potts

/// Trains a factored-attention model with Adam on the full-batch objective (each step is one fused
/// pseudolikelihood evaluation over all sequences, scaled by 1/Neff).
/// Defaults (the paper's appendix, scaled to 2 cores and to full-batch steps): H = 64 heads (the
/// paper's best used 256), d = 64, value matrices initialised N(0, 0.1²), Adam with learning rate
/// 0.02 (measured on 1atzA: 5·10⁻³ had not converged in 400 steps, P@L 0.41; 0.02 gave 0.49),
/// λ_J and λ_b as for Potts, at most 800 steps, stopping when the objective has improved by less
/// than 10⁻⁴ (relative) over the last 20 steps.
public struct AttentionFit: Sendable {
    public var heads = 64
    public var headDimension = 64
    public var learningRate: Float = 0.02
    public var steps = 800
    public var relativeTolerance = 1e-4
    public var seed: UInt64 = 0
    public var lambdaFields: Float = 0.01
    public var lambdaCouplings: Float?
    /// Standard deviation of the initial value matrices.
    public var valueScale: Float = 0.1
    public enum Optimizer: String, Sendable, CaseIterable { case adam, lbfgs }
    /// Adam as in the paper, or L-BFGS on the same full-batch objective (converges in fewer passes).
    public var optimizer = Optimizer.adam

    public init(heads: Int = 64, headDimension: Int = 64, learningRate: Float = 0.02, steps: Int = 800, seed: UInt64 = 0) {
        self.heads = heads; self.headDimension = headDimension; self.learningRate = learningRate; self.steps = steps; self.seed = seed
    }

    public struct Result {
        public var model: FactoredAttention
        public var objective: Double
        public var steps: Int
    }

    /// `progress(step, F)`; return false to stop.
    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], progress: ((Int, Double) -> Bool)? = nil) -> Result {
        let (l, q) = (msa.length, msa.alphabet.size)
        let pssm = PSSM(msa, weights: weights, pseudocount: 1)
        var b = pssm.fields
        for i in 0..<l {
            let mean = (0..<q).reduce(Float(0)) { $0 + pssm.fields.scalars[i * q + $1] } / Float(q)
            for a in 0..<q { b.scalars[i * q + a] -= mean }
        }
        var rng = RandomGenerator(seed: seed)
        let model = FactoredAttention(length: l, states: q, heads: heads, headDimension: headDimension, fields: b, valueScale: valueScale, using: &rng)
        let objective = AttentionObjective(model: model, msa: msa, weights: weights, lambdaFields: lambdaFields, lambdaCouplings: lambdaCouplings)
        let neff = Float(weights.reduce(0.0) { $0 + Double($1) })
        if optimizer == .lbfgs {
            let params = model.parameters
            let sizes = params.map(\.value.count)
            // No per-iteration stop: the start (V ≈ 0) is a flat region where single steps gain little.
            let solver = LBFGS(memory: 10, maxIterations: steps, gradientTolerance: 1e-7, functionTolerance: 0)
            var iteration = 0
            let r = solver.minimize(params.flatMap(\.value.scalars), callback: { it, f, _ in
                iteration = it
                return progress?(it, f) ?? true
            }) { x, gradient in
                var o = 0
                for (p, n) in zip(params, sizes) { p.value.scalars = Array(x[o..<(o + n)]); p.zeroGrad(); o += n }
                let f = objective.lossAndGradients()
                o = 0
                for (p, n) in zip(params, sizes) {
                    let g = p.grad ?? Tensor(zeros: p.shape)
                    for k in 0..<n { gradient[o + k] = g.scalars[k] }
                    o += n
                }
                return f
            }
            var o = 0
            for (p, n) in zip(params, sizes) { p.value.scalars = Array(r.x[o..<(o + n)]); o += n }
            return Result(model: model, objective: r.value, steps: iteration)
        }
        let adam = Adam(model.parameters, learningRate: learningRate)
        var history: [Double] = []
        var last = 0.0
        var done = 0
        for step in 1...max(steps, 1) {
            adam.zeroGrad()
            last = objective.lossAndGradients()
            for p in model.parameters { p.grad = p.grad.map { $0 / neff } }
            adam.step()
            history.append(last)
            done = step
            if let progress, !progress(step, last) { break }
            if history.count > 20 {
                let before = history[history.count - 21]
                if (before - last) <= relativeTolerance * abs(last) { break }
            }
        }
        return Result(model: model, objective: last, steps: done)
    }
}
