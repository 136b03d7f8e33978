import Tensors
import Optimizers
import Sequences
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Fits an autoregressive DCA model: L independent weighted multinomial logistic regressions
/// (`ArDCAObjective`), each minimised by L-BFGS, run in parallel over positions.
///
/// Defaults follow ArDCA.jl (`ardca`) — weights at 80% identity, normalised to Σ w = 1, entropic
/// order (columns by increasing weighted entropy S_i = −Σ_a f_i(a) log f_i(a), most conserved
/// first), stop at a relative decrease below 10⁻⁵ per iteration (`seqgen fit` passes its
/// --tolerance, 10⁻⁴) — except the regularisation: λ_J = λ_h = 3·10⁻³ (`defaultLambda`).
/// ArDCA.jl's 10⁻² is its contact-prediction setting, its generation script uses 10⁻⁴. The
/// principle: the likelihood of family members the fit has not seen, measured on held-out
/// clusters sharing < 80% identity with every fitted sequence (`ArDCACrossValidation`, no mutation
/// scan involved), peaks at 3·10⁻³–10⁻² on every family measured with hundreds of effective
/// sequences (dhfr, UBE4B, BLAT_ECOLX, 1atzA, 1mkcA00; 10⁻¹ on the shallow GFP_AEQVI), and the low
/// end of that range keeps samples closest to the alignment's statistics (dhfr C_ij r 0.92, 0.93
/// at 10⁻³, 0.80 at 10⁻²). 10⁻³, the default until 2026-12-06, was the optimum of a random split,
/// which leaves near-copies of the held-out sequences in the fitted part. `--cross-validate`
/// chooses λ per alignment (README, "How ArDCA's regularisation was chosen").
/// Fields start at the log-frequencies of the column (pseudocount 10⁻³ per state), couplings at 0.
/// Position 0 has no earlier positions: its regression fits the fields alone.
public struct ArDCAFit: Sendable {
    public enum Ordering: String, Sendable, CaseIterable {
        /// Increasing column entropy (ArDCA's default and best-performing order).
        case entropic
        /// The alignment's column order.
        case natural
    }

    /// λ_J = λ_h by default (see the type's comment for how it was chosen).
    public static let defaultLambda: Float = 3e-3

    public var lambdaCouplings: Float = ArDCAFit.defaultLambda
    public var lambdaFields: Float = ArDCAFit.defaultLambda
    public var ordering = Ordering.entropic
    public var maxIterations = 1000
    /// Stop a site when an iteration lowers F_p by less than this fraction of |F_p|.
    public var relativeTolerance = 1e-5
    public var memory = 10
    /// The BLAS thread count the fit holds at one while it runs (a recorder in tests).
    public var blasThreads = BLASThreads.openBLAS

    public init(lambdaCouplings: Float = ArDCAFit.defaultLambda, lambdaFields: Float = ArDCAFit.defaultLambda, ordering: Ordering = .entropic,
                maxIterations: Int = 1000, relativeTolerance: Double = 1e-5, memory: Int = 10) {
        self.lambdaCouplings = lambdaCouplings; self.lambdaFields = lambdaFields; self.ordering = ordering
        self.maxIterations = maxIterations; self.relativeTolerance = relativeTolerance; self.memory = memory
    }

    /// Bytes a fit needs at its peak, when the model is written: the codes (N·L), the packed
    /// parameters, the archive's full (L, L, q, q) J beside them, and per worker L-BFGS's vectors of
    /// the largest site (L·q² floats). Measured peak / estimate (whole process, 1000 sequences):
    /// 0.95–0.99 for L = 50–400 (README).
    public static func memoryEstimate(sequences n: Int, length l: Int, states q: Int, memory m: Int, workers: Int) -> Int {
        n * l + 4 * ArDCAModel.parameterCount(length: l, states: q) + 4 * l * l * q * q
            + workers * (2 * m + 6) * 4 * ArDCAModel.blockSize(position: l, states: q)
    }

