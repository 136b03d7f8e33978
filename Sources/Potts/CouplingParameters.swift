import Tensors
import Sequences

/// Which couplings the parameter vector θ holds after its L·q fields, and where: the layout the
/// optimiser sees.
///
/// - `.every`: every J_ij(a,b), i < j, in (i, j, a, b) order — L(L−1)/2·q² floats, the layout of
///   `Couplings.packedUpperTriangle`.
/// - `.live`: only the entries the likelihood reads. J_ij(a,b) enters F through site j's
///   conditional when column i shows a (it reads J_ij(x_i, ·)) and through site i's when column j
///   shows b (J_ij(·, x_j)). An entry with neither, or with a missing gap, has the penalty's
///   gradient 2λ_J·J_ij(a,b) alone and stays at 0 from a zero start, so leaving it out changes
///   nothing but the work: every L-BFGS pass and both layout passes shrink with it. Per pair, row
///   a (in code order) holds every state b (the missing gap's excepted) when column i shows a,
///   the states column j shows when it does not, and nothing for the missing gap. GFP_AEQVI's 156
///   sequences: 0.48 of every entry.
///
/// "Shows" is the kernel layouts' (`KernelLayouts`): the slots are the shown states, so a row's
/// entries for column j's states sit in slot order. The layout keeps its own copy of the shown
/// states (small), so the model can be built after the objective and its layouts are gone.
public struct CouplingParameters: Sendable {
    public enum Kind: String, Sendable { case every, live }
    public let kind: Kind
    public let length: Int, states: Int
    /// Entries in a full row: q, or q − 1 when the gap (the last code) is missing data and θ is live.
    let width: Int
    /// rowKind[i·q + a]: what row a of every pair (i, j > i) holds — 0 nothing, 1 column j's
    /// shown states, 2 every state below `width`.
    let rowKind: [UInt8]
    /// Per column i, the full and the partial rows before row a (i·q + a), and in all (L each).
    let fullBefore: [Int32], partialBefore: [Int32]
    let fullRows: [Int], partialRows: [Int]
    /// Σ_{j′ < j} (states column j′ shows), L + 1 entries; where pair (i, i + 1) starts after the
    /// fields, L + 1 entries (the last is the couplings' total).
    let shownBefore: [Int], pairStart: [Int]
    /// Column j's shown states are shownStates[shownBefore[j]..<shownBefore[j + 1]] (code order);
    /// rank[j·q + b]: b's place among them, or nil.
    let shownStates: [UInt8], rank: [UInt8?]

    /// The layout for the kernel layouts' shown states (their slots).
    public init(_ layouts: KernelLayouts, kind: Kind) {
        let (l, q) = (layouts.length, layouts.states)
        var shown = [Bool](repeating: false, count: l * q)
        for j in 0..<l { for s in Int(layouts.slotStarts[j])..<Int(layouts.slotStarts[j + 1]) { shown[j * q + Int(layouts.slotStates[s])] = true } }
        self.init(shown: shown, length: l, states: q, missing: layouts.missing, kind: kind)
    }

    /// The layout for an alignment's rows (no kernel layouts needed: the count before a fit).
    public init(_ msa: MultipleSequenceAlignment, gapsAsMissing: Bool, kind: Kind) {
        let (l, q) = (msa.length, msa.alphabet.size)
        self.init(shown: KernelLayouts.shownStates(msa.codes, length: l, states: q, gapsAsMissing: gapsAsMissing),
                  length: l, states: q, missing: gapsAsMissing ? q - 1 : Int.max, kind: kind)
    }

    /// shown[j·q + b]: column j shows state b (never the missing gap).
    init(shown: [Bool], length l: Int, states q: Int, missing: Int, kind: Kind) {
        self.kind = kind; length = l; states = q
        width = kind == .live && missing < q ? q - 1 : q
        var rows = [UInt8](repeating: 2, count: l * q)
        if kind == .live { for k in 0..<(l * q) { rows[k] = k % q == missing ? 0 : shown[k] ? 2 : 1 } }
        rowKind = rows
        var fb = [Int32](repeating: 0, count: l * q), pb = fb, fr = [Int](repeating: 0, count: l), pr = fr
        for i in 0..<l {
            for a in 0..<q {
                fb[i * q + a] = Int32(fr[i]); pb[i * q + a] = Int32(pr[i])
                if rows[i * q + a] == 2 { fr[i] += 1 } else if rows[i * q + a] == 1 { pr[i] += 1 }
            }
        }
        fullBefore = fb; partialBefore = pb; fullRows = fr; partialRows = pr
        var before = [Int](repeating: 0, count: l + 1), states = [UInt8](), ranks = [UInt8?](repeating: nil, count: l * q)
        for j in 0..<l {
            for b in 0..<q where shown[j * q + b] { ranks[j * q + b] = UInt8(states.count - before[j]); states.append(UInt8(b)) }
            before[j + 1] = states.count
        }
        shownBefore = before; shownStates = states; rank = ranks
        var starts = [Int](repeating: 0, count: l + 1)
        for i in 0..<l { starts[i + 1] = starts[i] + (l - 1 - i) * fr[i] * width + pr[i] * (before[l] - before[i + 1]) }
        pairStart = starts
    }

