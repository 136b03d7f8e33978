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
/// The fused kernel works site by site. For site i and each sequence n it gathers the q-vectors
/// J_ij(·, x_j^n) from a site-major copy K_i[j][b][a] (a padded to 24 floats; at most L·q·96 bytes
/// ≈ 320 kB for L = 159, resident in L2) into registers, and keeps the residual
/// d_n = w_n(softmax(z_n) − e_{x_i^n}). Only the states column j shows get a row (b) in K_i: the
/// kernel never gathers the others (`KernelLayouts`), so a shallow alignment's layouts are small.
/// The coupling gradient ∂/∂J_ij(·, b) = Σ_{n: x_j^n = b} d_n is then a segmented sum over each
/// column's sequences pre-sorted by residue: only loads and one store per (j, b) — a scatter-add would
/// stall on store-to-load chains in conserved columns. Sites are split over threads; each thread owns
/// its sites' rows: no races, no reductions. Cost per evaluation: N·L²·q adds for the logits and as
/// many for the gradient (the dense one-hot GEMM would do q = 21× more), plus N·L·q exps.
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
    /// Kernel layouts of the couplings and their raw gradient (possibly shared with other objectives).
    public let layouts: KernelLayouts
    /// Which couplings θ holds, and where.
    public let couplingParameters: CouplingParameters
    /// Floats per q-vector in the kernel layouts (q ≤ pad): `Lanes` holds them as one SIMD16 and one
    /// SIMD8 (a literal, so hot loops read a constant rather than a lazily initialised global).
    public static let pad = 24

    /// `sharing`: layouts made for rows that include these (`KernelLayouts(msa, gapsAsMissing:)` of
    /// the whole alignment), shared by objectives evaluated one at a time (each evaluation rewrites
    /// them; attention's shards hold one pair, not one each). `couplings`: which couplings θ holds.
    public init(_ msa: MultipleSequenceAlignment, weights: [Float], lambdaFields: Float = 0.01, lambdaCouplings: Float? = nil,
                gapsAsMissing: Bool = false, sharing: KernelLayouts? = nil, couplings: CouplingParameters.Kind = .every) {
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
        let layouts = sharing ?? KernelLayouts(codes: merged.codes, length: l, states: q, gapsAsMissing: gapsAsMissing)
        precondition(layouts.length == l && layouts.states == q, "shared kernel layouts are for L = \(layouts.length), q = \(layouts.states)")
        precondition(layouts.missing == (gapsAsMissing ? q - 1 : Int.max), "shared kernel layouts treat gaps differently")
        slotCodes = codes.indices.map { k in layouts.slot(column: k % l, state: Int(merged.codes[k])) }
        precondition(zip(slotCodes, merged.codes).allSatisfy { $0 != layouts.zeroSlot || Int($1) == layouts.missing },
                     "shared kernel layouts lack a state this alignment shows")
        self.layouts = layouts
        couplingParameters = CouplingParameters(layouts, kind: couplings)
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

    /// F(θ); writes ∇F into `gradient`. Four steps: `unpack` θ into the kernel layout; per site i
    /// (threads split the sites) `conditionalLogits` and `residual` per sequence, then
    /// `segmentedGradientSums` per column; finally `packGradient` with the penalties.
    public func evaluate(_ theta: [Float], _ gradient: inout [Float]) -> Double {
        let (l, q) = (length, states)
        precondition(theta.count == parameterCount && gradient.count == parameterCount)
        unpack(theta)
        var siteLoss = [Double](repeating: 0, count: l)
        var fieldGradient = [Float](repeating: 0, count: l * q)
        layouts.kernel.withUnsafeBufferPointer { kb in
        layouts.gradient.withUnsafeMutableBufferPointer { gb in
        codes.withUnsafeBufferPointer { cb in
        slotCodes.withUnsafeBufferPointer { scb in
        layouts.slotStates.withUnsafeBufferPointer { ssb in
        layouts.slotStarts.withUnsafeBufferPointer { stb in
        columnOrder.withUnsafeBufferPointer { ob in
        groupStarts.withUnsafeBufferPointer { sb in
        weights.withUnsafeBufferPointer { wb in
        theta.withUnsafeBufferPointer { tb in
        siteLoss.withUnsafeMutableBufferPointer { lb in
        fieldGradient.withUnsafeMutableBufferPointer { fb in
            let buffers = Buffers(length: l, states: q, sequences: rows, missing: missingCode, slots: layouts.slots,
                                  kernel: kb.baseAddress!, gradientKernel: gb.baseAddress!, codes: cb.baseAddress!, slotCodes: scb.baseAddress!,
                                  slotStates: ssb.baseAddress!, slotStarts: stb.baseAddress!,
                                  columnOrder: ob.baseAddress!, groupStarts: sb.baseAddress!, weights: wb.baseAddress!,
                                  theta: tb.baseAddress!, siteLoss: lb.baseAddress!, fieldGradient: fb.baseAddress!)
            Parallel.forEachChunk(l, minimumPerThread: 1) { sites in
                // Per-thread scratch: the residuals d_n of every row (rows × pad).
                let d = UnsafeMutablePointer<Float>.allocate(capacity: rows * Lanes.count)
                defer { d.deallocate() }
                for i in sites { PseudoLikelihood.site(i, buffers, residuals: d) }
            }
        } } } } } } } } } } } }
        return siteLoss.reduce(0, +) + packGradient(theta, fieldGradient, into: &gradient)
    }

    /// The arrays the site loop reads and writes, as raw pointers (valid inside `evaluate`), with
    /// the sizes as constants (a value the compiler keeps in registers across the stores).
    struct Buffers: @unchecked Sendable {
        let length: Int, states: Int, sequences: Int
        /// The missing-data code (`missingCode`); the slots per site in the layouts (`KernelLayouts.slots`).
        let missing: Int, slots: Int
        /// K_i[slot][a] (L × slots × pad): couplings, and the raw gradient G_i[slot][a] in the same layout.
        let kernel: UnsafePointer<Float>, gradientKernel: UnsafeMutablePointer<Float>
        /// Sequences (N × L codes, and the same as slots); each slot's state and where each column's
        /// slots start (L + 1); per column j the sequences sorted by residue (L × N) and where each
        /// residue's group starts (L × (q + 1)); sequence weights (N).
        let codes: UnsafePointer<UInt8>, slotCodes: UnsafePointer<UInt16>, slotStates: UnsafePointer<UInt8>, slotStarts: UnsafePointer<Int32>
        let columnOrder: UnsafePointer<Int32>, groupStarts: UnsafePointer<Int32>, weights: UnsafePointer<Float>
        /// θ (fields first); out: each site's loss (L) and the field gradient (L × q).
        let theta: UnsafePointer<Float>, siteLoss: UnsafeMutablePointer<Double>, fieldGradient: UnsafeMutablePointer<Float>
    }

    /// The code that is missing data (the gap, with `gapsAsMissing`), or none (Int.max).
    var missingCode: Int { gapsAsMissing ? states - 1 : Int.max }

    /// Site i: loss −Σ_n w_n log P(x_i^n | x_¬i^n), the field gradient Σ_n d_n and, in G_i, the
    /// coupling gradient of every (j, b).
    @inline(__always)
    static func site(_ i: Int, _ buffers: Buffers, residuals d: UnsafeMutablePointer<Float>) {
        let (l, q, n, p) = (buffers.length, buffers.states, buffers.sequences, Lanes.count)
        let missing = buffers.missing
        let Ki = buffers.kernel + i &* buffers.slots &* p
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
        segmentedGradientSums(into: buffers.gradientKernel + i &* buffers.slots &* p, residuals: d, buffers)
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

    /// ∇F in θ's layout, and the penalty λ_h Σ h² + λ_J Σ_{i<j} ‖J_ij‖² (returned):
    /// ∂F/∂h = field gradient + 2λ_h h;  ∂F/∂J_ij(a,b) = G_i[j][b][a] + G_j[i][a][b] + 2λ_J J_ij(a,b).
    /// A state column j does not show has no gradient row: `slotOrZero` reads the zero slot for it,
    /// as it does for a missing gap, whose lane of every row is 0 too (the penalty's term alone).
    /// θ's entries are visited in θ's order (`CouplingParameters`): a full row a takes every b, a
    /// partial one column j's slots (where G_j's row for a is the zero slot).
    func packGradient(_ theta: [Float], _ fieldGradient: [Float], into gradient: inout [Float]) -> Double {
        let (l, q, p) = (length, states, Lanes.count)
        var reg = 0.0
        let (lh, lj) = (lambdaFields, lambdaCouplings)
        for k in 0..<(l * q) {
            gradient[k] = fieldGradient[k] + 2 * lh * theta[k]
            reg += Double(lh) * Double(theta[k]) * Double(theta[k])
        }
        let pairReg = UnsafeMutablePointer<Double>.allocate(capacity: l)
        defer { pairReg.deallocate() }
        let (slots, width, layout) = (layouts.slots, couplingParameters.width, couplingParameters)
        layouts.gradient.withUnsafeBufferPointer { gb in
        layouts.slotOrZero.withUnsafeBufferPointer { zb in
        layouts.slotStarts.withUnsafeBufferPointer { stb in
        layouts.slotStates.withUnsafeBufferPointer { ssb in
        layout.rowKind.withUnsafeBufferPointer { rkb in
            theta.withUnsafeBufferPointer { tb in
                gradient.withUnsafeMutableBufferPointer { ob in
                    nonisolated(unsafe) let (G, Z, start, S, kinds, T, O, R) = (gb.baseAddress!, zb.baseAddress!, stb.baseAddress!, ssb.baseAddress!,
                                                                                rkb.baseAddress!, tb.baseAddress!, ob.baseAddress!, pairReg)
                    forEachRow(l) { i in
                        var r = 0.0
                        let gi = G + i &* slots &* p
                        for j in (i + 1)..<Swift.max(l, i + 1) {
                            var c = layout.offset(i, j)
                            let gj = G + j &* slots &* p
                            let first = c
                            for a in 0..<q {
                                switch kinds[i &* q &+ a] {
                                case 2:
                                    // G_j's row (contiguous, in θ's order), plus G_i's entries of the
                                    // states column j shows (a column of its slots; the others' are 0),
                                    // then the penalty: (G_i + G_j) + 2λ_J·J entry by entry, without a
                                    // gather per entry.
                                    let (out, t) = (O + c, T + c)
                                    out.update(from: gj + Int(Z[i &* q &+ a]) &* p, count: width)
                                    for slot in Int(start[j])..<Int(start[j &+ 1]) {
                                        let b = Int(S[slot])
                                        out[b] = gi[slot &* p &+ a] + out[b]
                                    }
                                    for b in 0..<width { out[b] = out[b] + 2 * lj * t[b] }
                                    c &+= width
                                case 1:
                                    for slot in Int(start[j])..<Int(start[j &+ 1]) {
                                        let t = T[c]
                                        O[c] = gi[slot &* p &+ a] + 2 * lj * t
                                        c &+= 1
                                    }
                                default: break
                                }
                            }
                            r += PseudoLikelihood.sumOfSquares(T + first, count: c &- first)
                        }
                        R[i] = r * Double(lj)
                    }
                }
            }
        } } } } }
        for i in 0..<l { reg += pairReg[i] }
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

    /// θ → kernel layout: K_i[slot of (j, b)][a] = J_ij(a,b) and K_j[slot of (i, a)][b] = J_ij(a,b),
    /// for the states each column shows, J_ij(a,b) read where θ holds it (`CouplingParameters`; an
    /// entry θ does not hold is 0); padding lanes stay 0, and so do the gap's lanes when gaps are
    /// missing data.
    func unpack(_ theta: [Float]) {
        let (l, q, p) = (length, states, PseudoLikelihood.pad)
        let missing = missingCode
        let (slots, width, layout) = (layouts.slots, couplingParameters.width, couplingParameters)
        layouts.kernel.withUnsafeMutableBufferPointer { kb in
        layouts.slotStates.withUnsafeBufferPointer { ssb in
        layouts.slotStarts.withUnsafeBufferPointer { stb in
        layout.rowKind.withUnsafeBufferPointer { rkb in
            theta.withUnsafeBufferPointer { tb in
                nonisolated(unsafe) let (K, T, S, start, kinds) = (kb.baseAddress!, tb.baseAddress!, ssb.baseAddress!, stb.baseAddress!, rkb.baseAddress!)
                forEachRow(l) { i in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: q) { rowStart in
                        let ki = K + i &* slots &* p
                        for j in (i + 1)..<Swift.max(l, i + 1) {
                            let o = layout.offset(i, j)
                            for a in 0..<q { rowStart[a] = o &+ layout.rowOffset(i, a, j) }
                            // K_i: row a of J_ij goes down lane a of column j's slots (the slot × pad
                            // block, in L1), its kind decided once per row rather than per entry.
                            let (first, end) = (Int(start[j]), Int(start[j &+ 1]))
                            for a in 0..<q {
                                let kind = kinds[i &* q &+ a], from = T + rowStart[a]
                                var row = ki + (first &* p &+ a)
                                if kind == 0 || a == missing {
                                    for _ in first..<end { row.pointee = 0; row += p }
                                } else if kind == 2 {
                                    for slot in first..<end { row.pointee = from[Int(S[slot])]; row += p }
                                } else {
                                    for rank in 0..<(end &- first) { row.pointee = from[rank]; row += p }
                                }
                            }
                            // K_j: column i's states a (full rows), each row a copied whole.
                            let kj = K + j &* slots &* p
                            for slot in Int(start[i])..<Int(start[i &+ 1]) {
                                let row = kj + slot &* p
                                row.update(from: T + rowStart[Int(S[slot])], count: width)
                                if missing < width { row[missing] = 0 }
                            }
                        }
                    }
                }
            }
        } } } }
    }

    /// Calls body(i) for i in 0..<n, rows dealt round-robin to threads (the pair loops are triangular).
    func forEachRow(_ n: Int, _ body: @Sendable (Int) -> Void) {
        let threads = Swift.max(1, Swift.min(Parallel.threadCount, n))
        Parallel.forEachChunk(threads, minimumPerThread: 1) { range in
            for t in range { for i in stride(from: t, to: n, by: threads) { body(i) } }
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

/// The kernel layouts of the couplings and of their raw gradient, over the states each column shows:
/// site i's block holds one padded q-vector per slot, K_i[slot of (j, b)][a] = J_ij(a, b), and
/// G_i the same for ∂F. Column j's slots are `slotStarts[j]..<slotStarts[j + 1]`, one per state
/// some sequence shows at j (in code order; a missing gap has none), then one last slot
/// (`zeroSlot`) that is never written: a missing gap at j reads it, and so does the gradient of a
/// state j does not show. The kernel gathers only the states the sequences show, so nothing else
/// needs a row: L × (Σ_j k_j + 1) × pad floats each, against L × L·q × pad with every state —
/// on a shallow alignment (GFP_AEQVI, 156 sequences: k̄ = 6.2 of 21) 0.3 of it. Scratch: every
/// evaluation rewrites both (the rows of column i in K_i stay 0: J_ii = 0).
public final class KernelLayouts: @unchecked Sendable {
    public let length: Int, states: Int
    /// The missing-data code (the gap, when gaps are missing data), or Int.max.
    let missing: Int
    /// Slots per site: the states shown, summed over the columns, and the zero slot.
    public let slots: Int
    let slotStarts: [Int32], slotStates: [UInt8]
    /// The slot of (column j, state b) at j·q + b; the zero slot for a state j does not show.
    let slotOrZero: [UInt16]
    var kernel: [Float], gradient: [Float]
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
        kernel = [Float](repeating: 0, count: l * slots * PseudoLikelihood.pad)
        gradient = [Float](repeating: 0, count: l * slots * PseudoLikelihood.pad)
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
