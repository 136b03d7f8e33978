import Tensors
import Sequences
#if canImport(Glibc)
import Glibc
#endif

/// The symmetric pseudolikelihood objective of a Potts model (Besag 1975; Ekeberg et al. 2013;
/// CCMpred/plmc):
///   F(h, J) = −Σ_n w_n Σ_i log P(x_i^n | x_¬i^n) + λ_h Σ_{i,a} h_i(a)² + λ_J Σ_{i<j} Σ_{a,b} J_ij(a,b)²,
///   log P(x_i = a | x_¬i) = z_i(a) − log Σ_c e^{z_i(c)},   z_i(a) = h_i(a) + Σ_{j≠i} J_ij(a, x_j).
///
/// Parameter vector θ (what L-BFGS sees): h (L·q, row-major) then the unique couplings
/// J_ij(a,b) for i < j in (i, j, a, b) order: L·q + L(L−1)/2·q² floats — or, with `.live`
/// couplings (the Potts fit's), only the entries the likelihood reads (`CouplingParameters`).
///
/// The fused kernel works site by site. For site i it copies the couplings into a site-major block
/// K_i[j][b][a] (a padded to 24 floats; at most L·q·96 bytes ≈ 320 kB for L = 159, resident in L2),
/// and for each sequence n gathers the q-vectors J_ij(·, x_j^n) from it into registers and keeps the
/// residual d_n = w_n(softmax(z_n) − e_{x_i^n}). Only the states column j shows get a row (b) in K_i:
/// the kernel never gathers the others (`KernelLayouts`), so a shallow alignment's blocks are small.
/// The coupling gradient G_i[j][b] = ∂/∂J_ij(·, b) = Σ_{n: x_j^n = b} d_n is then a segmented sum over
/// each column's sequences pre-sorted by residue: only loads and one store per (j, b) — a scatter-add
/// would stall on store-to-load chains in conserved columns — and G_i is added into ∇F in θ's layout.
/// Sites are split over threads, each with its own two blocks; a pair's gradient block is added to
/// under a lock (its other site may be on the other thread). Cost per evaluation: N·L²·q adds for
/// the logits and as many for the gradient (the dense one-hot GEMM would do q = 21× more), plus
/// N·L·q exps; memory beside θ and ∇F: two blocks per thread, not L of them.
///
/// Gaps as missing data (`gapsAsMissing`, plmc's `-g`, EVmutation's setting): the gap is not a
/// state. Site i's conditional runs over the q − 1 residues only, a sequence with a gap at i adds
/// no term for site i, and a gap at j adds nothing to z_i:
///   F = −Σ_n w_n Σ_{i: x_i^n ≠ −} log P(x_i^n | x_¬i^n),
///   z_i(a) = h_i(a) + Σ_{j≠i, x_j^n ≠ −} J_ij(a, x_j^n),   a ∈ residues.
/// θ keeps the q-state layout; the entries that involve the gap take no part in the likelihood (the
/// kernel reads them as 0 and the gap lane of z as −∞), so their gradient is the penalty's alone and
/// they stay at 0 from a zero start — exactly plmc's 20-state model.
public final class PseudoLikelihood: @unchecked Sendable {
    public let length: Int, states: Int, sequences: Int
    /// Distinct sequences: the rows the kernel runs over (identical sequences are one row carrying
    /// their summed weight; see `mergeIdenticalRows`).
    public let rows: Int
    public var lambdaFields: Float, lambdaCouplings: Float
    /// plmc `-g`: the gap (the last code) is missing data, not a state (see above).
    public let gapsAsMissing: Bool
    /// The distinct rows (rows × L codes) and their weights.
    let codes: [UInt8]
    /// The same rows as slots of the kernel layouts (`KernelLayouts.slot`): what the kernel gathers.
    let slotCodes: [UInt16]
    /// For each column j, the row indices sorted by residue (L × rows), and where each residue's
    /// group starts (L × (q + 1)).
    let columnOrder: [Int32]
    let groupStarts: [Int32]
    let weights: [Float]
    /// The slots of a site's kernel blocks.
    public let layouts: KernelLayouts
    /// What the two sites of each pair share while they add to its gradient block.
    let pairs: PairBlocks
    /// Which couplings θ holds, and where.
    public let couplingParameters: CouplingParameters
    /// Floats per q-vector in the kernel layouts (q ≤ pad): `Lanes` holds them as one SIMD16 and one
    /// SIMD8 (a literal, so hot loops read a constant rather than a lazily initialised global).
    public static let pad = 24

