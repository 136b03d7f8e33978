import Tensors

/// A Potts model's single-site conditionals laid out for Gibbs sampling:
///   z_i(a) = h_i(a) + Σ_{j ∈ N(i)} J_ji(x_j, a),   N(i) = { j ≠ i : block J_ij has a non-zero entry },
/// with site i's blocks J_ji (q × q, row x_j contiguous over a) stored one after another in
/// ascending j. `PottsModel.conditionalLogits` reads the same rows straight from the (L, L, q, q)
/// tensor, one row L·q² floats away from the next (a cache and TLB miss per term); here they lie
/// within |N(i)|·q² contiguous floats, and a sparse model (the planted couplings of
/// `seqgen simulate`: about two neighbours per site) costs O(|N(i)|·q) per site instead of O(L·q).
///
/// The sum runs over the same rows in the same order and leaves out only exact zeros
/// (z + 0 = z in IEEE arithmetic), so the logits — and every sample drawn from them — equal
/// `PottsModel`'s bit for bit. Memory: L·q + Σ_i |N(i)|·q² floats (the coupling tensor's size for
/// a dense model).
public struct SiteConditionals: GibbsConditionals, Sendable {
    public let length: Int, states: Int
    /// h (L × q).
    let fields: [Float]
    /// Site i's neighbours are `neighbours[start[i]..<start[i + 1]]`; their blocks J_ji follow in
    /// `blocks` in the same order, q² floats each.
    let start: [Int], neighbours: [Int]
    let blocks: [Float]

    public init(_ model: PottsModel) {
        let (l, q) = (model.length, model.states)
        length = l; states = q
        fields = model.fields.scalars
        var start = [0], neighbours: [Int] = [], blocks: [Float] = []
        model.couplings.scalars.withUnsafeBufferPointer { jj in
            for i in 0..<l {
                for j in 0..<l where j != i {
                    let block = UnsafeBufferPointer(rebasing: jj[Couplings.blockOffset(j, i, length: l, states: q)..<(Couplings.blockOffset(j, i, length: l, states: q) + q * q)])
                    guard block.contains(where: { $0 != 0 }) else { continue }
                    neighbours.append(j)
                    blocks.append(contentsOf: block)
                }
                start.append(neighbours.count)
            }
        }
        self.start = start; self.neighbours = neighbours; self.blocks = blocks
    }

    /// Coupling blocks kept (of L(L − 1)).
    public var blockCount: Int { neighbours.count }

    public func makeCache(_ x: [UInt8]) {}

    /// logits[a] = h_i(a) + Σ_{j ∈ N(i)} J_ji(x_j, a), accumulated in Float in ascending j.
    public func conditionalLogits(site i: Int, _ x: [UInt8], _ cache: Void, into logits: UnsafeMutablePointer<Double>) {
        let q = states
        withUnsafeTemporaryAllocation(of: Float.self, capacity: q) { z in
            fields.withUnsafeBufferPointer { h in
                neighbours.withUnsafeBufferPointer { nb in
                    blocks.withUnsafeBufferPointer { bb in
                        for a in 0..<q { z[a] = h[i * q + a] }
                        var row = bb.baseAddress! + start[i] * q * q
                        for k in start[i]..<start[i + 1] {
                            let r = row + Int(x[nb[k]]) * q
                            for a in 0..<q { z[a] += r[a] }
                            row += q * q
                        }
                    }
                }
            }
            for a in 0..<q { logits[a] = Double(z[a]) }
        }
    }

    public func update(site i: Int, from old: UInt8, _ x: [UInt8], _ cache: inout Void) {}

    /// E(x) = Σ_i h_i(x_i) + Σ_{i<j} J_ij(x_i, x_j).
    public func score(_ x: [UInt8], _ cache: Void) -> Double {
        let q = states
        var e = 0.0
        for i in 0..<length {
            e += Double(fields[i * q + Int(x[i])])
            for k in start[i]..<start[i + 1] where neighbours[k] < i {
                e += Double(blocks[k * q * q + Int(x[neighbours[k]]) * q + Int(x[i])])
            }
        }
        return e
    }
}
