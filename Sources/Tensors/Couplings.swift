/// The pairwise couplings of a model over L sites with q states, and the one place that knows their
/// layout. J is (L, L, q, q), row-major: J_ij(a, b) = J[i, j, a, b] sits at ((i·L + j)·q + a)·q + b,
/// and the q×q block of the pair (i, j) starts at (i·L + j)·q².
/// Potts forms are symmetric, J[i, j, a, b] == J[j, i, b, a], with zero diagonal blocks J_ii; an
/// autoregressive model's are not (each pair's block sits on one side only).
/// The packed form keeps only the blocks i < j, in order (0,1), (0,2) … (0,L−1), (1,2) …, each q×q
/// row-major: L(L−1)/2 · q² numbers, the parameters a pseudolikelihood fit optimises.
public struct Couplings: Sendable, Equatable {
    public let length: Int
    public let states: Int
    /// L·L·q·q numbers in the layout above.
    public var scalars: [Float]

    /// All zero.
    public init(length: Int, states: Int) {
        self.length = length; self.states = states
        scalars = [Float](repeating: 0, count: length * length * states * states)
    }

    public init(length: Int, states: Int, scalars: [Float]) {
        precondition(scalars.count == length * length * states * states, "couplings need L·L·q·q = \(length * length * states * states) numbers, got \(scalars.count)")
        self.length = length; self.states = states; self.scalars = scalars
    }

    /// From an (L, L, q, q) tensor.
    public init(_ tensor: Tensor) {
        precondition(tensor.rank == 4 && tensor.shape[0] == tensor.shape[1] && tensor.shape[2] == tensor.shape[3],
                     "couplings must be (L, L, q, q), got \(tensor.shape)")
        self.init(length: tensor.shape[0], states: tensor.shape[2], scalars: tensor.scalars)
    }

    /// As an (L, L, q, q) tensor.
    public var tensor: Tensor { Tensor(shape: [length, length, states, states], scalars: scalars) }

    // MARK: element access

    /// Where J_ij(a, b) sits in the flat (L, L, q, q) array.
    @inlinable public static func index(_ i: Int, _ j: Int, _ a: Int, _ b: Int, length l: Int, states q: Int) -> Int {
        ((i * l + j) * q + a) * q + b
    }

    /// Where the q×q block J_ij starts in the flat array.
    @inlinable public static func blockOffset(_ i: Int, _ j: Int, length l: Int, states q: Int) -> Int {
        (i * l + j) * q * q
    }

    @inlinable public func index(_ i: Int, _ j: Int, _ a: Int, _ b: Int) -> Int {
        Couplings.index(i, j, a, b, length: length, states: states)
    }

    /// J_ij(a, b).
    @inlinable public subscript(i: Int, j: Int, a: Int, b: Int) -> Float {
        get { scalars[index(i, j, a, b)] }
        set { scalars[index(i, j, a, b)] = newValue }
    }

    // MARK: packed i < j ↔ full

    /// Numbers in the packed form: L(L−1)/2 · q².
    @inlinable public static func packedCount(length l: Int, states q: Int) -> Int { l * (l - 1) / 2 * q * q }

    /// Where the block of the pair i < j starts in the packed form.
    @inlinable public static func packedOffset(_ i: Int, _ j: Int, length l: Int, states q: Int) -> Int {
        (i * (2 * l - i - 1) / 2 + (j - i - 1)) * q * q
    }

    /// The blocks i < j, packed.
    public func packedUpperTriangle() -> [Float] {
        let (l, q) = (length, states)
        var out = [Float](repeating: 0, count: Couplings.packedCount(length: l, states: q))
        for i in 0..<l { for j in (i + 1)..<Swift.max(l, i + 1) {
            let (o, base) = (Couplings.packedOffset(i, j, length: l, states: q), Couplings.blockOffset(i, j, length: l, states: q))
            for k in 0..<(q * q) { out[o + k] = scalars[base + k] }
        } }
        return out
    }

    /// The symmetric couplings whose blocks i < j are `packed` (J_ji = J_ijᵀ, J_ii = 0): the inverse
    /// of `packedUpperTriangle()`. It reads contiguous storage: element by element through the
    /// generic collection from another module, each read allocated a coroutine frame. (The Potts fit
    /// builds its model through `CouplingParameters.couplings(_:)`, which writes the same layout
    /// straight from θ.)
    public init<C: RandomAccessCollection>(packedUpperTriangle packed: C, length l: Int, states q: Int) where C.Element == Float, C.Index == Int {
        precondition(packed.count == Couplings.packedCount(length: l, states: q), "packed couplings need L(L−1)/2·q² numbers")
        self.init(length: l, states: q)
        guard l > 1 && q > 0 else { return }                   // no pair: nothing to fill
        func fill(_ p: UnsafeBufferPointer<Float>, _ out: UnsafeMutablePointer<Float>) {
            for i in 0..<l { for j in (i + 1)..<Swift.max(l, i + 1) {
                let o = Couplings.packedOffset(i, j, length: l, states: q)
                for a in 0..<q { for b in 0..<q {
                    let t = p[o + a * q + b]
                    out[Couplings.index(i, j, a, b, length: l, states: q)] = t
                    out[Couplings.index(j, i, b, a, length: l, states: q)] = t
                } }
            } }
        }
        scalars.withUnsafeMutableBufferPointer { out in
            if packed.withContiguousStorageIfAvailable({ fill($0, out.baseAddress!) }) == nil {
                Array(packed).withUnsafeBufferPointer { fill($0, out.baseAddress!) }
            }
        }
    }