    /// `couplings`: which couplings θ holds.
    public init(_ msa: MultipleSequenceAlignment, weights: [Float], lambdaFields: Float = 0.01, lambdaCouplings: Float? = nil,
                gapsAsMissing: Bool = false, couplings: CouplingParameters.Kind = .every) {
        precondition(weights.count == msa.count, "one weight per sequence")
        precondition(msa.alphabet.size <= PseudoLikelihood.pad, "at most \(PseudoLikelihood.pad) states")
        precondition(Lanes.Low.scalarCount + Lanes.High.scalarCount == PseudoLikelihood.pad, "Lanes must hold pad floats")
        length = msa.length; states = msa.alphabet.size; sequences = msa.count
        self.lambdaFields = lambdaFields
        self.gapsAsMissing = gapsAsMissing
        self.lambdaCouplings = lambdaCouplings ?? 0.2 * Float(msa.length - 1)
        let merged = PseudoLikelihood.mergeIdenticalRows(msa.codes, length: msa.length, weights: weights)
        codes = merged.codes
        rows = merged.weights.count
        let (n, l, q) = (rows, msa.length, msa.alphabet.size)
        var order = [Int32](repeating: 0, count: l * n), starts = [Int32](repeating: 0, count: l * (q + 1))
        for j in 0..<l {      // counting sort of column j
            var counts = [Int](repeating: 0, count: q + 1)
            for s in 0..<n { counts[Int(codes[s * l + j]) + 1] += 1 }
            for b in 0..<q { counts[b + 1] += counts[b] }
            for b in 0...q { starts[j * (q + 1) + b] = Int32(counts[b]) }
            for s in 0..<n {
                let b = Int(codes[s * l + j])
                order[j * n + counts[b]] = Int32(s); counts[b] += 1
            }
        }
        columnOrder = order; groupStarts = starts
        self.weights = merged.weights
        let layouts = KernelLayouts(codes: merged.codes, length: l, states: q, gapsAsMissing: gapsAsMissing)
        slotCodes = codes.indices.map { k in layouts.slot(column: k % l, state: Int(merged.codes[k])) }
        self.layouts = layouts
        couplingParameters = CouplingParameters(layouts, kind: couplings)
        pairs = PairBlocks(count: l * (l - 1) / 2)
    }

    /// Identical sequences as one row with their summed weight: Σ_n w_n f(x^n) = Σ_u (Σ_{n: x^n = u} w_n) f(u)
    /// for every term of F, so the objective and gradient are the same (up to summation order) at a
    /// cost in proportion to the distinct rows. Rows keep the order of their first occurrence.
    static func mergeIdenticalRows(_ codes: [UInt8], length l: Int, weights: [Float]) -> (codes: [UInt8], weights: [Float]) {
        var index = [ArraySlice<UInt8>: Int](minimumCapacity: weights.count)
        var merged: [UInt8] = [], sums: [Double] = []
        merged.reserveCapacity(codes.count)
        for s in 0..<weights.count {
            let row = codes[(s * l)..<((s + 1) * l)]
            if let u = index[row] { sums[u] += Double(weights[s]); continue }
            index[row] = sums.count
            sums.append(Double(weights[s]))
            merged.append(contentsOf: row)
        }
        return (merged, sums.map { Float($0) })
    }

    public var parameterCount: Int { couplingParameters.count }

    /// Offset of J_ij (i < j) in θ (with `.every` couplings its q² entries follow in (a, b) order).
    public func pairOffset(_ i: Int, _ j: Int) -> Int { couplingParameters.offset(i, j) }

    /// F(θ); writes ∇F into `gradient`. Per site i (threads split the sites, each with its own
    /// scratch blocks K_i and G_i of `layouts.slots` padded q-vectors): `gatherSite` copies site i's
    /// couplings from θ into K_i, `conditionalLogits` and `residual` run per sequence, then
    /// `segmentedGradientSums` per column fills G_i, and `scatterSite` adds G_i's terms into ∇F in
    /// θ's layout (the second of a pair's two sites adds the penalty); finally `addPenalties` sums
    /// F's penalty. Nothing of size L²·q is held beside θ and ∇F.
    public func evaluate(_ theta: [Float], _ gradient: inout [Float]) -> Double {
        evaluate(theta, &gradient, abandoningWhen: nil)!
    }