    /// Columns by increasing weighted entropy (ties: column order).
    public static func entropicOrder(_ msa: MultipleSequenceAlignment, weights: [Float]) -> [Int] {
        let (l, q) = (msa.length, msa.alphabet.size)
        var f = [Double](repeating: 0, count: l * q)
        var total = 0.0
        msa.codes.withUnsafeBufferPointer { c in
            for n in 0..<msa.count {
                let w = Double(weights[n]); total += w
                for i in 0..<l { f[i * q + Int(c[n * l + i])] += w }
            }
        }
        let entropy = (0..<l).map { i -> Double in
            var s = 0.0
            for a in 0..<q { let p = f[i * q + a] / total; if p > 0 { s -= p * Glibc.log(p) } }
            return s
        }
        return (0..<l).sorted { entropy[$0] < entropy[$1] || (entropy[$0] == entropy[$1] && $0 < $1) }
    }

    public struct SiteResult: Sendable, Equatable {
        public var objective: Double
        public var iterations: Int
        public var evaluations: Int
        public var stop: LBFGS.Stop
        public init(objective: Double, iterations: Int, evaluations: Int, stop: LBFGS.Stop) {
            self.objective = objective; self.iterations = iterations; self.evaluations = evaluations; self.stop = stop
        }
    }

    public struct Result: Sendable {
        public var model: ArDCAModel
        /// Σ_p F_p: the regularised weighted negative log-likelihood per sequence.
        public var objective: Double
        /// One entry per position, in generation order.
        public var sites: [SiteResult]
        /// The first site whose fit ended non-finite ("position 7 (column 12)"), nil if none.
        public var nonFinite: String?
    }

    /// The regressions fitted so far, in generation order: θ with each fitted position's block
    /// (zeros elsewhere) and each position's result, nil while it is not fitted. A fit continued
    /// from it (`fit(…, resumingFrom:)`) fits only the others, and each regression is the same
    /// whichever run fits it, so the model is the uninterrupted run's bit for bit.
    public struct Partial: Sendable, Equatable {
        public var parameters: [Float]
        public var sites: [SiteResult?]
        public init(parameters: [Float], sites: [SiteResult?]) { self.parameters = parameters; self.sites = sites }
        public var fittedCount: Int { sites.reduce(0) { $0 + ($1 == nil ? 0 : 1) } }
    }

