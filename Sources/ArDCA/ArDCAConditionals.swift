import Tensors
import Potts
#if canImport(Glibc)
import Glibc
#endif

/// Gibbs sampling from an autoregressive model, for conditional sampling (fixed columns, chains
/// started at a sequence), where ancestral sampling alone would not condition on columns that
/// come later in the order. The single-site conditional follows from the exact likelihood:
///
///   log P(x_i = a | x_¬i) = z_p(a) + Σ_{t>p} [ d_t(a)(x_{σ(t)}) − log Σ_c exp(z_t(c) + d_t(a)(c)) ] + const,
///
/// p = pos(i), z_t the current logits of factor t, d_t(a)(c) = W_t[(p, a), c] − W_t[(p, x_i), c].
/// The cache keeps z (L × q); a conditional costs O((L − p)·q²) and an accepted change O((L − p)·q).
extension ArDCAModel: GibbsConditionals {
    public struct Cache: Sendable {
        /// z[t·q + c]: logits of factor t for the current sequence.
        var z: [Float]
    }

    public func makeCache(_ x: [UInt8]) -> Cache {
        let (l, q) = (length, states)
        let y = positionOrder(x)
        var z = [Float](repeating: 0, count: l * q)
        parameters.withUnsafeBufferPointer { t in
            y.withUnsafeBufferPointer { yp in
                z.withUnsafeMutableBufferPointer { zp in
                    for p in 0..<l { ArDCAModel.logits(t.baseAddress!, position: p, states: q, yp.baseAddress!, into: zp.baseAddress! + p * q) }
                }
            }
        }
        return Cache(z: z)
    }

    public func conditionalLogits(site i: Int, _ x: [UInt8], _ cache: Cache, into logits: UnsafeMutablePointer<Double>) {
        let (l, q) = (length, states)
        let p = position[i]
        let xi = Int(x[i])
        var shifted = [Float](repeating: 0, count: q)
        parameters.withUnsafeBufferPointer { tb in
            cache.z.withUnsafeBufferPointer { zb in
                shifted.withUnsafeMutableBufferPointer { sb in
                    let s = sb.baseAddress!
                    for a in 0..<q { logits[a] = Double(zb[p * q + a]) }
                    for t in (p + 1)..<Swift.max(l, p + 1) {
                        let w = tb.baseAddress! + ArDCAModel.offset(position: t, states: q)
                        let base = w + (p * q + xi) * q
                        let yt = Int(x[order[t]])
                        let zt = zb.baseAddress! + t * q
                        for a in 0..<q {
                            let row = w + (p * q + a) * q
                            for c in 0..<q { s[c] = zt[c] + row[c] - base[c] }
                            logits[a] += Double(row[yt] - base[yt]) - ArDCAModel.logSumExp(s, q)
                        }
                    }
                }
            }
        }
    }

    public func update(site i: Int, from old: UInt8, _ x: [UInt8], _ cache: inout Cache) {
        let (l, q) = (length, states)
        let p = position[i]
        let (new, previous) = (Int(x[i]), Int(old))
        parameters.withUnsafeBufferPointer { tb in
            cache.z.withUnsafeMutableBufferPointer { zb in
                for t in (p + 1)..<Swift.max(l, p + 1) {
                    let w = tb.baseAddress! + ArDCAModel.offset(position: t, states: q)
                    for c in 0..<q { zb[t * q + c] += w[(p * q + new) * q + c] - w[(p * q + previous) * q + c] }
                }
            }
        }
    }

    /// The exact log-likelihood of the current sequence.
    public func score(_ x: [UInt8], _ cache: Cache) -> Double {
        let q = states
        var total = 0.0
        cache.z.withUnsafeBufferPointer { zb in
            for p in 0..<length {
                total += Double(zb[p * q + Int(x[order[p]])]) - ArDCAModel.logSumExp(zb.baseAddress! + p * q, q)
            }
        }
        return total
    }
}

/// The factor logits of the last background a model scored variants in (mutation scans score
/// thousands of variants in one background). Thread-safe.
public final class BackgroundLogits: @unchecked Sendable {
    private let lock = Lock()
    private var background: [UInt8] = []
    private var z: [Float] = []
    public init() {}
    public func logits(for x: [UInt8], _ compute: () -> ArDCAModel.Cache) -> [Float] {
        lock.locked {
            if x != background || z.isEmpty { z = compute().z; background = x }
            return z
        }
    }
}