    /// `evaluate`, abandoned — nil, ∇F half-written — once `stop()` is true: each thread polls it
    /// before each site, so a long evaluation (≈ 30 s at L = 400, N = 20,000) yields to a stop
    /// request within about one site's work. `stop` must stay true once it has been.
    public func evaluate(_ theta: [Float], _ gradient: inout [Float], abandoningWhen stop: (@Sendable () -> Bool)?) -> Double? {
        let (l, q, p) = (length, states, Lanes.count)
        precondition(theta.count == parameterCount && gradient.count == parameterCount)
        var siteLoss = [Double](repeating: 0, count: l)
        var fieldGradient = [Float](repeating: 0, count: l * q)
        let slots = layouts.slots
        pairs.beginEvaluation()
        layouts.slotStates.withUnsafeBufferPointer { ssb in
        layouts.slotStarts.withUnsafeBufferPointer { stb in
        layouts.slotOrZero.withUnsafeBufferPointer { zb in
        couplingParameters.rowKind.withUnsafeBufferPointer { rkb in
        codes.withUnsafeBufferPointer { cb in
        slotCodes.withUnsafeBufferPointer { scb in
        columnOrder.withUnsafeBufferPointer { ob in
        groupStarts.withUnsafeBufferPointer { sb in
        weights.withUnsafeBufferPointer { wb in
        theta.withUnsafeBufferPointer { tb in
        gradient.withUnsafeMutableBufferPointer { gb in
        siteLoss.withUnsafeMutableBufferPointer { lb in
        fieldGradient.withUnsafeMutableBufferPointer { fb in
            let buffers = Buffers(length: l, states: q, sequences: rows, missing: missingCode, slots: slots,
                                  codes: cb.baseAddress!, slotCodes: scb.baseAddress!,
                                  slotStates: ssb.baseAddress!, slotStarts: stb.baseAddress!, slotOrZero: zb.baseAddress!,
                                  columnOrder: ob.baseAddress!, groupStarts: sb.baseAddress!, weights: wb.baseAddress!,
                                  theta: tb.baseAddress!, couplings: couplingParameters, rowKind: rkb.baseAddress!,
                                  gradient: gb.baseAddress!, pairs: pairs, lambdaCouplings: lambdaCouplings,
                                  siteLoss: lb.baseAddress!, fieldGradient: fb.baseAddress!)
            Parallel.forEachChunk(l, minimumPerThread: 1) { sites in
                // Per-thread scratch: the residuals d_n of every row (rows × pad), K_i and G_i. Lanes
                // at or above q are never written (0), nor is the zero slot.
                let d = UnsafeMutablePointer<Float>.allocate(capacity: rows * p)
                let Ki = UnsafeMutablePointer<Float>.allocate(capacity: slots * p), Gi = UnsafeMutablePointer<Float>.allocate(capacity: slots * p)
                Ki.initialize(repeating: 0, count: slots * p); Gi.initialize(repeating: 0, count: slots * p)
                defer { d.deallocate(); Ki.deallocate(); Gi.deallocate() }
                for i in sites {
                    if let stop, stop() { break }
                    PseudoLikelihood.gatherSite(i, into: Ki, buffers)
                    PseudoLikelihood.site(i, buffers, couplings: Ki, gradient: Gi, residuals: d)
                    PseudoLikelihood.scatterSite(i, from: Gi, buffers)
                }
            }
        } } } } } } } } } } } } }
        if let stop, stop() { return nil }
        return siteLoss.reduce(0, +) + addPenalties(theta, fieldGradient, into: &gradient)
    }

    /// The arrays the site loop reads and writes, as raw pointers (valid inside `evaluate`), with
    /// the sizes as constants (a value the compiler keeps in registers across the stores).
    struct Buffers: @unchecked Sendable {
        let length: Int, states: Int, sequences: Int
        /// The missing-data code (`missingCode`); the slots per site (`KernelLayouts.slots`).
        let missing: Int, slots: Int
        /// Sequences (N × L codes, and the same as slots); each slot's state, where each column's
        /// slots start (L + 1) and the slot of (j, b) at j·q + b (`KernelLayouts`); per column j the
        /// sequences sorted by residue (L × N) and where each residue's group starts (L × (q + 1));
        /// sequence weights (N).
        let codes: UnsafePointer<UInt8>, slotCodes: UnsafePointer<UInt16>, slotStates: UnsafePointer<UInt8>, slotStarts: UnsafePointer<Int32>
        let slotOrZero: UnsafePointer<UInt16>
        let columnOrder: UnsafePointer<Int32>, groupStarts: UnsafePointer<Int32>, weights: UnsafePointer<Float>
        /// θ (fields first) and where its couplings are (`CouplingParameters`, its row kinds).
        let theta: UnsafePointer<Float>, couplings: CouplingParameters, rowKind: UnsafePointer<UInt8>
        /// Out: ∇F in θ's layout (its couplings' blocks added to under `pairs`' locks, with λ_J), each
        /// site's loss (L) and the field gradient (L × q).
        let gradient: UnsafeMutablePointer<Float>, pairs: PairBlocks, lambdaCouplings: Float
        let siteLoss: UnsafeMutablePointer<Double>, fieldGradient: UnsafeMutablePointer<Float>
    }