    // MARK: symmetry

    /// ½(J_ij(a, b) + J_ji(b, a)) for i ≠ j, zero diagonal blocks: the symmetric part.
    public func symmetrised() -> Couplings {
        let (l, q) = (length, states)
        var out = Couplings(length: l, states: q)
        scalars.withUnsafeBufferPointer { w in
            for i in 0..<l { for k in 0..<l where k != i { for a in 0..<q { for b in 0..<q {
                out.scalars[index(i, k, a, b)] = 0.5 * (w[index(i, k, a, b)] + w[index(k, i, b, a)])
            } } } }
        }
        return out
    }

    /// The symmetric part's blocks i < j, packed (`symmetrised().packedUpperTriangle()` without the
    /// full intermediate).
    public func symmetrisedPackedUpperTriangle() -> [Float] {
        let (l, q) = (length, states)
        var out = [Float](repeating: 0, count: Couplings.packedCount(length: l, states: q))
        scalars.withUnsafeBufferPointer { w in
            for i in 0..<l { for j in (i + 1)..<Swift.max(l, i + 1) {
                let o = Couplings.packedOffset(i, j, length: l, states: q)
                for a in 0..<q { for b in 0..<q { out[o + a * q + b] = 0.5 * (w[index(i, j, a, b)] + w[index(j, i, b, a)]) } }
            } }
        }
        return out
    }

    /// Sets J_ji = J_ijᵀ (the block (j, i) from the block (i, j)).
    public mutating func mirror(_ i: Int, _ j: Int) {
        let q = states
        for a in 0..<q { for b in 0..<q { scalars[index(j, i, b, a)] = scalars[index(i, j, a, b)] } }
    }

    // MARK: gauge and norms

    /// Row, column and grand means of the block J_ij restricted to the states `block` (k of them):
    /// r_a = Σ_b J_ij(a, b)/k, c_b = Σ_a J_ij(a, b)/k, m = Σ_ab J_ij(a, b)/k².
    public func blockMeans(_ i: Int, _ j: Int, states block: Range<Int>) -> (row: [Float], column: [Float], mean: Float) {
        let k = block.count
        let base = Couplings.blockOffset(i, j, length: length, states: states)
        var row = [Float](repeating: 0, count: k), column = [Float](repeating: 0, count: k)
        var total: Float = 0
        scalars.withUnsafeBufferPointer { jj in
            for a in 0..<k { for b in 0..<k {
                let v = jj[base + (block.lowerBound + a) * states + block.lowerBound + b]
                row[a] += v; column[b] += v; total += v
            } }
        }
        let kf = Float(k)
        for a in 0..<k { row[a] /= kf; column[a] /= kf }
        return (row, column, total / (kf * kf))
    }

    /// The block J_ij over the states `block`, double centred — the zero-sum gauge within the block:
    /// J̃(a, b) = J(a, b) − r_a − c_b + m, so every row and column of J̃ sums to zero (k×k, row-major).
    public func centredBlock(_ i: Int, _ j: Int, states block: Range<Int>) -> [Float] {
        let k = block.count
        let base = Couplings.blockOffset(i, j, length: length, states: states)
        let (row, column, mean) = blockMeans(i, j, states: block)
        var out = [Float](repeating: 0, count: k * k)
        for a in 0..<k { for b in 0..<k {
            out[a * k + b] = scalars[base + (block.lowerBound + a) * states + block.lowerBound + b] - row[a] - column[b] + mean
        } }
        return out
    }

    /// ‖J̃_ij‖_F over the states `block`: the block double centred (`centredBlock`), or as stored
    /// when `centred` is false.
    public func blockNorm(_ i: Int, _ j: Int, states block: Range<Int>, centred: Bool = true) -> Float {
        var norm: Float = 0
        if centred {
            for v in centredBlock(i, j, states: block) { norm += v * v }
        } else {
            let base = Couplings.blockOffset(i, j, length: length, states: states)
            for a in block { for b in block { let v = scalars[base + a * states + b]; norm += v * v } }
        }
        return norm.squareRoot()
    }
}
