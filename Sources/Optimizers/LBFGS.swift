import CBLAS
import Tensors
import Autodiff

/// Limited-memory BFGS (Nocedal & Wright 2006, Alg. 7.4/7.5) with a line search that
/// satisfies the strong Wolfe conditions (Alg. 3.5/3.6, cubic interpolation in `zoom`):
///   f(x + αd) ≤ f(x) + c₁α∇fᵀd,   |∇f(x + αd)ᵀd| ≤ c₂|∇fᵀd|.
///
/// Works on one flat `Float` vector so that fused objectives (the Potts pseudolikelihood)
/// avoid any tensor overhead; vector passes are threaded and dot products accumulate in double.
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

    public enum Stop: String, Sendable { case gradient, function, maxIterations, lineSearch, callback }

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
        public init(x: [Float], gradient: [Float], value: Double, s: [[Float]], y: [[Float]], iteration: Int, evaluations: Int, lastDecrease: Double,
                    recentValues: [Double] = []) {
            self.x = x; self.gradient = gradient; self.value = value; self.s = s; self.y = y
            self.iteration = iteration; self.evaluations = evaluations; self.lastDecrease = lastDecrease
            self.recentValues = recentValues
        }
    }

    /// `objective(x, &gradient)` returns f(x) and writes ∇f(x) into `gradient` (length n).
    /// `callback(iteration, f, ‖∇f‖)` runs after each iteration; returning false stops.
    /// `checkpoint(iteration, state)` runs just before it; `state()` copies the full state (call it
    /// only when saving). `resumingFrom` continues a saved run (x0 is then ignored); iterations
    /// count from the start of the original run.
    public func minimize(_ x0: consuming [Float], resumingFrom saved: State? = nil,
                         callback: ((Int, Double, Float) -> Bool)? = nil,
                         checkpoint: ((Int, () -> State) -> Void)? = nil,
                         objective: (_ x: [Float], _ gradient: inout [Float]) -> Double) -> Result {
        var x: [Float], g: [Float], f: Double, evaluations: Int, iteration: Int
        var s: [[Float]] = [], y: [[Float]] = [], rho: [Double] = []
        var recent: [Double] = saved?.recentValues ?? []
        let window = Swift.max(1, functionWindow)
        if let saved {
            _ = consume x0
            (x, g, f, evaluations, iteration) = (saved.x, saved.gradient, saved.value, saved.evaluations, saved.iteration)
            (s, y) = (saved.s, saved.y)
            rho = zip(s, y).map { 1 / dot($0.0, $0.1) }
        } else {
            x = consume x0         // the caller's start vector is not kept beside x
            g = [Float](repeating: 0, count: x.count)
            f = objective(x, &g)
            (evaluations, iteration) = (1, 0)
        }
        let n = x.count
        var d = [Float](repeating: 0, count: n)
        // The line search's trial point and gradient; they become the new pair (s, y).
        var xTrial: [Float] = [], gTrial: [Float] = []
        var gnorm = norm(g)
        var stop = Stop.maxIterations
        if let saved, saved.lastDecrease <= functionTolerance * Swift.max(1, Swift.abs(f)) {
            return Result(x: x, value: f, gradientNorm: gnorm, iterations: iteration, evaluations: evaluations, stop: .function)
        }

        while iteration < maxIterations {
            if gnorm <= gradientTolerance * Swift.max(1, norm(x)) { stop = .gradient; break }
            direction(g, s, y, rho, into: &d)
            var dg = dot(d, g)
            if !(dg < 0) {                                 // not a descent direction: restart
                s.removeAll(); y.removeAll(); rho.removeAll()
                direction(g, s, y, rho, into: &d); dg = dot(d, g)
            }
            let initialStep = s.isEmpty && preconditioner == nil ? Double(1 / Swift.max(gnorm, 1e-12)) : 1
            // Once the history is full the oldest pair goes (d no longer needs it): its storage holds
            // the trial point, so no fresh vectors are allocated per iteration.
            if s.count == memory { xTrial = s.removeFirst(); gTrial = y.removeFirst(); rho.removeFirst() }
            if xTrial.count != n { xTrial = [Float](repeating: 0, count: n); gTrial = [Float](repeating: 0, count: n) }
            let search = lineSearch(x, f, dg, d, initialStep, &xTrial, &gTrial, objective)
            evaluations += search.evaluations
            guard let fNew = search.value else {
                if s.isEmpty { stop = .lineSearch; break }
                s.removeAll(); y.removeAll(); rho.removeAll()   // retry once from steepest descent
                continue
            }
            // s_k = x_{k+1} − x_k, y_k = g_{k+1} − g_k, in the old x and g's storage.
            swap(&x, &xTrial); swap(&g, &gTrial)
            subtract(x, from: &xTrial)
            subtract(g, from: &gTrial)
            let sy = dot(xTrial, gTrial), yy = dot(gTrial, gTrial)
            if sy > 1e-10 * yy {
                s.append(xTrial); y.append(gTrial); rho.append(1 / sy)
                xTrial = []; gTrial = []          // now the pair's: not written through again
            }
            recent.append(f)
            if recent.count > window { recent.removeFirst() }
            let decrease = recent.count == window ? recent[0] - fNew : .infinity
            f = fNew
            gnorm = norm(g)
            iteration += 1
            if let checkpoint {
                checkpoint(iteration) { State(x: x, gradient: g, value: f, s: s, y: y, iteration: iteration, evaluations: evaluations, lastDecrease: decrease,
                                           recentValues: recent) }
            }
            if let callback, !callback(iteration, f, gnorm) { stop = .callback; break }
            if decrease <= functionTolerance * Swift.max(1, Swift.abs(f)) { stop = .function; break }
        }
        return Result(x: x, value: f, gradientNorm: gnorm, iterations: iteration, evaluations: evaluations, stop: stop)
    }

    /// d = −H·g by the two-loop recursion, with H₀ = (sᵀy / yᵀy)·I from the newest pair, or
    /// H₀ = (sᵀy / yᵀMy)·M with a `preconditioner` M (M alone before the first pair).
    private func direction(_ g: [Float], _ s: [[Float]], _ y: [[Float]], _ rho: [Double], into d: inout [Float]) {
        copy(g, into: &d)
        var alpha = [Double](repeating: 0, count: s.count)
        for k in stride(from: s.count - 1, through: 0, by: -1) {
            alpha[k] = rho[k] * dot(s[k], d)
            VectorOps.axpy(Float(-alpha[k]), y[k], &d)
        }
        if let m = preconditioner {
            precondition(m.count == d.count, "one preconditioner entry per variable")
            VectorOps.multiply(m, &d)
            if let sl = s.last, let yl = y.last { VectorOps.scale(Float(dot(sl, yl) / VectorOps.weightedDot(yl, m, yl)), &d) }
        } else if let sl = s.last, let yl = y.last { VectorOps.scale(Float(dot(sl, yl) / dot(yl, yl)), &d) }
        for k in 0..<s.count {
            let beta = rho[k] * dot(y[k], d)
            VectorOps.axpy(Float(alpha[k] - beta), s[k], &d)
        }
        VectorOps.scale(-1, &d)
    }

    /// Strong-Wolfe line search along d from x (f0 = f(x), dg0 = ∇f(x)ᵀd < 0).
    /// On success xT, gT hold the accepted point and its gradient.
    private func lineSearch(_ x: [Float], _ f0: Double, _ dg0: Double, _ d: [Float], _ initial: Double,
                            _ xT: inout [Float], _ gT: inout [Float],
                            _ objective: (_ x: [Float], _ gradient: inout [Float]) -> Double) -> (value: Double?, evaluations: Int) {
        var evaluations = 0
        func phi(_ a: Double) -> (Double, Double) {
            copy(x, into: &xT)
            VectorOps.axpy(Float(a), d, &xT)
            let v = objective(xT, &gT)
            evaluations += 1
            return (v, dot(gT, d))
        }
        var aPrev = 0.0, fPrev = f0, dPrev = dg0
        var a = initial
        for i in 0..<maxLineSearchEvaluations {
            let (fa, da) = phi(a)
            if !fa.isFinite { a *= 0.1; continue }        // stepped out of the domain: shrink
            if fa > f0 + c1 * a * dg0 || (i > 0 && fa >= fPrev) {
                return (zoom(aPrev, fPrev, dPrev, a, fa, da), evaluations)
            }
            if Swift.abs(da) <= -c2 * dg0 { return (fa, evaluations) }
            if da >= 0 { return (zoom(a, fa, da, aPrev, fPrev, dPrev), evaluations) }
            aPrev = a; fPrev = fa; dPrev = da
            a *= 2
        }
        return (nil, evaluations)

        /// Shrinks [lo, hi] (lo satisfies sufficient decrease) until strong Wolfe holds.
        func zoom(_ lo0: Double, _ flo0: Double, _ dlo0: Double, _ hi0: Double, _ fhi0: Double, _ dhi0: Double) -> Double? {
            var (lo, flo, dlo, hi, fhi, dhi) = (lo0, flo0, dlo0, hi0, fhi0, dhi0)
            var best: (Double, Double)? = lo > 0 ? (lo, flo) : nil
            while evaluations < maxLineSearchEvaluations {
                var a = cubicMinimizer(lo, flo, dlo, hi, fhi, dhi)
                let (l, h) = (Swift.min(lo, hi), Swift.max(lo, hi))
                let margin = 0.1 * (h - l)
                if !a.isFinite || a < l + margin || a > h - margin { a = 0.5 * (lo + hi) }
                if h - l < 1e-12 * Swift.max(1, h) { break }
                let (fa, da) = phi(a)
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
            if phi(a).0 != fa { return nil }
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

    /// out ← a − out (out already has a's length).
    private func subtract(_ a: [Float], from out: inout [Float]) {
        let n = out.count
        precondition(a.count == n)
        a.withUnsafeBufferPointer { ab in
                out.withUnsafeMutableBufferPointer { ob in
                nonisolated(unsafe) let (x, z) = (ab.baseAddress!, ob.baseAddress!)
                Parallel.forEachChunk(n, minimumPerThread: 1 << 16) { r in for i in r { z[i] = x[i] - z[i] } }
                }
            }
        }

    /// out ← a, in out's own storage when it has a's length and is not shared (no allocation).
    private func copy(_ a: [Float], into out: inout [Float]) {
        guard out.count == a.count else { out = a; return }
        a.withUnsafeBufferPointer { ab in
            out.withUnsafeMutableBufferPointer { ob in
                nonisolated(unsafe) let (x, z) = (ab.baseAddress!, ob.baseAddress!)
                Parallel.forEachChunk(a.count, minimumPerThread: 1 << 16) { r in for i in r { z[i] = x[i] } }
            }
        }
    }
    private func norm(_ a: [Float]) -> Float { Float(dot(a, a).squareRoot()) }
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