    /// The code that is missing data (the gap, with `gapsAsMissing`), or none (Int.max).
    var missingCode: Int { gapsAsMissing ? states - 1 : Int.max }

    /// Site i: loss −Σ_n w_n log P(x_i^n | x_¬i^n), the field gradient Σ_n d_n and, in G_i, the
    /// coupling gradient of every (j, b); K_i holds the couplings (`gatherSite`).
    @inline(__always)
    static func site(_ i: Int, _ buffers: Buffers, couplings Ki: UnsafePointer<Float>, gradient Gi: UnsafeMutablePointer<Float>,
                     residuals d: UnsafeMutablePointer<Float>) {
        let (l, q, n, p) = (buffers.length, buffers.states, buffers.sequences, Lanes.count)
        let missing = buffers.missing
        // h_i in lanes; padding lanes (and the missing gap's) are −∞ so the softmax gives them 0.
        var h = Lanes(repeating: -.infinity)
        for a in 0..<q { h[a] = buffers.theta[i * q + a] }
        if missing < q { h[missing] = -.infinity }
        // 1 in the lanes of the softmax's states, 0 in padding and the missing gap's lane.
        var live = Lanes(repeating: 0)
        for a in 0..<q where a != missing { live[a] = 1 }
        var fieldGradient = Lanes(repeating: 0)
        var loss = 0.0
        for s in 0..<n {
            let x = Int(buffers.codes[s &* l &+ i])
            let ds = UnsafeMutableRawPointer(d + s &* p)
            if x == missing {       // no term for a gapped site: zero residual
                Lanes(repeating: 0).store(to: ds)
                continue
            }
            let logits = conditionalLogits(Ki, buffers.slotCodes + s &* l, fields: h, length: l)
            let (r, siteLoss) = residual(logits, observed: x, weight: buffers.weights[s], live: live)
            loss += siteLoss
            fieldGradient += r
            r.store(to: ds)
        }
        segmentedGradientSums(into: Gi, residuals: d, buffers)
        buffers.siteLoss[i] = loss
        for a in 0..<q { buffers.fieldGradient[i * q + a] = fieldGradient[a] }
    }

    /// z_i = h_i + Σ_j J_ij(·, x_j) for one sequence (its slots), the q-vectors gathered from K_i into
    /// registers; K_i's rows for column i are 0 (J_ii = 0), so j = i needs no branch. Four
    /// independent accumulators hide the add latency.
    @inline(__always)
    static func conditionalLogits(_ Ki: UnsafePointer<Float>, _ slots: UnsafePointer<UInt16>, fields h: Lanes, length l: Int) -> Lanes {
        let p = Lanes.count
        var z0 = h, z1 = Lanes(repeating: 0), z2 = Lanes(repeating: 0), z3 = Lanes(repeating: 0)
        var j = 0
        while j &+ 4 <= l {
            z0 += Lanes(loadingUnaligned: Ki + Int(slots[j]) &* p)
            z1 += Lanes(loadingUnaligned: Ki + Int(slots[j &+ 1]) &* p)
            z2 += Lanes(loadingUnaligned: Ki + Int(slots[j &+ 2]) &* p)
            z3 += Lanes(loadingUnaligned: Ki + Int(slots[j &+ 3]) &* p)
            j &+= 4
        }
        while j < l {
            z0 += Lanes(loadingUnaligned: Ki + Int(slots[j]) &* p)
            j &+= 1
        }
        return z0 + ((z1 + z2) + z3)
    }

    /// The residual d = w(softmax(z) − e_x) over the softmax's states and the loss term
    /// w(log Σ_c e^{z(c)} − z(x)). The exponentials e^{z(c) − m} of all lanes at once (`Lanes.exp`,
    /// vectorised: a scalar `expf` per state cost as much as the gather of the logits when L is
    /// short), times `live` (1 for the states, 0 for padding and a missing gap: exact zeros there).
    @inline(__always)
    static func residual(_ logits: Lanes, observed x: Int, weight w: Float, live: Lanes) -> (Lanes, Double) {
        let m = logits.laneMax()
        let e = (logits - m).exp() * live
        let sum = e.laneSum()
        let loss = Double(w) * (Double(m) + Double(logf(sum)) - Double(logits[x]))
        var d = e * (w / sum)
        d[x] -= w
        return (d, loss)
    }

