import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// Draws sequences from a Potts model by Gibbs sampling: each sweep visits every site i and draws
/// x_i ~ P(x_i | x_¬i) ∝ exp(h_i(a) + Σ_{j≠i} J_ij(a, x_j)). Each sample comes from its own chain
/// (uniform random start, `burnIn` sweeps), so samples are independent; seeded and deterministic.
public struct GibbsSampler: Sendable {
    public var model: PottsModel
    public var burnIn: Int
    /// States a site may take (e.g. exclude the gap): defaults to all q.
    public var allowedStates: Int

    public init(model: PottsModel, burnIn: Int = 20, allowedStates: Int? = nil) {
        self.model = model; self.burnIn = burnIn; self.allowedStates = allowedStates ?? model.states
    }

    /// N × L codes, row-major.
    public func sample(count: Int, seed: UInt64) -> [UInt8] {
        let (l, q, k) = (model.length, model.states, allowedStates)
        var out = [UInt8](repeating: 0, count: count * l)
        var rng = RandomGenerator(seed: seed)
        var x = [Int](repeating: 0, count: l)
        var logits = [Double](repeating: 0, count: k)
        model.fields.scalars.withUnsafeBufferPointer { h in
            model.couplings.scalars.withUnsafeBufferPointer { jj in
                for s in 0..<count {
                    for i in 0..<l { x[i] = rng.int(below: k) }
                    for _ in 0..<burnIn {
                        for i in 0..<l {
                            var m = -Double.infinity
                            for a in 0..<k {
                                var z = Double(h[i * q + a])
                                for j in 0..<l where j != i { z += Double(jj[((i * l + j) * q + a) * q + x[j]]) }
                                logits[a] = z; m = Swift.max(m, z)
                            }
                            var total = 0.0
                            for a in 0..<k { logits[a] = Glibc.exp(logits[a] - m); total += logits[a] }
                            var u = rng.uniformDouble() * total
                            var pick = k - 1
                            for a in 0..<k { u -= logits[a]; if u < 0 { pick = a; break } }
                            x[i] = pick
                        }
                    }
                    for i in 0..<l { out[s * l + i] = UInt8(x[i]) }
                }
            }
        }
        return out
    }
}
