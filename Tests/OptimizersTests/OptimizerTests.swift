import Testing
import Tensors
import Autodiff
import Optimizers

@Suite struct LBFGSTests {
    /// f(x, y) = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1).
    func rosenbrock(_ v: [Float], _ g: inout [Float]) -> Double {
        let (x, y) = (Double(v[0]), Double(v[1]))
        g[0] = Float(-2 * (1 - x) - 400 * x * (y - x * x))
        g[1] = Float(200 * (y - x * x))
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
    }

    @Test func reachesTheRosenbrockMinimum() {
        let solver = LBFGS(memory: 10, maxIterations: 500, gradientTolerance: 1e-7)
        let r = solver.minimize([-1.2, 1], objective: rosenbrock)
        #expect(Swift.abs(r.x[0] - 1) < 1e-5)
        #expect(Swift.abs(r.x[1] - 1) < 1e-5)
        #expect(r.iterations < 100)
    }

    /// f(x) = ½xᵀAx − bᵀx with A = MᵀM + I (n = 60); minimiser A⁻¹b from LAPACK (`BLAS.invertPositiveDefinite`).
    @Test func reachesTheMinimumOfARandomConvexQuadratic() {
        let n = 60
        var rng = RandomGenerator(seed: 12)
        let m = (0..<(n * n)).map { _ in Double(rng.normal()) / Double(n).squareRoot() }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n {
            var s = i == j ? 1.0 : 0
            for k in 0..<n { s += m[k * n + i] * m[k * n + j] }
            a[i * n + j] = s
        } }
        let b = (0..<n).map { _ in Double(rng.normal()) }
        var inverse = a
        #expect(BLAS.invertPositiveDefinite(&inverse, dimension: n) == nil)
        let solution = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + inverse[Swift.min(i, $1) * n + Swift.max(i, $1)] * b[$1] } }
        let solver = LBFGS(memory: 10, maxIterations: 500, gradientTolerance: 1e-7)
        let r = solver.minimize([Float](repeating: 0, count: n)) { x, g in
            var f = 0.0
            for i in 0..<n {
                var ax = 0.0
                for j in 0..<n { ax += a[i * n + j] * Double(x[j]) }
                g[i] = Float(ax - b[i])
                f += 0.5 * Double(x[i]) * ax - b[i] * Double(x[i])
            }
            return f
        }
        let maxError = zip(r.x, solution).map { Swift.abs(Double($0) - $1) }.max()!
        #expect(maxError < 1e-5, "max |x − x*| = \(maxError)")
    }

    @Test func minimisesThroughTheAutodiffTape() {
        // min ‖Wx − y‖² over W (3×2) for a consistent system: reaches zero loss.
        var rng = RandomGenerator(seed: 5)
        let x = Tensor.normal([2, 8], using: &rng)
        let wTrue = Tensor.normal([3, 2], using: &rng)
        let y = Tensor.matmul(wTrue, x)
        let w = Variable(Tensor(zeros: [3, 2]), requiresGrad: true)
        let r = LBFGS(maxIterations: 100, gradientTolerance: 1e-6).minimize([w]) {
            (matmul(w, Variable(x)) - Variable(y)).square().sum()
        }
        #expect(r.value < 1e-8)
        #expect(zip(w.value.scalars, wTrue.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-3 })
    }

    @Test func stopsOnTheIterationLimitAndReportsIt() {
        let r = LBFGS(maxIterations: 3).minimize([-1.2, 1], objective: rosenbrock)
        #expect(r.iterations == 3)
        #expect(r.stop == .maxIterations)
    }
}

@Suite struct FirstOrderOptimizerTests {
    /// Separable 2-D data from a known logistic model.
    func logisticData(_ n: Int) -> (Tensor, Tensor) {
        var rng = RandomGenerator(seed: 8)
        let x = Tensor.normal([n, 2], using: &rng)
        let y = Tensor(shape: [n, 1], scalars: (0..<n).map { i in
            let z = 3 * x[i, 0] - 2 * x[i, 1] + 0.5
            return rng.uniform() < 1 / (1 + Foundationless.exp(-z)) ? 1 : 0
        })
        return (x, y)
    }