    /// ∂/∂J_ij(·, b) = Σ_{n: x_j^n = b} d_n for every column j and state b with a slot: a segmented
    /// sum over the sequences of column j sorted by residue — loads into registers and one store per
    /// (j, b), no scatter (a scatter-add would stall on store-to-load chains in conserved columns).
    @inline(__always)
    static func segmentedGradientSums(into Gi: UnsafeMutablePointer<Float>, residuals d: UnsafeMutablePointer<Float>, _ buffers: Buffers) {
        let (l, q, n, p) = (buffers.length, buffers.states, buffers.sequences, Lanes.count)
        for j in 0..<l {
            let order = buffers.columnOrder + j &* n, starts = buffers.groupStarts + j &* (q &+ 1)
            for slot in Int(buffers.slotStarts[j])..<Int(buffers.slotStarts[j &+ 1]) {
                let b = Int(buffers.slotStates[slot])
                var e = Lanes(repeating: 0), f = Lanes(repeating: 0)
                var k = Int(starts[b])
                let end = Int(starts[b &+ 1])
                while k &+ 2 <= end {
                    e += Lanes(loading: UnsafeRawPointer(d + Int(order[k]) &* p))
                    f += Lanes(loading: UnsafeRawPointer(d + Int(order[k &+ 1]) &* p))
                    k &+= 2
                }
                if k < end { e += Lanes(loading: UnsafeRawPointer(d + Int(order[k]) &* p)) }
                (e + f).store(to: UnsafeMutableRawPointer(Gi + slot &* p))
            }
        }
    }

    /// Adds site i's terms of ∂F/∂J into ∇F in θ's layout:
    ///   ∂F/∂J_ij(a,b) = G_i[slot of (j, b)][a] + G_j[slot of (i, a)][b] + 2λ_J J_ij(a,b)
    /// (the penalty is added by the pair's second site). For a pair (j, i), j < i, G_i's row of
    /// column j's state a is row a of J_ji, whole; for a pair (i, j), j > i, lane a of G_i's rows of
    /// column j's states is row a of J_ij at those states (a full row a takes every b, a partial one
    /// column j's shown states in slot order). A state a column does not show has no row to add
    /// (its entries hold site j's term alone). Each pair's block is added to under its lock (the
    /// site at its other end may be on another thread): the first of its two sites starts it at 0,
    /// the second adds the penalty last (`PairBlocks.visit`), so every entry is
    /// (0 + one term) + the other + 2λ_J J whichever site comes first.
    @inline(__always)
    static func scatterSite(_ i: Int, from Gi: UnsafePointer<Float>, _ buffers: Buffers) {
        let (l, q, p) = (buffers.length, buffers.states, Lanes.count)
        let (layout, width, kinds, S, start, Z) = (buffers.couplings, buffers.couplings.width, buffers.rowKind,
                                                   buffers.slotStates, buffers.slotStarts, buffers.slotOrZero)
        let O = buffers.gradient
        for j in 0..<i {
            let o = layout.offset(j, i)
            buffers.pairs.visit(pairIndex(j, i, length: l), block: O + o, theta: buffers.theta + o, count: layout.pairCount(j, i),
                                lambda: buffers.lambdaCouplings) {
                for a in 0..<q where kinds[j &* q &+ a] == 2 && Z[j &* q &+ a] != UInt16(buffers.slots &- 1) {
                    let (out, g) = (O + (o &+ layout.rowOffset(j, a, i)), Gi + Int(Z[j &* q &+ a]) &* p)
                    for b in 0..<width { out[b] = out[b] + g[b] }
                }
            }
        }
        for j in (i + 1)..<Swift.max(l, i + 1) {
            let o = layout.offset(i, j)
            let (first, end) = (Int(start[j]), Int(start[j &+ 1]))
            buffers.pairs.visit(pairIndex(i, j, length: l), block: O + o, theta: buffers.theta + o, count: layout.pairCount(i, j),
                                lambda: buffers.lambdaCouplings) {
                for a in 0..<q {
                    let out = O + (o &+ layout.rowOffset(i, a, j))
                    switch kinds[i &* q &+ a] {
                    case 2: for slot in first..<end { out[Int(S[slot])] = out[Int(S[slot])] + Gi[slot &* p &+ a] }
                    case 1: for slot in first..<end { out[slot &- first] = out[slot &- first] + Gi[slot &* p &+ a] }
                    default: break
                    }
                }
            }
        }
    }

    /// Pair (i, j), i < j, in row-major order over the upper triangle: the lock of its block.
    @inline(__always)
    static func pairIndex(_ i: Int, _ j: Int, length l: Int) -> Int { i &* (2 &* l &- i &- 1) / 2 &+ (j &- i &- 1) }

