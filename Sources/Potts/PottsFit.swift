import Tensors
import Optimizers
import Sequences
#if canImport(Glibc)
import Glibc
#endif

/// Fits a Potts model by minimising the pseudolikelihood objective with L-BFGS.
/// Defaults follow CCMpred/plmc: weights at 80% identity, λ_h = 0.01, λ_J = 0.2·(L − 1) per unique
/// pair (plmc's convention: EVcouplings' λ_J = 0.01·(q−1)·(L−1)), fields initialised from the PSSM,
/// couplings from zero.
///
/// With `gapsAsMissing` (plmc `-g`, EVmutation) the gap is missing data (see `PseudoLikelihood`) and
/// the fields start as plmc's do: h_i(a) = log(f_i(a)·Neff + 1), centred over the 20 residues, with
/// f_i the weighted residue frequencies among the sequences that have a residue at i; the gap's
/// entries are 0 and stay 0.
public struct PottsFit: Sendable {
    public var lambdaFields: Float = 0.01
    /// nil = 0.2·(L − 1).
    public var lambdaCouplings: Float?
    public var maxIterations = 100
    /// Stop when the last `toleranceWindow` iterations together lowered F by less than this fraction
    /// of |F| (0 = never on this test). Over 5 iterations, so that one short step (a line search
    /// that barely moved) does not end a fit that is still descending.
    public var relativeTolerance = 1e-4
    public var toleranceWindow = 5
    /// Stop when ‖∇F‖ ≤ this · max(1, ‖θ‖) (plmc/liblbfgs use 10⁻³).
    public var gradientTolerance: Float = 1e-6
    /// L-BFGS history pairs; nil: `defaultMemory(parameters:)` of the fit's θ.
    public var memory: Int?
    public var gapsAsMissing = false
    /// Precondition L-BFGS with the inverse of an estimate of the Hessian's diagonal
    /// (`inverseCurvatureDiagonal`).
    public var preconditioned = true
    /// The BLAS thread count the fit holds at one while it runs (a recorder in tests).
    public var blasThreads = BLASThreads.openBLAS

    public init(lambdaFields: Float = 0.01, lambdaCouplings: Float? = nil, maxIterations: Int = 100,
                relativeTolerance: Double = 1e-4, gradientTolerance: Float = 1e-6, memory: Int? = nil, gapsAsMissing: Bool = false) {
        self.lambdaFields = lambdaFields; self.lambdaCouplings = lambdaCouplings
        self.maxIterations = maxIterations; self.relativeTolerance = relativeTolerance; self.memory = memory
        self.gradientTolerance = gradientTolerance; self.gapsAsMissing = gapsAsMissing
    }

    /// The L-BFGS history a fit of P = `parameters` values keeps by default: 5 pairs, or 2 once five
    /// would hold more than `historyBudget` bytes of optimizer vectors ((2·5 + 4)·P floats with the
    /// preconditioner: P > 7.7·10⁷, L ≳ 590 at q = 21). Memory then decides whether a fit runs at
    /// all, while two pairs hold 8 vectors in place of 14 and cost little: on the shared families
    /// from 9% fewer to 10% more evaluations at the same P@L (README, "Memory"). At L = 1000, q = 21 the fit then
    /// needs ≈ 7.1 GB, below CCMpred's formula for the same alignment (4 vectors of L²·21² floats
    /// beside its N·L arrays: 8.0 GB at N = 10,000).
    public static func defaultMemory(parameters p: Int) -> Int {
        PottsFitMemory.optimizer(lbfgsMemory: historySizes.full, preconditioned: true, parameters: p) <= historyBudget
            ? historySizes.full : historySizes.reduced
    }

    /// The two default history sizes: pairs kept while they fit `historyBudget`, and beyond it.
    public static let historySizes = (full: 5, reduced: 2)

    /// 4 GiB: a quarter of a 16 GB workstation, which then still holds the objective and the model.
    public static let historyBudget = 4 << 30

