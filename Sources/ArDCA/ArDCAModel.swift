import Tensors
import Sequences
import Potts
import NumPyIO
import FileIO
#if canImport(Glibc)
import Glibc
#endif

/// Autoregressive DCA (Trinquier, Uguzzoni, Pagnani, Zamponi & Weigt 2021, Nat Commun 12:5800):
///
///   P(x) = Π_{p=0}^{L−1} P(x_{σ(p)} | x_{σ(0)}, …, x_{σ(p−1)}),
///   P(x_{σ(p)} = a | x_<p) = softmax_a( h_p(a) + Σ_{m<p} W_p[(m, x_{σ(m)}), a] ),
///
/// where σ = `order` lists the columns in the order they are generated (entropic by default: the
/// most conserved column first). Every factor is normalised, so log P(x) is exact, sampling is
/// ancestral (exact and independent), and mutation effects are exact log-likelihood ratios.
///
/// Parameters are kept in position space, packed exactly as the fit's parameter vector: for
/// position p, the (p·q) × q matrix W_p (row (m, b) = the coupling of position p's logits to state
/// b at earlier position m) followed by the q fields h_p; block p starts at `offset(p)`.
/// In column space (the archive) this is J[i, j, a, b] = W_{pos(i)}[(pos(j), b), a] when column j
/// comes before column i, and 0 otherwise — J is *not* symmetric.
public struct ArDCAModel: Sendable {
    public static let kind = "ardca"

    public let alphabet: Alphabet
    /// order[p] = the column generated p-th.
    public let order: [Int]
    /// position[i] = p with order[p] = i.
    public let position: [Int]
    /// Packed position-space parameters (see the type's comment); `parameterCount` floats.
    public let parameters: [Float]
    /// Logits of the last background variants were scored in (see `effect(of:background:)`).
    public let backgroundCache = BackgroundLogits()

    public var length: Int { order.count }
    public var states: Int { alphabet.size }

    public init(alphabet: Alphabet, order: [Int], parameters: [Float]) {
        let l = order.count
        precondition(Set(order) == Set(0..<l), "order must be a permutation of 0..<L")
        precondition(parameters.count == ArDCAModel.parameterCount(length: l, states: alphabet.size), "parameter vector has the wrong size")
        self.alphabet = alphabet; self.order = order; self.parameters = parameters
        var pos = [Int](repeating: 0, count: l)
        for (p, i) in order.enumerated() { pos[i] = p }
        position = pos
    }

    /// Start of position p's block: Σ_{m<p} (m·q² + q).
    @inlinable public static func offset(position p: Int, states q: Int) -> Int { q * q * (p * (p - 1) / 2) + p * q }
    /// Floats in position p's block: W_p (p·q × q) then h_p (q).
    @inlinable public static func blockSize(position p: Int, states q: Int) -> Int { p * q * q + q }
    public static func parameterCount(length l: Int, states q: Int) -> Int { offset(position: l, states: q) }

    /// logits[a] = h_p(a) + Σ_{m<p} W_p[(m, y_m), a] for y in position order (only y[0..<p] is read).
    @inlinable
    public static func logits(_ theta: UnsafePointer<Float>, position p: Int, states q: Int,
                              _ y: UnsafePointer<UInt8>, into z: UnsafeMutablePointer<Float>) {
        let block = theta + offset(position: p, states: q)
        let h = block + p * q * q
        for a in 0..<q { z[a] = h[a] }
        for m in 0..<p {
            let row = block + (m * q + Int(y[m])) * q
            for a in 0..<q { z[a] += row[a] }
        }
    }

    /// log Σ_a exp z_a, with the maximum subtracted.
    @inlinable
    public static func logSumExp(_ z: UnsafePointer<Float>, _ q: Int) -> Double {
        var m = -Float.infinity
        for a in 0..<q { m = Swift.max(m, z[a]) }
        var s: Float = 0
        for a in 0..<q { s += expf(z[a] - m) }
        return Double(m) + Double(logf(s))
    }

    /// The sequence (column order) rearranged into position order.
    public func positionOrder<C: Collection>(_ x: C) -> [UInt8] where C.Element == UInt8, C.Index == Int {
        let s = Array(x)
        return order.map { s[$0] }
    }

