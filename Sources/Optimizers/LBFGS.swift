import Tensors
import Autodiff

/// Limited-memory BFGS (Nocedal & Wright 2006, Alg. 7.4/7.5) with a line search that
/// satisfies the strong Wolfe conditions (Alg. 3.5/3.6, cubic interpolation in `zoom`):
///   f(x + αd) ≤ f(x) + c₁α∇fᵀd,   |∇f(x + αd)ᵀd| ≤ c₂|∇fᵀd|.
///
/// Works on one flat `Float` vector so that fused objectives (the Potts pseudolikelihood)
/// avoid any tensor overhead; vector passes are threaded and dot products accumulate in double.
/// The two-loop recursion runs on the pairs' inner products (`PairProducts`), so an iteration
/// streams the vectors twice (the new pair's products, then the direction) instead of 4m times:
/// with cheap objectives (few sequences, millions of couplings) those passes are most of the time.
/// Memory: (2m + 3)·n floats (`vectorCount`): x, ∇f, the direction d and the m pairs (s, y); the
/// line search's trial point and gradient use the storage of the oldest pair, which the new pair
/// replaces (before the history is full: two fresh vectors, at most 2(m − 1) + 5 in all).
public struct LBFGS: Sendable {
    public var memory = 10
    public var maxIterations = 200
    /// Stop when ‖∇f‖ ≤ gradientTolerance · max(1, ‖x‖).
    public var gradientTolerance: Float = 1e-5
    /// Stop when (f_{k−w} − f_k) ≤ functionTolerance · max(1, |f_k|), w = `functionWindow`: the
    /// decrease over the last w iterations, so one slow step (common in L-BFGS) does not end a run
    /// that is still moving. No function test before w iterations.
    public var functionTolerance: Double = 0
    public var functionWindow = 1
    public var c1 = 1e-4, c2 = 0.9
    public var maxLineSearchEvaluations = 25
    /// A diagonal preconditioner M (n positive entries ≈ the inverse of the Hessian's diagonal, up to
    /// scale), or nil for none. The two-loop recursion's initial matrix becomes H₀ = γ·M with
    /// γ = sᵀy / (yᵀMy) from the newest pair (Nocedal & Wright §7.2, eq. 7.20 with a diagonal
    /// scaling), and the first step is d = −M·∇f with a unit trial step: L-BFGS on the rescaled
    /// variables M^{−1/2}x. Problems whose curvature differs by orders of magnitude between blocks of
    /// variables (Potts fields vs rare coupling pairs) need fewer iterations.
    public var preconditioner: [Float]?

    public init(memory: Int = 10, maxIterations: Int = 200, gradientTolerance: Float = 1e-5, functionTolerance: Double = 0) {
        self.memory = memory; self.maxIterations = maxIterations
        self.gradientTolerance = gradientTolerance; self.functionTolerance = functionTolerance
    }

    /// The most n-float vectors `minimize` holds at once (see the type's doc comment).
    public static func vectorCount(memory m: Int) -> Int { 2 * m + 3 }

    public enum Stop: String, Sendable, CaseIterable { case gradient, function, maxIterations, lineSearch, callback, abandoned }

    public struct Result: Sendable {
        public var x: [Float]
        public var value: Double
        public var gradientNorm: Float
        public var iterations: Int
        public var evaluations: Int
        public var stop: Stop
    }

    /// Everything the iteration carries from one step to the next: resuming from a saved state
    /// continues bit for bit as if the run had not stopped (for a deterministic objective).
    public struct State: Sendable, Equatable {
        public var x: [Float], gradient: [Float]
        public var value: Double
        /// Correction pairs s_k = x_{k+1} − x_k, y_k = ∇f_{k+1} − ∇f_k, oldest first.
        public var s: [[Float]], y: [[Float]]
        public var iteration: Int, evaluations: Int
        /// f_{k−w} − f_k of the last iteration (the stopping test is repeated on resume).
        public var lastDecrease: Double
        /// f of the last (up to w) iterates before the current one, oldest first.
        public var recentValues: [Double]
        /// The line search a stop request dropped (`abandoningWhen`), to be searched again on resume;
        /// nil when the state is taken between iterations.
        public var pending: PendingSearch?
        public init(x: [Float], gradient: [Float], value: Double, s: [[Float]], y: [[Float]], iteration: Int, evaluations: Int, lastDecrease: Double,
                    recentValues: [Double] = [], pending: PendingSearch? = nil) {
            self.x = x; self.gradient = gradient; self.value = value; self.s = s; self.y = y
            self.iteration = iteration; self.evaluations = evaluations; self.lastDecrease = lastDecrease
            self.recentValues = recentValues; self.pending = pending
        }
    }