    /// Bytes a fit needs at its peak (see `PottsFitMemory`).
    /// `slots`: `KernelLayouts.slotCount` of the alignment, `parameters`: `parameterCount(msa, …)`
    /// (nil: every column shows every state).
    public static func memoryEstimate(sequences n: Int, length l: Int, states q: Int, lbfgsMemory m: Int?, threads t: Int, preconditioned: Bool = true,
                                      slots: Int? = nil, parameters: Int? = nil) -> Int {
        PottsFitMemory.peak(sequences: n, length: l, states: q, lbfgsMemory: m, threads: t, preconditioned: preconditioned, slots: slots,
                            parameters: parameters)
    }

    /// Why an alignment cannot be fitted.
    public struct InputError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Rejects alignments a Potts fit cannot use: fewer than 2 sequences or columns, more states
    /// than the kernel supports, or columns that are gaps in every sequence (their couplings are
    /// unidentifiable; drop them with a column-gap filter).
    /// `model` names the fit in the messages (ArDCA and factored attention share these limits).
    public static func check(_ msa: MultipleSequenceAlignment, model: String = "a Potts model") throws {
        let source = msa.source.isEmpty ? "alignment" : msa.source
        guard msa.count >= 2 else { throw InputError(description: "\(source): \(model) needs at least 2 sequences, found \(msa.count)") }
        guard msa.length >= 2 else { throw InputError(description: "\(source): \(model) needs at least 2 columns, found \(msa.length)") }
        guard msa.alphabet.size <= PseudoLikelihood.pad else { throw InputError(description: "\(source): at most \(PseudoLikelihood.pad) states") }
        let slots = KernelLayouts.slotCount(msa, gapsAsMissing: false)
        guard slots <= KernelLayouts.maximumSlots else {
            throw InputError(description: "\(source): its \(msa.length) columns show \(slots - 1) states in all; the Potts kernel indexes at most \(KernelLayouts.maximumSlots - 1): drop gappy columns (--max-col-gaps) or fit a sub-region")
        }
        let empty = msa.columnGapFractions().enumerated().filter { $0.element == 1 }.map { $0.offset + 1 }
        guard empty.isEmpty else {
            throw InputError(description: "\(source): \(empty.count) column(s) are gaps in every sequence (first: column \(empty[0])); drop them with --max-col-gaps 0.99")
        }
    }

    /// Number of parameters in θ with every coupling (L·q fields + L(L−1)/2·q² couplings): an upper
    /// bound on what a fit optimises.
    public static func parameterCount(length l: Int, states q: Int) -> Int { l * q + l * (l - 1) / 2 * q * q }

    /// Number of parameters a fit of `msa` optimises: the fields and the couplings the likelihood
    /// reads (`CouplingParameters.Kind.live`).
    public static func parameterCount(_ msa: MultipleSequenceAlignment, gapsAsMissing: Bool) -> Int {
        CouplingParameters(msa, gapsAsMissing: gapsAsMissing, kind: .live).count
    }

    public struct Result: Sendable {
        public var model: PottsModel
        public var objective: Double
        public var iterations: Int
        public var evaluations: Int
        public var stop: LBFGS.Stop
        /// The L-BFGS history pairs the fit kept (`memory`, or the default for its size).
        public var history: Int
        public var lambdaCouplings: Float
        /// The first evaluation whose objective or gradient was not finite ("evaluation 7:
        /// non-finite gradient in couplings J"); the line search stepped back from it. nil if none.
        public var firstNonFinite: String?
    }