    /// Floats in θ: the fields and the couplings held.
    public var count: Int { length * states + pairStart[length] }

    /// Where J_ij (i < j) starts in θ. Its row a starts `rowOffset(i, a, j)` further on.
    public func offset(_ i: Int, _ j: Int) -> Int {
        length * states + pairStart[i] + (j - i - 1) * fullRows[i] * width + partialRows[i] * (shownBefore[j] - shownBefore[i + 1])
    }

    /// Floats θ holds for J_ij (i < j).
    func pairCount(_ i: Int, _ j: Int) -> Int {
        fullRows[i] * width + partialRows[i] * (shownBefore[j + 1] - shownBefore[j])
    }

    /// Where row a of J_ij starts within the pair's block.
    func rowOffset(_ i: Int, _ a: Int, _ j: Int) -> Int {
        Int(fullBefore[i * states + a]) * width + Int(partialBefore[i * states + a]) * (shownBefore[j + 1] - shownBefore[j])
    }

    /// The index of J_ij(a, b) (i < j) in θ, or nil when θ does not hold it (it is 0).
    public func index(_ i: Int, _ j: Int, _ a: Int, _ b: Int) -> Int? {
        let row = offset(i, j) + rowOffset(i, a, j)
        switch rowKind[i * states + a] {
        case 2: return b < width ? row + b : nil
        case 1: return rank[j * states + b].map { row + Int($0) }
        default: return nil
        }
    }

    /// θ in the `.every` layout (the entries θ does not hold are 0).
    public func expanded(_ theta: [Float]) -> [Float] {
        guard kind == .live else { return theta }
        let (l, q) = (length, states)
        var out = [Float](repeating: 0, count: l * q + l * (l - 1) / 2 * q * q)
        for k in 0..<(l * q) { out[k] = theta[k] }
        forEachEntry { i, j, a, b, k in out[l * q + Couplings.packedOffset(i, j, length: l, states: q) + a * q + b] = theta[k] }
        return out
    }

    /// The entries of an `.every`-layout vector that θ holds.
    public func compacted(_ every: [Float]) -> [Float] {
        guard kind == .live else { return every }
        let (l, q) = (length, states)
        var out = [Float](repeating: 0, count: count)
        for k in 0..<(l * q) { out[k] = every[k] }
        forEachEntry { i, j, a, b, k in out[k] = every[l * q + Couplings.packedOffset(i, j, length: l, states: q) + a * q + b] }
        return out
    }

    /// The symmetric couplings (L, L, q, q) that θ's couplings describe (J_ji = J_ijᵀ, J_ii = 0, the
    /// entries θ does not hold 0), written straight from θ: no `.every` copy on the way.
    public func couplings(_ theta: [Float]) -> Couplings {
        let (l, q) = (length, states)
        var out = Couplings(length: l, states: q)
        guard l > 1 else { return out }
        out.scalars.withUnsafeMutableBufferPointer { ob in
            theta.withUnsafeBufferPointer { tb in
                let (o, t) = (ob.baseAddress!, tb.baseAddress!)
                forEachEntry { i, j, a, b, k in
                    o[Couplings.index(i, j, a, b, length: l, states: q)] = t[k]
                    o[Couplings.index(j, i, b, a, length: l, states: q)] = t[k]
                }
            }
        }
        return out
    }

    /// body(i, j, a, b, index) for every coupling θ holds, in θ's order.
    @inline(__always)
    func forEachEntry(_ body: (Int, Int, Int, Int, Int) -> Void) {
        let (l, q) = (length, states)
        var k = l * q
        for i in 0..<l {
            for j in (i + 1)..<Swift.max(l, i + 1) {
                for a in 0..<q {
                    switch rowKind[i * q + a] {
                    case 2: for b in 0..<width { body(i, j, a, b, k); k += 1 }
                    case 1: for s in shownBefore[j]..<shownBefore[j + 1] { body(i, j, a, Int(shownStates[s]), k); k += 1 }
                    default: break
                    }
                }
            }
        }
    }
}

extension CouplingParameters {
    /// The Potts model with parameters θ (fields first, then the couplings this layout holds).
    public func model(from theta: [Float], alphabet: Alphabet) -> PottsModel {
        let (l, q) = (length, states)
        return PottsModel(alphabet: alphabet, fields: Tensor(shape: [l, q], scalars: Array(theta[0..<(l * q)])), couplings: couplings(theta).tensor)
    }
}