    /// The penalty λ_h Σ h² + λ_J Σ_{i<j} ‖J_ij‖² (returned), and the fields' gradient
    /// ∂F/∂h = field gradient + 2λ_h h (the couplings' 2λ_J J was added by `scatterSite`). The
    /// pairs' Σ J² (`PairBlocks.squares`) are summed row by row in pair order, whichever thread
    /// took each.
    func addPenalties(_ theta: [Float], _ fieldGradient: [Float], into gradient: inout [Float]) -> Double {
        let (l, q) = (length, states)
        var reg = 0.0
        let (lh, lj) = (lambdaFields, lambdaCouplings)
        for k in 0..<(l * q) {
            gradient[k] = fieldGradient[k] + 2 * lh * theta[k]
            reg += Double(lh) * Double(theta[k]) * Double(theta[k])
        }
        var pair = 0
        for i in 0..<l {
            var r = 0.0
            for _ in (i + 1)..<Swift.max(l, i + 1) { r += pairs.squares[pair]; pair += 1 }
            reg += r * Double(lj)
        }
        return reg
    }

    /// Σ_k t_k² of a pair's entries (in L1: just read), in 8 double lanes: each square is exact in
    /// double and the sum differs from any other order by rounding of 10⁻¹⁶, so θ's layout (which
    /// entries it holds; the rest are 0) does not change F; no chain of dependent adds in the
    /// gradient loops.
    @inline(__always)
    static func sumOfSquares(_ t: UnsafePointer<Float>, count n: Int) -> Double {
        var acc = SIMD8<Double>(repeating: 0)
        var k = 0
        while k &+ 8 <= n {
            let v = SIMD8<Double>(UnsafeRawPointer(t + k).loadUnaligned(as: SIMD8<Float>.self))
            acc.addProduct(v, v)
            k &+= 8
        }
        var sum = acc.sum()
        while k < n { sum += Double(t[k]) * Double(t[k]); k &+= 1 }
        return sum
    }

    /// Site i's couplings from θ into its kernel block: K_i[slot of (j, b)][a] = J_ij(a,b) for the
    /// states each column j ≠ i shows, read where θ holds J (`CouplingParameters`; an entry θ does
    /// not hold is 0), and 0 in column i's rows (J_ii = 0). For j < i, row b of J_ji is K_i's row
    /// of (j, b), copied whole; for j > i, row a of J_ij goes down lane a of column j's rows (the
    /// rows × pad block, in L1), its kind decided once per row rather than per entry. The missing
    /// gap's lane is written 0; lanes at or above q are never written (0).
    @inline(__always)
    static func gatherSite(_ i: Int, into Ki: UnsafeMutablePointer<Float>, _ buffers: Buffers) {
        let (l, q, p, missing) = (buffers.length, buffers.states, Lanes.count, buffers.missing)
        let (layout, width, kinds, S, start, T) = (buffers.couplings, buffers.couplings.width, buffers.rowKind,
                                                   buffers.slotStates, buffers.slotStarts, buffers.theta)
        (Ki + Int(start[i]) &* p).update(repeating: 0, count: (Int(start[i &+ 1]) &- Int(start[i])) &* p)
        for j in 0..<i {
            let o = layout.offset(j, i)
            for slot in Int(start[j])..<Int(start[j &+ 1]) {
                let row = Ki + slot &* p
                row.update(from: T + (o &+ layout.rowOffset(j, Int(S[slot]), i)), count: width)
                if missing < width { row[missing] = 0 }
            }
        }
        for j in (i + 1)..<Swift.max(l, i + 1) {
            let o = layout.offset(i, j)
            let (first, end) = (Int(start[j]), Int(start[j &+ 1]))
            for a in 0..<q {
                let kind = kinds[i &* q &+ a], from = T + (o &+ layout.rowOffset(i, a, j))
                var row = Ki + (first &* p &+ a)
                if kind == 0 || a == missing {
                    for _ in first..<end { row.pointee = 0; row += p }
                } else if kind == 2 {
                    for slot in first..<end { row.pointee = from[Int(S[slot])]; row += p }
                } else {
                    for rank in 0..<(end &- first) { row.pointee = from[rank]; row += p }
                }
            }
        }
    }

    /// θ from a model (fields and the i < j couplings θ holds).
    public func parameters(from model: PottsModel) -> [Float] {
        couplingParameters.compacted(model.fields.scalars + Couplings(model.couplings).packedUpperTriangle())
    }

    /// The model with parameters θ (couplings expanded to the full symmetric tensor; those θ does
    /// not hold are 0).
    public func model(from theta: [Float], alphabet: Alphabet) -> PottsModel {
        couplingParameters.model(from: theta, alphabet: alphabet)
    }
}