    /// The fit. `progress(fitted)` is called from the fitting threads (serialised) after each
    /// site. `stop` (a stop request, asked before each site and after each L-BFGS iteration) ends
    /// the fit early: the regressions under way are dropped and the result is nil. `checkpoint(fitted,
    /// state)` is offered the state after each site and once more after a stop (`state()` copies θ:
    /// call it only when saving); returning false stops the fit as `stop` does.
    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], resumingFrom saved: Partial?,
                    progress: ((Int) -> Void)? = nil, stop: (() -> Bool)? = nil,
                    checkpoint: ((Int, () -> Partial) -> Bool)? = nil) -> Result? {
        // One logistic regression per worker thread: OpenBLAS gets one thread meanwhile.
        blasThreads.holdingOne { fitHoldingBLAS(msa, weights: weights, saved: saved, progress: progress, stop: stop, checkpoint: checkpoint) }
    }

    /// The whole fit, with no stop request (never nil).
    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], progress: ((Int) -> Void)? = nil) -> Result {
        fit(msa, weights: weights, resumingFrom: nil, progress: progress, stop: nil, checkpoint: nil)!
    }

    private func fitHoldingBLAS(_ msa: MultipleSequenceAlignment, weights: [Float], saved: Partial?, progress: ((Int) -> Void)?,
                                stop: (() -> Bool)?, checkpoint: ((Int, () -> Partial) -> Bool)?) -> Result? {
        nonisolated(unsafe) let (report, stopRequested, offer) = (progress, stop, checkpoint)
        let (n, l, q) = (msa.count, msa.length, msa.alphabet.size)
        let order = ordering == .entropic ? ArDCAFit.entropicOrder(msa, weights: weights) : Array(0..<l)
        var permuted = [UInt8](repeating: 0, count: n * l)
        for s in 0..<n { for p in 0..<l { permuted[s * l + p] = msa.codes[s * l + order[p]] } }
        let objective = ArDCAObjective(positionOrderedCodes: permuted, count: n, length: l, states: q, weights: weights,
                                       lambdaCouplings: lambdaCouplings, lambdaFields: lambdaFields)
        // Fields start at log-frequencies.
        var frequencies = [Double](repeating: 0, count: l * q)
        for s in 0..<n { for p in 0..<l { frequencies[p * q + Int(permuted[s * l + p])] += Double(objective.weights[s]) } }
        var theta = saved?.parameters ?? [Float](repeating: 0, count: ArDCAModel.parameterCount(length: l, states: q))
        var sites = saved?.sites ?? [SiteResult?](repeating: nil, count: l)
        precondition(theta.count == ArDCAModel.parameterCount(length: l, states: q) && sites.count == l, "a saved ArDCA fit of another size")
        // Longest-processing-time assignment of the positions left to workers (a site costs ∝ p + 1).
        let left = (0..<l).filter { sites[$0] == nil }
        let workers = Swift.max(1, Swift.min(Parallel.availableThreads, left.count))
        let assignment = ArDCAFit.balance(left.count, workers: workers) { Double(left[$0] + 1) }.map { $0.map { left[$0] } }
        let solver = LBFGS(memory: memory, maxIterations: maxIterations, gradientTolerance: 1e-7, functionTolerance: relativeTolerance)
        let lock = Lock()
        // Guarded by `lock`: sites fitted, and whether the fit is stopping.
        nonisolated(unsafe) var fitted = l - left.count, stopping = false
        theta.withUnsafeMutableBufferPointer { tb in
            sites.withUnsafeMutableBufferPointer { sb in
                frequencies.withUnsafeBufferPointer { fb in
                    nonisolated(unsafe) let (tp, sp, fp) = (tb, sb, fb.baseAddress!)
                    /// θ and the results so far (called under `lock`).
                    @Sendable func partial() -> Partial { Partial(parameters: Array(tp), sites: Array(sp)) }
                    @Sendable func stopped() -> Bool { lock.locked { stopping = stopping || (stopRequested?() ?? false); return stopping } }
                    let body: @Sendable (Int) -> Void = { worker in Parallel.$insideWorker.withValue(true) {
                        var scratch = [Float](repeating: 0, count: 2 * q)
                        for p in assignment[worker] {
                            if stopped() { return }
                            let size = objective.parameterCount(position: p)
                            var x0 = [Float](repeating: 0, count: size)
                            for a in 0..<q { x0[p * q * q + a] = Float(Glibc.log(fp[p * q + a] + 1e-3)) }
                            let r = scratch.withUnsafeMutableBufferPointer { scr in
                                solver.minimize(x0, callback: { _, _, _ in !stopped() }) { x, g in
                                    x.withUnsafeBufferPointer { xb in
                                        g.withUnsafeMutableBufferPointer { gb in
                                            let f = objective.evaluate(position: p, xb.baseAddress!, gb.baseAddress!, scratch: scr.baseAddress!)
                                            return f.isFinite ? f : .nan
                                        }
                                    }
                                }
                            }
                            if r.stop == .callback { return }          // dropped: fitted again on resume
                            lock.locked {
                                let start = ArDCAModel.offset(position: p, states: q)
                                for k in 0..<size { tp[start + k] = r.x[k] }
                                sp[p] = SiteResult(objective: r.value, iterations: r.iterations, evaluations: r.evaluations, stop: r.stop)
                                fitted += 1
                                report?(fitted)
                                if let offer, !offer(fitted, partial) { stopping = true }
                            }
                        }
                    } }
                    if workers == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: body) }
                    if stopping, let offer { _ = lock.locked { offer(fitted, partial) } }
                }
            }
        }
        if stopping { return nil }
        let results = sites.map { $0! }
        let bad = (0..<l).first { !results[$0].objective.isFinite || !theta[ArDCAModel.offset(position: $0, states: q)..<ArDCAModel.offset(position: $0 + 1, states: q)].allSatisfy(\.isFinite) }
        return Result(model: ArDCAModel(alphabet: msa.alphabet, order: order, parameters: theta),
                      objective: results.reduce(0) { $0 + $1.objective }, sites: results,
                      nonFinite: bad.map { "position \($0) (column \(order[$0] + 1))" })
    }
}

extension ArDCAFit {
    /// Longest-processing-time assignment of items 0..<count (costliest first, each to the least
    /// loaded worker): the item lists of each worker.
    static func balance(_ count: Int, workers: Int, cost: (Int) -> Double) -> [[Int]] {
        var assignment = [[Int]](repeating: [], count: workers)
        var load = [Double](repeating: 0, count: workers)
        for item in (0..<count).sorted(by: { cost($0) > cost($1) }) {
            let w = load.indices.min { load[$0] < load[$1] }!
            assignment[w].append(item); load[w] += cost(item)
        }
        return assignment
    }
}