    /// `progress(iteration, F, ‖∇F‖)` after every iteration; return false to stop early.
    /// `checkpoint` and `resume` pass through to `LBFGS.minimize` (save / continue a run).
    /// `abandoningIterationWhen` (a stop request) is polled by the kernel between sites: the
    /// running line search is dropped and `checkpoint` offered the last iterate's state with it
    /// pending (`LBFGS.minimize`'s `abandoningWhen`), so a stop waits for one site, not an iteration.
    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], resume: LBFGS.State? = nil,
                    progress: ((Int, Double, Float) -> Bool)? = nil,
                    checkpoint: ((Int, () -> LBFGS.State) -> Void)? = nil,
                    abandoningIterationWhen stop: (@Sendable () -> Bool)? = nil) -> Result {
        // The fit threads its own kernel and uses only level-1 BLAS: OpenBLAS gets one thread meanwhile.
        blasThreads.holdingOne { fitHoldingBLAS(msa, weights: weights, resume: resume, progress: progress, checkpoint: checkpoint, stop: stop) }
    }

    private func fitHoldingBLAS(_ msa: MultipleSequenceAlignment, weights: [Float], resume: LBFGS.State?,
                    progress: ((Int, Double, Float) -> Bool)?,
                    checkpoint: ((Int, () -> LBFGS.State) -> Void)?, stop: (@Sendable () -> Bool)?) -> Result {
        // The objective is gone before the model's full (L, L, q, q) couplings
        // are built: on a shallow alignment they are the larger of the two.
        let (r, parameters, lambdaJ, firstNonFinite, history) = minimize(msa, weights: weights, resume: resume, progress: progress, checkpoint: checkpoint, stop: stop)
        return Result(model: parameters.model(from: r.x, alphabet: msa.alphabet), objective: r.value, iterations: r.iterations,
                      evaluations: r.evaluations, stop: r.stop, history: history,
                      lambdaCouplings: lambdaJ, firstNonFinite: firstNonFinite)
    }

    private func minimize(_ msa: MultipleSequenceAlignment, weights: [Float], resume: LBFGS.State?,
                          progress: ((Int, Double, Float) -> Bool)?, checkpoint: ((Int, () -> LBFGS.State) -> Void)?,
                          stop: (@Sendable () -> Bool)?)
        -> (LBFGS.Result, CouplingParameters, Float, String?, history: Int) {
        let objective = PseudoLikelihood(msa, weights: weights, lambdaFields: lambdaFields, lambdaCouplings: lambdaCouplings,
                                         gapsAsMissing: gapsAsMissing, couplings: .live)
        let theta = initialParameters(msa, weights: weights, count: objective.parameterCount)
        var solver = LBFGS(memory: memory ?? Self.defaultMemory(parameters: objective.parameterCount), maxIterations: maxIterations, gradientTolerance: gradientTolerance, functionTolerance: relativeTolerance)
        solver.functionWindow = toleranceWindow
        if preconditioned { solver.preconditioner = inverseCurvatureDiagonal(msa, weights: weights, objective: objective) }
        var evaluations = resume?.evaluations ?? 0
        var firstNonFinite: String?
        let fieldCount = msa.length * msa.alphabet.size
        let r = solver.minimize(consume theta, resumingFrom: resume, callback: progress, checkpoint: checkpoint, abandoningWhen: stop) { x, gradient in
            evaluations += 1
            guard let f = objective.evaluate(x, &gradient, abandoningWhen: stop) else { return .nan }   // dropped by L-BFGS
            // A non-finite value anywhere is reported once and handed to the line search as NaN,
            // which steps back from it; it is never accepted as an iterate.
            let bad = f.isFinite && !allFinite(gradient) ? gradient.firstIndex { !$0.isFinite } : nil
            if !f.isFinite || bad != nil {
                if firstNonFinite == nil {
                    let block = bad.map { $0 < fieldCount ? "fields h" : "couplings J" }
                    firstNonFinite = "evaluation \(evaluations): " + (block.map { "non-finite gradient in \($0)" } ?? "non-finite objective")
                }
                return .nan
            }
            return f
        }
        return (r, objective.couplingParameters, objective.lambdaCouplings, firstNonFinite, solver.memory)
    }

    /// 1 / diag(∇²F) estimated at the start (couplings 0, conditionals ≈ the weighted frequencies f_i),
    /// with sites independent (f_ij ≈ f_i·f_j):
    ///   ∂²F/∂h_i(a)² ≈ N_i·p_i(a)(1 − p_i(a)) + 2λ_h,
    ///   ∂²F/∂J_ij(a,b)² ≈ N·f_i(a)·f_j(b)·[(1 − p_i(a)) + (1 − p_j(b))] + 2λ_J,
    /// N = Σ_n w_n, N_i the weight of the sequences that have a term at site i, f the frequencies
    /// over all sequences and p the conditional's (over the residues when gaps are missing data;
    /// gap entries then have the penalty's curvature alone). Fields see every sequence, a coupling
    /// only those with both residues: the two differ by up to N·f_j(b), orders of magnitude on
    /// deep alignments — the spread L-BFGS's scalar initial matrix cannot absorb.
    func inverseCurvatureDiagonal(_ msa: MultipleSequenceAlignment, weights: [Float], objective: PseudoLikelihood) -> [Float] {
        let (l, q) = (msa.length, msa.alphabet.size)
        let missing = gapsAsMissing ? Int(msa.alphabet.gap) : Int.max
        var f = [Double](repeating: 0, count: l * q)
        for s in 0..<msa.count {
            let w = Double(weights[s])
            for i in 0..<l { f[i * q + Int(msa[s, i])] += w }
        }
        let total = weights.reduce(0.0) { $0 + Double($1) }
        var p = f, present = [Double](repeating: total, count: l)
        for i in 0..<l {
            if missing < q { present[i] = total - f[i * q + missing] }
            for a in 0..<q { p[i * q + a] = a == missing || present[i] <= 0 ? 0 : f[i * q + a] / present[i] }
            for a in 0..<q { f[i * q + a] /= Swift.max(total, .leastNormalMagnitude) }
        }
        let (lh, lj) = (2 * Double(lambdaFields), 2 * Double(objective.lambdaCouplings))
        // A floor keeps M finite when a penalty is 0 and a frequency 0 or 1.
        let floor = 1e-6 * Swift.max(total, 1)
        let layout = objective.couplingParameters
        var m = [Float](repeating: 0, count: layout.count)
        for i in 0..<l {
            for a in 0..<q {
                let k = i * q + a
                m[k] = Float(1 / Swift.max((a == missing ? 0 : present[i] * p[k] * (1 - p[k])) + lh, floor))
            }
        }
        layout.forEachEntry { i, j, a, b, k in                  // only the couplings θ holds
            let data = a == missing || b == missing ? 0 : total * f[i * q + a] * f[j * q + b] * ((1 - p[i * q + a]) + (1 - p[j * q + b]))
            m[k] = Float(1 / Swift.max(data + lj, floor))
        }
        return m
    }

    /// The starting θ: centred PSSM fields (pseudocount 1) and zero couplings; with gaps as missing
    /// data, plmc's start log(f_i(a)·Neff + 1) over the residues, centred, gap entries 0.
    func initialParameters(_ msa: MultipleSequenceAlignment, weights: [Float], count: Int) -> [Float] {
        let (l, q) = (msa.length, msa.alphabet.size)
        var theta = [Float](repeating: 0, count: count)
        if gapsAsMissing {
            let gap = Int(msa.alphabet.gap), neff = weights.reduce(0.0) { $0 + Double($1) }
            for i in 0..<l {
                var counts = [Double](repeating: 0, count: q)
                for n in 0..<msa.count { counts[Int(msa[n, i])] += Double(weights[n]) }
                let residues = counts.enumerated().filter { $0.offset != gap }.reduce(0.0) { $0 + $1.element }
                var h = (0..<q).map { a in a == gap ? 0 : Glibc.log((residues > 0 ? counts[a] / residues : 1 / Double(q - 1)) * neff + 1) }
                let mean = h.enumerated().filter { $0.offset != gap }.reduce(0.0) { $0 + $1.element } / Double(q - 1)
                for a in 0..<q where a != gap { h[a] -= mean }
                for a in 0..<q { theta[i * q + a] = Float(h[a]) }
            }
        } else {
            let pssm = PSSM(msa, weights: weights, pseudocount: 1)
            for i in 0..<l {
                let mean = (0..<q).reduce(Float(0)) { $0 + pssm.fields.scalars[i * q + $1] } / Float(q)
                for a in 0..<q { theta[i * q + a] = pssm.fields.scalars[i * q + a] - mean }
            }
        }
        return theta
    }
}