    func fit(_ make: ([Variable]) -> any Optimizer, steps: Int) -> (loss: Float, w: Tensor) {
        let (x, y) = logisticData(2000)
        let w = Variable(Tensor(zeros: [2, 1]), requiresGrad: true)
        let b = Variable(Tensor(zeros: [1]), requiresGrad: true)
        let opt = make([w, b])
        var loss: Float = 0
        for _ in 0..<steps {
            opt.zeroGrad()
            let l = binaryCrossEntropyWithLogits(matmul(Variable(x), w) + b, targets: y)
            l.backward()
            opt.step()
            loss = l.item
        }
        return (loss, w.value)
    }

    @Test func adamFitsLogisticRegression() {
        let (loss, w) = fit({ Adam($0, learningRate: 0.05) }, steps: 400)
        #expect(loss < 0.35)
        #expect(Swift.abs(w[0, 0] - 3) < 0.5 && Swift.abs(w[1, 0] + 2) < 0.5, "w = \(w.scalars)")
    }

    @Test func sgdWithMomentumFitsLogisticRegression() {
        let (loss, w) = fit({ SGD($0, learningRate: 0.5, momentum: 0.9) }, steps: 400)
        #expect(loss < 0.35)
        #expect(Swift.abs(w[0, 0] - 3) < 0.5, "w = \(w.scalars)")
    }

    @Test func adamWDecaysWeightsTowardZero() {
        let p = Variable(Tensor([5]), requiresGrad: true)
        let opt = Adam.adamW([p], learningRate: 0.1, weightDecay: 0.5)
        for _ in 0..<50 { p.grad = Tensor([0]); opt.step() }
        #expect(Swift.abs(p.value[0] - 5 * Foundationless.pow(1 - 0.05, 50)) < 1e-3)
    }

    /// The sixteen-lane update equals the rule written one element at a time, bit for bit, in the
    /// lanes and in the tail (37 = 2·16 + 5 elements), with L2 and with decoupled decay.
    @Test func adamsVectorUpdateEqualsTheScalarRule() {
        for decoupled in [false, true] {
            var rng = RandomGenerator(seed: 7)
            let p = Variable(.normal([37], std: 1, using: &rng), requiresGrad: true)
            let opt = Adam([p], learningRate: 0.01, weightDecay: 0.1, decoupledWeightDecay: decoupled)
            var (theta, m, v) = (p.value.scalars, [Float](repeating: 0, count: 37), [Float](repeating: 0, count: 37))
            for t in 1...5 {
                let g = Tensor.normal([37], std: 1, using: &rng)
                p.grad = g
                opt.step()
                var (p1, p2) = (1.0, 1.0)                 // β^t in double from the Float βs, as Adam forms them
                for _ in 0..<t { p1 *= Double(Float(0.9)); p2 *= Double(Float(0.999)) }
                let c1 = 1 - Float(p1), c2 = 1 - Float(p2)
                for i in 0..<37 {
                    var gi = g.scalars[i]
                    if !decoupled { gi += 0.1 * theta[i] }
                    m[i] = 0.9 * m[i] + (1 - 0.9) * gi
                    v[i] = 0.999 * v[i] + (1 - 0.999) * gi * gi
                    var update = (m[i] / c1) / ((v[i] / c2).squareRoot() + 1e-8)
                    if decoupled { update += 0.1 * theta[i] }
                    theta[i] -= 0.01 * update
                }
            }
            #expect(p.value.scalars == theta && opt.firstMoments[0].scalars == m && opt.secondMoments[0].scalars == v, "decoupled: \(decoupled)")
        }
    }

    @Test func clippingBoundsTheGlobalNorm() {
        let a = Variable(Tensor([0]), requiresGrad: true), b = Variable(Tensor([0]), requiresGrad: true)
        a.grad = Tensor([3]); b.grad = Tensor([4])
        let before = clipGradientNorm([a, b], maxNorm: 1)
        #expect(before == 5)
        #expect(Swift.abs(a.grad![0] - 0.6) < 1e-6 && Swift.abs(b.grad![0] - 0.8) < 1e-6)
    }

