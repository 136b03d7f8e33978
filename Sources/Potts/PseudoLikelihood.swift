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
/// J_ij(a,b) for i < j in (i, j, a, b) order: L·q + L(L−1)/2·q² floats.
///
/// The fused kernel works site by site. For site i and each sequence n it gathers the q-vectors
/// J_ij(·, x_j^n) from a site-major copy K_i[j][b][a] (a padded to 24 floats; L·q·96 bytes ≈ 320 kB
/// for L = 159, resident in L2) into registers, and keeps the residual d_n = w_n(softmax(z_n) − e_{x_i^n}).
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
    public var lambdaFields: Float, lambdaCouplings: Float
    /// plmc `-g`: the gap (the last code) is missing data, not a state (see above).
    public let gapsAsMissing: Bool
    let codes: [UInt8]
    /// For each column j, the sequence indices sorted by residue (L × N), and where each residue's
    /// group starts (L × (q + 1)).
    let columnOrder: [Int32]
    let groupStarts: [Int32]
    let weights: [Float]
    /// Kernel layouts [i][j][b][a] with a padded to `pad`: couplings and their raw gradient.
    var kernel: [Float], gradientKernel: [Float]
    public static let pad = 24

    public init(_ msa: MultipleSequenceAlignment, weights: [Float], lambdaFields: Float = 0.01, lambdaCouplings: Float? = nil,
                gapsAsMissing: Bool = false) {
        precondition(weights.count == msa.count, "one weight per sequence")
        precondition(msa.alphabet.size <= PseudoLikelihood.pad, "at most \(PseudoLikelihood.pad) states")
        length = msa.length; states = msa.alphabet.size; sequences = msa.count
        self.lambdaFields = lambdaFields
        self.gapsAsMissing = gapsAsMissing
        self.lambdaCouplings = lambdaCouplings ?? 0.2 * Float(msa.length - 1)
        codes = msa.codes
        let (n, l, q) = (msa.count, msa.length, msa.alphabet.size)
        var order = [Int32](repeating: 0, count: l * n), starts = [Int32](repeating: 0, count: l * (q + 1))
        for j in 0..<l {      // counting sort of column j
            var counts = [Int](repeating: 0, count: q + 1)
            for s in 0..<n { counts[Int(msa.codes[s * l + j]) + 1] += 1 }
            for b in 0..<q { counts[b + 1] += counts[b] }
            for b in 0...q { starts[j * (q + 1) + b] = Int32(counts[b]) }
            for s in 0..<n {
                let b = Int(msa.codes[s * l + j])
                order[j * n + counts[b]] = Int32(s); counts[b] += 1
            }
        }
        columnOrder = order; groupStarts = starts
        self.weights = weights
        let size = msa.length * msa.length * msa.alphabet.size * PseudoLikelihood.pad
        kernel = [Float](repeating: 0, count: size)
        gradientKernel = [Float](repeating: 0, count: size)
    }

    public var parameterCount: Int { length * states + length * (length - 1) / 2 * states * states }
    var pairCount: Int { length * (length - 1) / 2 }

    /// Offset of J_ij (i < j) in θ.
    @inlinable public func pairOffset(_ i: Int, _ j: Int) -> Int {
        length * states + Couplings.packedOffset(i, j, length: length, states: states)
    }

    /// F(θ); writes ∇F into `gradient`.
    public func evaluate(_ theta: [Float], _ gradient: inout [Float]) -> Double {
        let (l, q, n, p) = (length, states, sequences, PseudoLikelihood.pad)
        precondition(theta.count == parameterCount && gradient.count == parameterCount)
        // With gaps as missing data, the gap code never enters a conditional; else no code is skipped.
        let missing = gapsAsMissing ? q - 1 : Int.max
        unpack(theta)
        var siteLoss = [Double](repeating: 0, count: l)
        var fieldGradient = [Float](repeating: 0, count: l * q)
        kernel.withUnsafeBufferPointer { kb in
        gradientKernel.withUnsafeMutableBufferPointer { gb in
        codes.withUnsafeBufferPointer { cb in
        columnOrder.withUnsafeBufferPointer { ob in
        groupStarts.withUnsafeBufferPointer { sb in
        weights.withUnsafeBufferPointer { wb in
        theta.withUnsafeBufferPointer { tb in
        siteLoss.withUnsafeMutableBufferPointer { lb in
        fieldGradient.withUnsafeMutableBufferPointer { fb in
            nonisolated(unsafe) let (K, G, X, O, S, W, T, LS, FG) = (kb.baseAddress!, gb.baseAddress!, cb.baseAddress!, ob.baseAddress!,
                                                                      sb.baseAddress!, wb.baseAddress!, tb.baseAddress!, lb.baseAddress!, fb.baseAddress!)
            Parallel.forEachChunk(l, minimumPerThread: 1) { sites in
                // Per-thread scratch: the residuals d_n = w_n(softmax(z_n) − e_{x_i^n}) of every sequence (N × 24).
                let d = UnsafeMutablePointer<Float>.allocate(capacity: n * p)
                let z = UnsafeMutablePointer<Float>.allocate(capacity: p)
                defer { d.deallocate(); z.deallocate() }
                for i in sites {
                    let Ki = K + i &* l &* q &* p, Gi = G + i &* l &* q &* p
                    var h0 = SIMD16<Float>(repeating: 0), h1 = SIMD8<Float>(repeating: -.infinity)
                    for a in 0..<q { if a < 16 { h0[a] = T[i * q + a] } else { h1[a - 16] = T[i * q + a] } }
                    if missing < q { if missing < 16 { h0[missing] = -.infinity } else { h1[missing - 16] = -.infinity } }
                    var g0 = SIMD16<Float>(repeating: 0), g1 = SIMD8<Float>(repeating: 0)
                    var loss = 0.0
                    for s in 0..<n {
                        let row = X + s &* l
                        if Int(row[i]) == missing {       // no term for a gapped site: zero residual
                            let ds = UnsafeMutableRawPointer(d + s &* p)
                            ds.storeBytes(of: SIMD16<Float>(), as: SIMD16<Float>.self)
                            ds.storeBytes(of: SIMD8<Float>(), toByteOffset: 64, as: SIMD8<Float>.self)
                            continue
                        }
                        // z_i = h_i + Σ_j J_ij(·, x_j) gathered into registers; J_ii = 0 so j = i needs no
                        // branch. Four independent accumulator pairs hide the add latency.
                        var z0 = h0, z1 = h1
                        var a0 = SIMD16<Float>(), a1 = SIMD8<Float>(), b0 = SIMD16<Float>(), b1 = SIMD8<Float>()
                        var c0 = SIMD16<Float>(), c1 = SIMD8<Float>()
                        var j = 0
                        while j &+ 4 <= l {
                            let s0 = UnsafeRawPointer(Ki + (j &* q &+ Int(row[j])) &* p)
                            let s1 = UnsafeRawPointer(Ki + ((j &+ 1) &* q &+ Int(row[j &+ 1])) &* p)
                            let s2 = UnsafeRawPointer(Ki + ((j &+ 2) &* q &+ Int(row[j &+ 2])) &* p)
                            let s3 = UnsafeRawPointer(Ki + ((j &+ 3) &* q &+ Int(row[j &+ 3])) &* p)
                            z0 += s0.loadUnaligned(as: SIMD16<Float>.self); z1 += s0.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                            a0 += s1.loadUnaligned(as: SIMD16<Float>.self); a1 += s1.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                            b0 += s2.loadUnaligned(as: SIMD16<Float>.self); b1 += s2.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                            c0 += s3.loadUnaligned(as: SIMD16<Float>.self); c1 += s3.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                            j &+= 4
                        }
                        while j < l {
                            let src = UnsafeRawPointer(Ki + (j &* q &+ Int(row[j])) &* p)
                            z0 += src.loadUnaligned(as: SIMD16<Float>.self)
                            z1 += src.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
                            j &+= 1
                        }
                        z0 += (a0 + b0) + c0
                        z1 += (a1 + b1) + c1
                        // Softmax over the q real lanes (padding lanes hold −∞ and end as 0).
                        let m = Swift.max(z0.max(), z1.max())
                        UnsafeMutableRawPointer(z).storeBytes(of: z0 - m, as: SIMD16<Float>.self)
                        UnsafeMutableRawPointer(z).storeBytes(of: z1 - m, toByteOffset: 64, as: SIMD8<Float>.self)
                        var sum: Float = 0
                        for a in 0..<q { let e = expf(z[a]); z[a] = e; sum += e }
                        for a in q..<p { z[a] = 0 }
                        let xi = Int(row[i]), w = W[s]
                        loss += Double(w) * (Double(m) + Double(logf(sum)) - Double(xi < 16 ? z0[xi] : z1[xi - 16]))
                        let scale = w / sum
                        var d0 = UnsafeRawPointer(z).load(as: SIMD16<Float>.self) * scale
                        var d1 = UnsafeRawPointer(z).load(fromByteOffset: 64, as: SIMD8<Float>.self) * scale
                        if xi < 16 { d0[xi] -= w } else { d1[xi - 16] -= w }
                        g0 += d0; g1 += d1
                        let ds = UnsafeMutableRawPointer(d + s &* p)
                        ds.storeBytes(of: d0, as: SIMD16<Float>.self)
                        ds.storeBytes(of: d1, toByteOffset: 64, as: SIMD8<Float>.self)
                    }
                    // ∂/∂J_ij(·, b) = Σ_{n: x_j^n = b} d_n: a segmented sum over the sequences of column j
                    // sorted by residue — loads into registers and one store per (j, b), no scatter.
                    for j in 0..<l {
                        let order = O + j &* n, starts = S + j &* (q &+ 1)
                        for b in 0..<q {
                            var e0 = SIMD16<Float>(), e1 = SIMD8<Float>(), f0 = SIMD16<Float>(), f1 = SIMD8<Float>()
                            var k = Int(starts[b])
                            let end = Int(starts[b &+ 1])
                            while k &+ 2 <= end {
                                let u = UnsafeRawPointer(d + Int(order[k]) &* p), v = UnsafeRawPointer(d + Int(order[k &+ 1]) &* p)
                                e0 += u.load(as: SIMD16<Float>.self); e1 += u.load(fromByteOffset: 64, as: SIMD8<Float>.self)
                                f0 += v.load(as: SIMD16<Float>.self); f1 += v.load(fromByteOffset: 64, as: SIMD8<Float>.self)
                                k &+= 2
                            }
                            if k < end {
                                let u = UnsafeRawPointer(d + Int(order[k]) &* p)
                                e0 += u.load(as: SIMD16<Float>.self); e1 += u.load(fromByteOffset: 64, as: SIMD8<Float>.self)
                            }
                            let dst = UnsafeMutableRawPointer(Gi + (j &* q &+ b) &* p)
                            dst.storeBytes(of: e0 + f0, as: SIMD16<Float>.self)
                            dst.storeBytes(of: e1 + f1, toByteOffset: 64, as: SIMD8<Float>.self)
                        }
                    }
                    LS[i] = loss
                    for a in 0..<q { FG[i * q + a] = a < 16 ? g0[a] : g1[a - 16] }
                }
            }
        } } } } } } } } }
        // Pack: ∂F/∂h = field gradient + 2λ_h h;  ∂F/∂J_ij(a,b) = G_i[j][b][a] + G_j[i][a][b] + 2λ_J J_ij(a,b)
        // (the penalty's term alone for entries that involve a missing gap).
        var f = siteLoss.reduce(0, +)
        var reg = 0.0
        let (lh, lj) = (lambdaFields, lambdaCouplings)
        for k in 0..<(l * q) {
            gradient[k] = fieldGradient[k] + 2 * lh * theta[k]
            reg += Double(lh) * Double(theta[k]) * Double(theta[k])
        }
        let pairReg = UnsafeMutablePointer<Double>.allocate(capacity: l)
        defer { pairReg.deallocate() }
        gradientKernel.withUnsafeBufferPointer { gb in
            theta.withUnsafeBufferPointer { tb in
                gradient.withUnsafeMutableBufferPointer { ob in
                    nonisolated(unsafe) let (G, T, O, R) = (gb.baseAddress!, tb.baseAddress!, ob.baseAddress!, pairReg)
                    forEachRow(l) { i in
                        var r = 0.0
                        for j in (i + 1)..<Swift.max(l, i + 1) {
                            let o = pairOffset(i, j)
                            let gij = G + ((i &* l &+ j) &* q) &* p, gji = G + ((j &* l &+ i) &* q) &* p
                            for a in 0..<q {
                                for b in 0..<q {
                                    let t = T[o &+ a &* q &+ b]
                                    let data = a == missing || b == missing ? 0 : gij[b &* p &+ a] + gji[a &* p &+ b]
                                    O[o &+ a &* q &+ b] = data + 2 * lj * t
                                    r += Double(t * t)
                                }
                            }
                        }
                        R[i] = r * Double(lj)
                    }
                }
            }
        }
        for i in 0..<l { reg += pairReg[i] }
        f += reg
        return f
    }

    /// θ → kernel layout: K_i[j][b][a] = J_ij(a,b) and K_j[i][a][b] = J_ij(a,b); padding lanes stay 0,
    /// and so do the gap's entries when gaps are missing data.
    func unpack(_ theta: [Float]) {
        let (l, q, p) = (length, states, PseudoLikelihood.pad)
        let missing = gapsAsMissing ? q - 1 : Int.max
        kernel.withUnsafeMutableBufferPointer { kb in
            theta.withUnsafeBufferPointer { tb in
                nonisolated(unsafe) let (K, T) = (kb.baseAddress!, tb.baseAddress!)
                forEachRow(l) { i in
                    for j in (i + 1)..<Swift.max(l, i + 1) {
                        let o = pairOffset(i, j)
                        let kij = K + ((i &* l &+ j) &* q) &* p, kji = K + ((j &* l &+ i) &* q) &* p
                        for a in 0..<q {
                            for b in 0..<q {
                                let t = a == missing || b == missing ? 0 : T[o &+ a &* q &+ b]
                                kij[b &* p &+ a] = t
                                kji[a &* p &+ b] = t
                            }
                        }
                    }
                }
            }
        }
    }

    /// Calls body(i) for i in 0..<n, rows dealt round-robin to threads (the pair loops are triangular).
    func forEachRow(_ n: Int, _ body: @Sendable (Int) -> Void) {
        let threads = Swift.max(1, Swift.min(Parallel.threadCount, n))
        Parallel.forEachChunk(threads, minimumPerThread: 1) { range in
            for t in range { for i in stride(from: t, to: n, by: threads) { body(i) } }
        }
    }

    /// θ from a model (fields and the i < j couplings).
    public func parameters(from model: PottsModel) -> [Float] {
        model.fields.scalars + Couplings(model.couplings).packedUpperTriangle()
    }

    /// The model with parameters θ (couplings expanded to the full symmetric tensor).
    public func model(from theta: [Float], alphabet: Alphabet) -> PottsModel {
        let (l, q) = (length, states)
        let couplings = Couplings(packedUpperTriangle: theta[(l * q)...], length: l, states: q)
        return PottsModel(alphabet: alphabet, fields: Tensor(shape: [l, q], scalars: Array(theta[0..<(l * q)])), couplings: couplings.tensor)
    }
}
