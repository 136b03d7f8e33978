import Tensors
#if canImport(Glibc)
import Glibc
#endif

extension ArDCAModel {
    /// Epistatic couplings in a background sequence x — the contact score of the ArDCA paper and
    /// ArDCA.jl's `epistatic_score`: the double-mutant epistasis of the exact log-likelihood,
    ///
    ///   ΔΔ_ij(a, b) = log P(x^{i→a, j→b}) − log P(x^{i→a}) − log P(x^{j→b}) + log P(x),
    ///
    /// returned as a symmetric (L, L, q, q) tensor T[i,j,a,b] = T[j,i,b,a] = ΔΔ_ij(a,b) (T[i,i] = 0),
    /// which `ContactMap.frobeniusNorms` + APC turn into contact scores exactly as for a Potts model.
    ///
    /// Computed exactly without evaluating the L²q² double mutants. For columns i, j at positions
    /// r < s, factors before s are additive and cancel; the factor at s contributes the coupling
    /// double difference W_s[(r,a),b] − W_s[(r,x_i),b] − W_s[(r,a),x_j] + W_s[(r,x_i),x_j]; each
    /// later factor t contributes −log M_t(a,b) + log M_t(a,x_j) + log M_t(x_i,b), where
    ///
    ///   M_t(a,b) = Σ_c P_t(c) E_{t,r}(c,a) E_{t,s}(c,b),   E_{t,m}(c,a) = exp(W_t[(m,a),c] − W_t[(m,x_m),c]),
    ///
    /// P_t the background conditional at t (so M_t(x_i, x_j) = 1). For fixed (t, r) all s at once is one
    /// sgemm (q × q)·(q × (t−r−1)q): 2q³·L³/6 FLOPs and L³q²/6 logarithms in all (dhfr: 1.2·10¹⁰
    /// FLOPs, 3·10⁸ logs), threaded over r.
    public func epistaticCouplings(background x: [UInt8]) -> Tensor {
        let (l, q) = (length, states)
        precondition(x.count == l, "background must have L states")
        let y = positionOrder(x)
        let qq = q * q
        var out = [Float](repeating: 0, count: l * l * qq)
        // Background conditionals P_t and the ratio matrices E_t (q rows c × t·q columns (m, a)),
        // with mt[t][(m, a)] = Σ_c P_t(c) E_{t,m}(c, a).
        var prob = [Float](repeating: 0, count: l * q)
        var ratio = [Float](repeating: 0, count: qq * (l * (l - 1) / 2))
        var marginal = [Float](repeating: 0, count: q * (l * (l - 1) / 2))
        let order = self.order
        parameters.withUnsafeBufferPointer { tb in
            y.withUnsafeBufferPointer { yb in
                prob.withUnsafeMutableBufferPointer { pb in
                    ratio.withUnsafeMutableBufferPointer { eb in
                        marginal.withUnsafeMutableBufferPointer { mb in
                            out.withUnsafeMutableBufferPointer { ob in
                                nonisolated(unsafe) let (theta, yp, pp, ep, mp, op) = (tb.baseAddress!, yb.baseAddress!, pb.baseAddress!, eb.baseAddress!, mb.baseAddress!, ob.baseAddress!)
                                Parallel.forEachWorker(l) { _, range in
                                    for t in range {
                                        let z = pp + t * q
                                        ArDCAModel.logits(theta, position: t, states: q, yp, into: z)
                                        let lse = Float(ArDCAModel.logSumExp(z, q))
                                        for c in 0..<q { z[c] = expf(z[c] - lse) }
                                        let w = theta + ArDCAModel.offset(position: t, states: q)
                                        let e = ep + qq * (t * (t - 1) / 2), mt = mp + q * (t * (t - 1) / 2)
                                        let cols = t * q
                                        for m in 0..<t {
                                            let base = w + (m * q + Int(yp[m])) * q
                                            for a in 0..<q {
                                                let row = w + (m * q + a) * q
                                                var s: Float = 0
                                                for c in 0..<q {
                                                    let v = expf(row[c] - base[c])
                                                    e[c * cols + m * q + a] = v
                                                    s += z[c] * v
                                                }
                                                mt[m * q + a] = logf(s)
                                            }
                                        }
                                    }
                                }
                                // Longest-processing-time assignment of r (work ∝ (L − r)²).
                                let workers = Parallel.workers(for: l)
                                let assignment = ArDCAFit.balance(l, workers: workers) { Double((l - $0) * (l - $0)) }
                                Parallel.forEachWorker(workers) { worker, _ in
                                    var a = [Float](repeating: 0, count: qq)
                                    var c = [Float](repeating: 0, count: q * l * q)
                                    a.withUnsafeMutableBufferPointer { ab in
                                        c.withUnsafeMutableBufferPointer { cb in
                                            let (ap, cp) = (ab.baseAddress!, cb.baseAddress!)
                                            for r in assignment[worker] {
                                                let i = order[r]
                                                let xi = Int(yp[r])
                                                // The factor at s: the coupling double difference.
                                                for s in (r + 1)..<Swift.max(l, r + 1) {
                                                    let j = order[s], xj = Int(yp[s])
                                                    let w = theta + ArDCAModel.offset(position: s, states: q)
                                                    let dst = op + Couplings.blockOffset(i, j, length: l, states: q)
                                                    for aa in 0..<q { for b in 0..<q {
                                                        dst[aa * q + b] = w[(r * q + aa) * q + b] - w[(r * q + xi) * q + b]
                                                            - w[(r * q + aa) * q + xj] + w[(r * q + xi) * q + xj]
                                                    } }
                                                }
                                                // Later factors t > s.
                                                for t in (r + 2)..<Swift.max(l, r + 2) {
                                                    let e = ep + qq * (t * (t - 1) / 2), mt = mp + q * (t * (t - 1) / 2)
                                                    let z = pp + t * q
                                                    let cols = t * q
                                                    for aa in 0..<q { for cc in 0..<q { ap[aa * q + cc] = e[cc * cols + r * q + aa] * z[cc] } }
                                                    let n = (t - r - 1) * q
                                                    sgemm(false, false, q, n, q, 1, ap, q, e + (r + 1) * q, cols, 0, cp, n)
                                                    for s in (r + 1)..<t {
                                                        let dst = op + Couplings.blockOffset(i, order[s], length: l, states: q)
                                                        let col = (s - r - 1) * q
                                                        for aa in 0..<q {
                                                            let mr = mt[r * q + aa]
                                                            let row = cp + aa * n + col
                                                            for b in 0..<q { dst[aa * q + b] += mr + mt[s * q + b] - logf(row[b]) }
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // Mirror: T[j,i,b,a] = T[i,j,a,b] for pos(i) < pos(j).
        for r in 0..<l { for s in (r + 1)..<Swift.max(l, r + 1) {
            let (i, j) = (order[r], order[s])
            for a in 0..<q { for b in 0..<q { out[Couplings.index(j, i, b, a, length: l, states: q)] = out[Couplings.index(i, j, a, b, length: l, states: q)] } }
        } }
        return Tensor(shape: [l, l, q, q], scalars: out)
    }
}