/// One padded q-vector of the fused kernel in registers: states 0..<16 in `low`, 16..<24 in `high`
/// (`count` = 24 = `PseudoLikelihood.pad`; the split is the SIMD widths'). Element-wise arithmetic.
@usableFromInline struct Lanes {
    typealias Low = SIMD16<Float>
    typealias High = SIMD8<Float>
    /// States in `low`; the rest of `pad` are in `high` (computed, so they fold to constants).
    @inline(__always) static var split: Int { Low.scalarCount }
    @inline(__always) static var count: Int { PseudoLikelihood.pad }
    var low: Low, high: High

    @inline(__always) init(low: Low, high: High) { self.low = low; self.high = high }
    @inline(__always) init(repeating v: Float) { low = Low(repeating: v); high = High(repeating: v) }
    /// From `count` floats at `p` (any alignment).
    @inline(__always) init(loadingUnaligned p: UnsafePointer<Float>) {
        let raw = UnsafeRawPointer(p)
        low = raw.loadUnaligned(as: Low.self); high = raw.loadUnaligned(fromByteOffset: MemoryLayout<Low>.size, as: High.self)
    }
    /// From `count` floats at `p`, aligned to the SIMD types.
    @inline(__always) init(loading p: UnsafeRawPointer) {
        low = p.load(as: Low.self); high = p.load(fromByteOffset: MemoryLayout<Low>.size, as: High.self)
    }
    @inline(__always) func store(to p: UnsafeMutableRawPointer) {
        p.storeBytes(of: low, as: Low.self); p.storeBytes(of: high, toByteOffset: MemoryLayout<Low>.size, as: High.self)
    }
    @inline(__always) subscript(a: Int) -> Float {
        get { a < Lanes.split ? low[a] : high[a - Lanes.split] }
        set { if a < Lanes.split { low[a] = newValue } else { high[a - Lanes.split] = newValue } }
    }
    @inline(__always) func max() -> Float { Swift.max(low.max(), high.max()) }
    @inline(__always) static func + (x: Lanes, y: Lanes) -> Lanes { Lanes(low: x.low + y.low, high: x.high + y.high) }
    @inline(__always) static func += (x: inout Lanes, y: Lanes) { x.low += y.low; x.high += y.high }
    @inline(__always) static func - (x: Lanes, y: Float) -> Lanes { Lanes(low: x.low - y, high: x.high - y) }
    @inline(__always) static func * (x: Lanes, y: Float) -> Lanes { Lanes(low: x.low * y, high: x.high * y) }
    @inline(__always) static func * (x: Lanes, y: Lanes) -> Lanes { Lanes(low: x.low * y.low, high: x.high * y.high) }
}

/// What the two sites of each pair (i < j) share while they add their terms to its gradient block
/// in θ's layout, maybe on two threads: a lock, the evaluation that last visited the pair, and the
/// pair's Σ J² for F's penalty. The first visit of an evaluation sets the block to 0 before adding
/// its site's terms; the second adds its terms, then 2λ_J J, and takes Σ J² — in cache, where a
/// pass over all of ∇F before and after the sites would stream it from memory twice more.
final class PairBlocks: @unchecked Sendable {
    let locks: SpinLocks
    /// The evaluation that last visited each pair, and each pair's Σ J² (the second visit's).
    let visited: UnsafeMutablePointer<UInt32>, squares: UnsafeMutablePointer<Double>
    var count: Int { locks.count }
    private(set) var evaluation: UInt32 = 0

    init(count: Int) {
        locks = SpinLocks(count: count)
        visited = .allocate(capacity: Swift.max(count, 1)); visited.initialize(repeating: 0, count: Swift.max(count, 1))
        squares = .allocate(capacity: Swift.max(count, 1)); squares.initialize(repeating: 0, count: Swift.max(count, 1))
    }

    deinit { visited.deallocate(); squares.deallocate() }

    /// A new evaluation: every pair is unvisited (0 is never an evaluation's number).
    func beginEvaluation() {
        evaluation = evaluation == UInt32.max ? 1 : evaluation + 1
        if evaluation == 1 { visited.update(repeating: 0, count: Swift.max(count, 1)) }
    }