    /// A line search dropped part-way: its direction d (made from the history before the oldest
    /// pair left it, which `s`, `y` no longer hold), ∇fᵀd and first trial step. Resuming searches
    /// along d again, so the run continues bit for bit as if it had not stopped.
    public struct PendingSearch: Sendable, Equatable {
        public var direction: [Float]
        public var slope: Double, initialStep: Double
        public init(direction: [Float], slope: Double, initialStep: Double) {
            self.direction = direction; self.slope = slope; self.initialStep = initialStep
        }
    }

    /// The error a line search ends with when `abandoningWhen` holds after an evaluation.
    struct Abandoned: Error {}

    /// `objective(x, &gradient)` returns f(x) and writes ∇f(x) into `gradient` (length n).
    /// `callback(iteration, f, ‖∇f‖)` runs after each iteration; returning false stops.
    /// `checkpoint(iteration, state)` runs just before it; `state()` copies the full state (call it
    /// only when saving). `resumingFrom` continues a saved run (x0 is then ignored); iterations
    /// count from the start of the original run.
    /// `abandoningWhen` (a stop request) is asked after each line-search evaluation: when it holds,
    /// the search is dropped — the objective may then return early with anything — `checkpoint` is
    /// offered the last iterate's state with the search pending (`State.pending`), and the run
    /// stops (`.abandoned`). An iteration whose evaluations take minutes need not finish first.
    public func minimize(_ x0: consuming [Float], resumingFrom saved: State? = nil,
                         callback: ((Int, Double, Float) -> Bool)? = nil,
                         checkpoint: ((Int, () -> State) -> Void)? = nil,
                         abandoningWhen abandon: (() -> Bool)? = nil,
                         objective: (_ x: [Float], _ gradient: inout [Float]) -> Double) -> Result {
        var x: [Float], g: [Float], f: Double, evaluations: Int, iteration: Int
        var s: [[Float]] = [], y: [[Float]] = []
        var recent: [Double] = saved?.recentValues ?? []
        var pending = saved?.pending
        let window = Swift.max(1, functionWindow)
        if let saved {
            _ = consume x0
            (x, g, f, evaluations, iteration) = (saved.x, saved.gradient, saved.value, saved.evaluations, saved.iteration)
            (s, y) = (saved.s, saved.y)
        } else {
            x = consume x0         // the caller's start vector is not kept beside x
            g = [Float](repeating: 0, count: x.count)
            f = objective(x, &g)
            (evaluations, iteration) = (1, 0)
        }
        let n = x.count
        if let m = preconditioner { precondition(m.count == n, "one preconditioner entry per variable") }
        var products = PairProducts(x: x, g: g, s: s, y: y, weight: preconditioner)
        var d = pending?.direction ?? [Float](repeating: 0, count: n)
        // The line search's trial point and gradient; they become the new pair (s, y).
        var xTrial: [Float] = [], gTrial: [Float] = []
        var stop = Stop.maxIterations
        if let saved, saved.lastDecrease <= functionTolerance * Swift.max(1, Swift.abs(f)) {
            return Result(x: x, value: f, gradientNorm: products.gradientNorm, iterations: iteration, evaluations: evaluations, stop: .function)
        }

        while iteration < maxIterations {
            let gnorm = products.gradientNorm
            if gnorm <= gradientTolerance * Swift.max(1, Float(products.xx.squareRoot())) { stop = .gradient; break }
            let slope: Double, initialStep: Double
            if let p = pending {                           // resuming a dropped search: d is its direction
                (slope, initialStep) = (p.slope, p.initialStep)
                pending = nil
            } else {
                var direction = products.direction()
                if !(direction.slope < 0) {                // not a descent direction: restart
                    s.removeAll(); y.removeAll(); products.removeAllPairs()
                    direction = products.direction()
                }
                VectorOps.combination(into: &d, weight: preconditioner, alpha: direction.gamma, g: g,
                                      ys: y, a: direction.yCoefficients, ss: s, c: direction.sCoefficients)
                slope = direction.slope
                initialStep = s.isEmpty && preconditioner == nil ? Double(1 / Swift.max(gnorm, 1e-12)) : 1
                // Once the history is full the oldest pair goes (d no longer needs it): its storage
                // holds the trial point, so no fresh vectors are allocated per iteration.
                if s.count == memory { xTrial = s.removeFirst(); gTrial = y.removeFirst(); products.removeOldestPair() }
            }
            if xTrial.count != n { xTrial = [Float](repeating: 0, count: n); gTrial = [Float](repeating: 0, count: n) }
            let search: (value: Double?, evaluations: Int)
            do {
                search = try lineSearch(x, f, slope, d, initialStep, &xTrial, &gTrial, abandon, objective)
            } catch {
                stop = .abandoned
                if let checkpoint {
                    checkpoint(iteration) { State(x: x, gradient: g, value: f, s: s, y: y, iteration: iteration, evaluations: evaluations,
                                                  lastDecrease: recent.count == window ? recent[0] - f : .infinity, recentValues: recent,
                                                  pending: PendingSearch(direction: d, slope: slope, initialStep: initialStep)) }
                }
                break
            }
            evaluations += search.evaluations
            guard let fNew = search.value else {
                if s.isEmpty { stop = .lineSearch; break }
                s.removeAll(); y.removeAll(); products.removeAllPairs()   // retry once from steepest descent
                continue
            }
            // s_k = x_{k+1} − x_k, y_k = g_{k+1} − g_k, in the old x and g's storage, formed in the
            // same pass that takes every inner product the next direction needs.
            swap(&x, &xTrial); swap(&g, &gTrial)
            if products.accept(x: x, g: g, newS: &xTrial, newY: &gTrial, s: s, y: y, weight: preconditioner) {
                s.append(xTrial); y.append(gTrial)
                xTrial = []; gTrial = []          // now the pair's: not written through again
            }
            recent.append(f)
            if recent.count > window { recent.removeFirst() }
            let decrease = recent.count == window ? recent[0] - fNew : .infinity
            f = fNew
            iteration += 1
            if let checkpoint {
                checkpoint(iteration) { State(x: x, gradient: g, value: f, s: s, y: y, iteration: iteration, evaluations: evaluations, lastDecrease: decrease,
                                           recentValues: recent) }
            }
            if let callback, !callback(iteration, f, products.gradientNorm) { stop = .callback; break }
            if decrease <= functionTolerance * Swift.max(1, Swift.abs(f)) { stop = .function; break }
        }
        return Result(x: x, value: f, gradientNorm: products.gradientNorm, iterations: iteration, evaluations: evaluations, stop: stop)
    }