    /// log P(x), exact, for an encoded sequence in column order.
    public func logLikelihood<C: Collection>(_ x: C) -> Double where C.Element == UInt8, C.Index == Int {
        let y = positionOrder(x)
        let q = states
        var z = [Float](repeating: 0, count: q)
        var total = 0.0
        parameters.withUnsafeBufferPointer { t in
            y.withUnsafeBufferPointer { yp in
                z.withUnsafeMutableBufferPointer { zp in
                    for p in 0..<length {
                        ArDCAModel.logits(t.baseAddress!, position: p, states: q, yp.baseAddress!, into: zp.baseAddress!)
                        total += Double(zp[Int(yp[p])]) - ArDCAModel.logSumExp(zp.baseAddress!, q)
                    }
                }
            }
        }
        return total
    }

    /// Draws `count` independent sequences (N × L codes, column order) by ancestral sampling.
    /// Sample s uses its own generator seeded from (seed, s), so the output does not depend on the
    /// number of threads. `fixed` (column → state) clamps columns: the result then follows the
    /// clamped proposal, not the exact conditional — `ArDCAConditionals` corrects for that by MCMC.
    public func sample(count: Int, seed: UInt64, fixed: [Int: UInt8] = [:], progress: (@Sendable (Int) -> Void)? = nil) -> [UInt8] {
        let (l, q) = (length, states)
        var out = [UInt8](repeating: 0, count: count * l)
        var clamped = [Int](repeating: -1, count: l)
        for (i, a) in fixed { clamped[position[i]] = Int(a) }
        let clamp = clamped
        let order = self.order
        parameters.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { o in
                nonisolated(unsafe) let (tp, op) = (t.baseAddress!, o.baseAddress!)
                Parallel.forEachWorker(count) { worker, range in
                    var y = [UInt8](repeating: 0, count: l)
                    var z = [Float](repeating: 0, count: q)
                    for s in range {
                        var rng = RandomGenerator(seed: ArDCAModel.sampleSeed(seed, s))
                        y.withUnsafeMutableBufferPointer { yp in
                            z.withUnsafeMutableBufferPointer { zp in
                                for p in 0..<l {
                                    if clamp[p] >= 0 { yp[p] = UInt8(clamp[p]); continue }
                                    ArDCAModel.logits(tp, position: p, states: q, yp.baseAddress!, into: zp.baseAddress!)
                                    yp[p] = UInt8(ArDCAModel.draw(zp.baseAddress!, q, &rng))
                                }
                            }
                        }
                        for p in 0..<l { op[s * l + order[p]] = y[p] }
                        if worker == 0, let progress, (s - range.lowerBound) % 64 == 63 {
                            progress((s - range.lowerBound + 1) * Parallel.workers(for: count))
                        }
                    }
                }
            }
        }
        return out
    }

    static func sampleSeed(_ seed: UInt64, _ s: Int) -> UInt64 { seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(s) &* 0xD1B5_4A32_D192_ED03 &+ 1 }

    /// A state drawn from softmax(z).
    @inlinable
    static func draw(_ z: UnsafePointer<Float>, _ q: Int, _ rng: inout RandomGenerator) -> Int {
        var m = -Float.infinity
        for a in 0..<q { m = Swift.max(m, z[a]) }
        var total = 0.0
        for a in 0..<q { total += Double(expf(z[a] - m)) }
        var u = rng.uniformDouble() * total
        for a in 0..<q {
            u -= Double(expf(z[a] - m))
            if u < 0 { return a }
        }
        return q - 1
    }

    // MARK: column space

    /// Fields (L, q) in column order: h[i, a] = h_{pos(i)}(a).
    public var fields: Tensor {
        var h = [Float](repeating: 0, count: length * states)
        ArDCAModel.forEachColumnSpaceIndex(order: order, states: states, field: { h[$1] = parameters[$0] }, coupling: { _, _ in })
        return Tensor(shape: [length, states], scalars: h)
    }

    /// Couplings (L, L, q, q) in column order: J[i, j, a, b] = W_{pos(i)}[(pos(j), b), a] for
    /// pos(j) < pos(i), else 0 (not symmetric: each pair's block sits on the later column's side).
    public var couplings: Tensor {
        let (l, q) = (length, states)
        var j = [Float](repeating: 0, count: l * l * q * q)
        ArDCAModel.forEachColumnSpaceIndex(order: order, states: q, field: { _, _ in }, coupling: { j[$1] = parameters[$0] })
        return Tensor(shape: [l, l, q, q], scalars: j)
    }

    /// Rebuilds the model from column-space fields, couplings and order (the archive's arrays).
    public init(alphabet: Alphabet, order: [Int], fields h: Tensor, couplings j: Tensor) {
        let (l, q) = (order.count, alphabet.size)
        var theta = [Float](repeating: 0, count: ArDCAModel.parameterCount(length: l, states: q))
        ArDCAModel.forEachColumnSpaceIndex(order: order, states: q, field: { theta[$0] = h.scalars[$1] }, coupling: { theta[$0] = j.scalars[$1] })
        self.init(alphabet: alphabet, order: order, parameters: theta)
    }

    /// The one map between the packed parameters and the column-space arrays: `field(t, f)` for
    /// θ[t] = h[i, a] (f = i·q + a) and `coupling(t, c)` for θ[t] = J[i, k, a, b] (c its
    /// `Couplings.index`), where column i sits at position p and k at an earlier position m:
    /// t = offset(p) + (m·q + b)·q + a for couplings, offset(p) + p·q² + a for fields.
    static func forEachColumnSpaceIndex(order: [Int], states q: Int, field: (Int, Int) -> Void, coupling: (Int, Int) -> Void) {
        let l = order.count
        for (p, i) in order.enumerated() {
            let block = ArDCAModel.offset(position: p, states: q)
            for m in 0..<p {
                let k = order[m]
                for b in 0..<q { for a in 0..<q { coupling(block + (m * q + b) * q + a, Couplings.index(i, k, a, b, length: l, states: q)) } }
            }
            for a in 0..<q { field(block + p * q * q + a, i * q + a) }
        }
    }

    // MARK: archive

    /// The model as an archive: model_type 'ardca', h (L, q), J (L, L, q, q) in column order as in
    /// `couplings`, and `order` (L,) int64 — the columns (0-based) in generation order.
    public func archive(focusName: String, focusSequence: String, residueNumbers: [Int], metadata: [(String, ModelArchive.MetaValue)]) -> ModelArchive {
        var a = ModelArchive(kind: .ardca, alphabet: alphabet, fields: fields, couplings: couplings,
                             focusName: focusName, focusSequence: focusSequence, residueNumbers: residueNumbers, metadata: metadata)
        a.extras = [("order", NumPyArray(ints: order, shape: [length]))]
        return a
    }

    /// Reads an 'ardca' archive; `path` names the file in errors.
    public init(archive: ModelArchive, path: String) throws {
        guard archive.modelType == ArDCAModel.kind else { throw FileIOError(path: path, "model_type is '\(archive.modelType)', not 'ardca'") }
        guard let j = archive.couplings else { throw FileIOError(path: path, "an ardca model needs J") }
        guard let orderArray = archive.extra("order") else { throw FileIOError(path: path, "an ardca model needs 'order'") }
        let order: [Int]
        do { order = try orderArray.ints() } catch let e as NumPyError { throw FileIOError(path: path, "order: \(e.problem)") }
        let l = archive.length
        guard order.count == l, Set(order) == Set(0..<l) else {
            throw FileIOError(path: path, "'order' must be a permutation of the \(l) columns 0..<\(l)")
        }
        self.init(alphabet: archive.alphabet, order: order, fields: archive.fields, couplings: j)
        let q = alphabet.size
        for i in 0..<l { for k in 0..<l where position[k] >= position[i] {
            let base = Couplings.blockOffset(i, k, length: l, states: q)
            if (0..<(q * q)).contains(where: { j.scalars[base + $0] != 0 }) {
                throw FileIOError(path: path, "J[\(i), \(k)] is non-zero but column \(k) does not come before column \(i) in 'order'")
            }
        } }
    }
}