    /// Under pair k's lock: on the first visit `block` (`count` floats) is set to 0, then `add`
    /// runs; on the second, `add` runs, then block += 2λ·θ entry by entry and Σ θ² is kept.
    @inline(__always)
    func visit(_ k: Int, block: UnsafeMutablePointer<Float>, theta t: UnsafePointer<Float>, count n: Int, lambda: Float, add: () -> Void) {
        locks.locked(k) {
            if visited[k] != evaluation {
                visited[k] = evaluation
                block.update(repeating: 0, count: n)
                add()
            } else {
                add()
                for e in 0..<n { block[e] = block[e] + 2 * lambda * t[e] }
                squares[k] = PseudoLikelihood.sumOfSquares(t, count: n)
            }
        }
    }
}

/// The layout of a site's kernel blocks, over the states each column shows: site i's block holds one
/// padded q-vector per slot, K_i[slot of (j, b)][a] = J_ij(a, b), and G_i the same for ∂F. Column
/// j's slots are `slotStarts[j]..<slotStarts[j + 1]`, one per state some sequence shows at j (in
/// code order; a missing gap has none), then one last slot (`zeroSlot`) that is never written: a
/// missing gap at j reads it, and so does the gradient of a state j does not show. The kernel
/// gathers only the states the sequences show, so nothing else needs a row: (Σ_j k_j + 1) × pad
/// floats a block, against L·q × pad with every state — on a shallow alignment (GFP_AEQVI, 156
/// sequences: k̄ = 6.2 of 21) 0.3 of it.
public final class KernelLayouts: @unchecked Sendable {
    public let length: Int, states: Int
    /// The missing-data code (the gap, when gaps are missing data), or Int.max.
    let missing: Int
    /// Slots per site: the states shown, summed over the columns, and the zero slot.
    public let slots: Int
    let slotStarts: [Int32], slotStates: [UInt8]
    /// The slot of (column j, state b) at j·q + b; the zero slot for a state j does not show.
    let slotOrZero: [UInt16]
    var zeroSlot: UInt16 { UInt16(slots - 1) }
    /// The most slots per site (slots are UInt16 in the rows; `PottsFit.check` refuses more): every
    /// state of up to 3,120 columns at q = 21, whose fit would need ≈ 150 GB anyway.
    public static let maximumSlots = Int(UInt16.max)

    /// The layouts for the rows `codes` (N × L) show; with `gapsAsMissing` the gap has no slot.
    public convenience init(codes: [UInt8], length l: Int, states q: Int, gapsAsMissing: Bool) {
        self.init(shown: KernelLayouts.shownStates(codes, length: l, states: q, gapsAsMissing: gapsAsMissing),
                  length: l, states: q, missing: gapsAsMissing ? q - 1 : Int.max)
    }

    /// The layouts for an alignment's rows (the slots of every state its columns show).
    public convenience init(_ msa: MultipleSequenceAlignment, gapsAsMissing: Bool) {
        self.init(codes: msa.codes, length: msa.length, states: msa.alphabet.size, gapsAsMissing: gapsAsMissing)
    }

    init(shown: [Bool], length l: Int, states q: Int, missing: Int) {
        length = l; states = q; self.missing = missing
        let total = shown.reduce(0) { $0 + ($1 ? 1 : 0) }
        precondition(total < KernelLayouts.maximumSlots, "\(total) column states: the kernel layouts index at most \(KernelLayouts.maximumSlots - 1)")
        slots = total + 1
        var starts = [Int32](repeating: 0, count: l + 1), states = [UInt8](), index = [UInt16](repeating: UInt16(total), count: l * q)
        for j in 0..<l {
            for b in 0..<q where shown[j * q + b] { index[j * q + b] = UInt16(states.count); states.append(UInt8(b)) }
            starts[j + 1] = Int32(states.count)
        }
        slotStarts = starts; slotStates = states; slotOrZero = index
    }

    /// The slot row the kernel gathers for state b at column j.
    func slot(column j: Int, state b: Int) -> UInt16 { slotOrZero[j * states + b] }

    /// Slots per site an alignment needs (what `slots` will be): Σ_j (states column j shows) + 1.
    public static func slotCount(_ msa: MultipleSequenceAlignment, gapsAsMissing: Bool) -> Int {
        shownStates(msa.codes, length: msa.length, states: msa.alphabet.size, gapsAsMissing: gapsAsMissing).reduce(1) { $0 + ($1 ? 1 : 0) }
    }

    /// shown[j·q + b]: some row has state b at column j (never the gap, when gaps are missing data).
    static func shownStates(_ codes: [UInt8], length l: Int, states q: Int, gapsAsMissing: Bool) -> [Bool] {
        var shown = [Bool](repeating: false, count: l * q)
        for (k, c) in codes.enumerated() { shown[(k % l) * q + Int(c)] = true }
        if gapsAsMissing { for j in 0..<l { shown[j * q + q - 1] = false } }
        return shown
    }
}