    /// Strong-Wolfe line search along d from x (f0 = f(x), dg0 = ∇f(x)ᵀd < 0).
    /// On success xT, gT hold the accepted point and its gradient.
    /// Throws `Abandoned` when `abandon` holds after an evaluation.
    private func lineSearch(_ x: [Float], _ f0: Double, _ dg0: Double, _ d: [Float], _ initial: Double,
                            _ xT: inout [Float], _ gT: inout [Float], _ abandon: (() -> Bool)?,
                            _ objective: (_ x: [Float], _ gradient: inout [Float]) -> Double) throws -> (value: Double?, evaluations: Int) {
        var evaluations = 0
        func phi(_ a: Double) throws -> (Double, Double) {
            VectorOps.addScaled(x, Float(a), d, into: &xT)
            let v = objective(xT, &gT)
            if let abandon, abandon() { throw Abandoned() }
            evaluations += 1
            return (v, dot(gT, d))
        }
        var aPrev = 0.0, fPrev = f0, dPrev = dg0
        var a = initial
        for i in 0..<maxLineSearchEvaluations {
            let (fa, da) = try phi(a)
            if !fa.isFinite { a *= 0.1; continue }        // stepped out of the domain: shrink
            if fa > f0 + c1 * a * dg0 || (i > 0 && fa >= fPrev) {
                return (try zoom(aPrev, fPrev, dPrev, a, fa, da), evaluations)
            }
            if Swift.abs(da) <= -c2 * dg0 { return (fa, evaluations) }
            if da >= 0 { return (try zoom(a, fa, da, aPrev, fPrev, dPrev), evaluations) }
            aPrev = a; fPrev = fa; dPrev = da
            a *= 2
        }
        return (nil, evaluations)

        /// Shrinks [lo, hi] (lo satisfies sufficient decrease) until strong Wolfe holds.
        func zoom(_ lo0: Double, _ flo0: Double, _ dlo0: Double, _ hi0: Double, _ fhi0: Double, _ dhi0: Double) throws -> Double? {
            var (lo, flo, dlo, hi, fhi, dhi) = (lo0, flo0, dlo0, hi0, fhi0, dhi0)
            var best: (Double, Double)? = lo > 0 ? (lo, flo) : nil
            while evaluations < maxLineSearchEvaluations {
                var a = cubicMinimizer(lo, flo, dlo, hi, fhi, dhi)
                let (l, h) = (Swift.min(lo, hi), Swift.max(lo, hi))
                let margin = 0.1 * (h - l)
                if !a.isFinite || a < l + margin || a > h - margin { a = 0.5 * (lo + hi) }
                if h - l < 1e-12 * Swift.max(1, h) { break }
                let (fa, da) = try phi(a)
                if !fa.isFinite || fa > f0 + c1 * a * dg0 || fa >= flo {
                    hi = a; fhi = fa.isFinite ? fa : .greatestFiniteMagnitude; dhi = da
                } else {
                    if Swift.abs(da) <= -c2 * dg0 { return fa }
                    if da * (hi - lo) >= 0 { hi = lo; fhi = flo; dhi = dlo }
                    lo = a; flo = fa; dlo = da
                    best = (a, fa)
                }
            }
            // No strong-Wolfe point within budget: accept the best sufficient-decrease point, if any.
            guard let (a, fa) = best, fa < f0 else { return nil }
            if try phi(a).0 != fa { return nil }
            return fa
        }
    }