    @Test func schedules() {
        #expect(LearningRateSchedule.step(initial: 1, gamma: 0.5, every: 10).rate(at: 25) == 0.25)
        let cos = LearningRateSchedule.cosine(initial: 1, minimum: 0, warmup: 10, total: 110)
        #expect(cos.rate(at: 0) == 0.1)
        #expect(Swift.abs(cos.rate(at: 60) - 0.5) < 1e-6)
        #expect(cos.rate(at: 200) == 0)
        var plateau = ReduceOnPlateau(factor: 0.5, patience: 1)
        var rate: Float = 1
        for metric: Float in [1, 0.9, 0.95, 0.95] { rate = plateau.update(metric: metric, rate: rate) }
        #expect(rate == 0.5)
    }
}

enum Foundationless {
    static func exp(_ x: Float) -> Float { Tensor([x]).exp().scalars[0] }
    static func pow(_ x: Float, _ p: Float) -> Float { Tensor([x]).pow(p).scalars[0] }
}

@Suite struct LBFGSResumeTests {
    /// f(x) = Σ (1 − x_i)² + 100(x_{i+1} − x_i²)² (extended Rosenbrock, n = 12).
    func objective(_ v: [Float], _ g: inout [Float]) -> Double {
        var f = 0.0
        for k in g.indices { g[k] = 0 }
        for i in 0..<(v.count - 1) {
            let (x, y) = (Double(v[i]), Double(v[i + 1]))
            f += (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
            g[i] += Float(-2 * (1 - x) - 400 * x * (y - x * x))
            g[i + 1] += Float(200 * (y - x * x))
        }
        return f
    }

    @Test func resumingFromAStateContinuesBitForBit() {
        let x0 = (0..<12).map { Float($0 % 2 == 0 ? -1.2 : 1.0) }
        let solver = LBFGS(memory: 5, maxIterations: 40, gradientTolerance: 0, functionTolerance: 1e-9)
        let full = solver.minimize(x0, objective: objective)
        var saved: LBFGS.State?
        let first = solver.minimize(x0, callback: { it, _, _ in it < 13 }, checkpoint: { it, state in if it == 13 { saved = state() } }, objective: objective)
        #expect(first.iterations == 13 && first.stop == .callback)
        let state = try! #require(saved)
        #expect(state.s.count == 5 && state.iteration == 13)
        let resumed = solver.minimize([], resumingFrom: state, objective: objective)
        #expect(resumed.x == full.x)                                  // exact, not approximate
        #expect(resumed.iterations == full.iterations && resumed.evaluations == full.evaluations && resumed.stop == full.stop)
        #expect(resumed.value == full.value)
    }

    /// The function test over a window of w iterations: never before w iterations, it sees the
    /// decrease f_{k−w} − f_k (so a run with a window goes at least as far as one without), and a
    /// run resumed from a checkpoint carries the window and stops exactly where the full run does.
    @Test func functionWindowStopsOnTheDecreaseOverTheWindow() {
        let x0 = (0..<12).map { Float($0 % 2 == 0 ? -1.2 : 1.0) }
        var one = LBFGS(memory: 5, maxIterations: 200, gradientTolerance: 0, functionTolerance: 1e-3)
        var five = one
        five.functionWindow = 5
        one.functionWindow = 1
        var values: [Double] = []
        let a = one.minimize(x0, objective: objective)
        let b = five.minimize(x0, callback: { _, f, _ in values.append(f); return true }, objective: objective)
        #expect(a.stop == .function && b.stop == .function)
        #expect(b.iterations >= 5 && b.iterations >= a.iterations && b.value <= a.value)
        // b stopped at the first k ≥ 5 whose 5-iteration decrease is small.
        var g0 = [Float](repeating: 0, count: x0.count)
        let f = [objective(x0, &g0)] + values
        let k = b.iterations
        #expect(f[k - 5] - f[k] <= 1e-3 * Swift.max(1, Swift.abs(f[k])))
        for j in 5..<k { #expect(f[j - 5] - f[j] > 1e-3 * Swift.max(1, Swift.abs(f[j]))) }
        var saved: LBFGS.State?
        _ = five.minimize(x0, callback: { it, _, _ in it < 7 }, checkpoint: { it, state in if it == 7 { saved = state() } }, objective: objective)
        let state = try! #require(saved)
        #expect(state.recentValues.count == 5)
        let resumed = five.minimize([], resumingFrom: state, objective: objective)
        #expect(resumed.x == b.x && resumed.iterations == b.iterations && resumed.stop == .function)
    }
}