    /// Minimiser of the cubic through (a, fa, fa′) and (b, fb, fb′) (N&W eq. 3.59).
    private func cubicMinimizer(_ a: Double, _ fa: Double, _ da: Double, _ b: Double, _ fb: Double, _ db: Double) -> Double {
        let d1 = da + db - 3 * (fa - fb) / (a - b)
        let disc = d1 * d1 - da * db
        guard disc >= 0 else { return .nan }
        let d2 = (b > a ? 1.0 : -1.0) * disc.squareRoot()
        return b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2)
    }

    private func dot(_ a: [Float], _ b: [Float]) -> Double { VectorOps.dot(a, b) }
}

extension LBFGS {
    /// Minimises a scalar `loss()` built from `parameters` through the autodiff tape.
    @discardableResult
    public func minimize(_ parameters: [Variable], loss: () -> Variable) -> Result {
        let sizes = parameters.map(\.value.count)
        func load(_ x: [Float]) {
            var o = 0
            for (p, n) in zip(parameters, sizes) { p.value.scalars = Array(x[o..<(o + n)]); o += n }
        }
        let x0 = parameters.flatMap(\.value.scalars)
        let result = minimize(x0) { x, gradient in
            load(x)
            for p in parameters { p.zeroGrad() }
            let l = loss()
            l.backward()
            var o = 0
            for (p, n) in zip(parameters, sizes) {
                if let g = p.grad { for i in 0..<n { gradient[o + i] = g.scalars[i] } }
                else { for i in 0..<n { gradient[o + i] = 0 } }
                o += n
            }
            return Double(l.item)
        }
        load(result.x)
        return result
    }
}
