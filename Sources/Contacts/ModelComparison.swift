import Tensors
import Statistics

/// Agreement between two models that expose couplings (and, for attention models, heads), or
/// between contact maps:
/// - couplings: Pearson and Spearman over every pair i < j and amino-acid pair (a, b), after
///   double-centring each block of residue states (20×20 for proteins, 4×4 for RNA; raw couplings
///   depend on the gauge, centred ones do not);
/// - contact maps (APC-corrected Frobenius norms): Pearson and Spearman over pairs with
///   |i − j| ≥ `minimumSeparation`, and the overlap of the two top-L lists;
/// - for each head of an attention model, its symmetrised attention map against the *other*
///   model's contact map (Spearman, top-L overlap), ranked best first.
public struct ModelComparison: Sendable {
    public struct HeadAgreement: Sendable {
        public var model: Int, head: Int
        public var spearman: Double
        public var topOverlap: Int
    }

    public var length: Int
    public var couplingPearson: Double?, couplingSpearman: Double?
    public var contactPearson: Double?, contactSpearman: Double?
    public var topOverlap: Int, topCount: Int
    public var heads: [HeadAgreement]
    public var contactsA: ContactMap, contactsB: ContactMap

    public init(couplingsA: Tensor, couplingsB: Tensor, attentionA: Tensor? = nil, attentionB: Tensor? = nil,
                block given: Range<Int>? = nil, minimumSeparation: Int = 6) {
        precondition(couplingsA.shape == couplingsB.shape, "models differ in shape: \(couplingsA.shape) vs \(couplingsB.shape)")
        let block = given ?? ModelComparison.residueStates(couplingsA)
        self.init(contactsA: ContactMap.frobeniusNorms(couplings: couplingsA, block: block).apc(),
                  contactsB: ContactMap.frobeniusNorms(couplings: couplingsB, block: block).apc(),
                  attentionA: attentionA, attentionB: attentionB, minimumSeparation: minimumSeparation)
        let ca = ModelComparison.centredBlocks(couplingsA, block), cb = ModelComparison.centredBlocks(couplingsB, block)
        couplingPearson = pearson(ca, cb)
        couplingSpearman = pearson(averageRanks(ca), averageRanks(cb))
    }

    /// The comparison of two contact maps alone (a CCMpred `.mat` beside a model's map): no
    /// coupling statistics.
    public init(contactsA mapA: ContactMap, contactsB mapB: ContactMap, attentionA: Tensor? = nil, attentionB: Tensor? = nil,
                minimumSeparation: Int = 6) {
        precondition(mapA.length == mapB.length, "maps differ in length: \(mapA.length) vs \(mapB.length)")
        let l = mapA.length
        length = l
        couplingPearson = nil; couplingSpearman = nil
        contactsA = mapA; contactsB = mapB
        let pairs = (0..<l).flatMap { i in ((i + minimumSeparation)..<Swift.max(l, i + minimumSeparation)).map { (i, $0) } }
        let sa = pairs.map { Double(mapA[$0.0, $0.1]) }, sb = pairs.map { Double(mapB[$0.0, $0.1]) }
        contactPearson = pearson(sa, sb)
        contactSpearman = pearson(averageRanks(sa), averageRanks(sb))
        topCount = Swift.min(l, pairs.count)
        func top(_ scores: [Double]) -> Set<Int> { Set(scores.indices.sorted { scores[$0] > scores[$1] }.prefix(l)) }
        let topA = top(sa), topB = top(sb)
        topOverlap = topA.intersection(topB).count
        var agreements: [HeadAgreement] = []
        for (index, attention, other, otherTop) in [(0, attentionA, sb, topB), (1, attentionB, sa, topA)] {
            guard let attention else { continue }
            let h = attention.shape[0]
            let otherRanks = averageRanks(other)
            for k in 0..<h {
                let m = pairs.map { Double(attention.scalars[(k * l + $0.0) * l + $0.1] + attention.scalars[(k * l + $0.1) * l + $0.0]) / 2 }
                agreements.append(HeadAgreement(model: index, head: k, spearman: pearson(averageRanks(m), otherRanks) ?? 0,
                                                topOverlap: top(m).intersection(otherTop).count))
            }
        }
        heads = agreements.sorted { $0.spearman > $1.spearman }
    }

    /// Every state but the last (the gap): 0..<20 for proteins, 0..<4 for RNA (A, C, G, U).
    public static func residueStates(_ couplings: Tensor) -> Range<Int> { 0..<(Couplings(couplings).states - 1) }

    /// Centred blocks (every residue state) of every pair i < j (`Couplings.centredBlock`), flattened.
    static func centredBlocks(_ j: Tensor, _ block: Range<Int>) -> [Double] {
        let table = Couplings(j)
        let (l, k) = (table.length, block.count)
        var out: [Double] = []
        out.reserveCapacity(l * (l - 1) / 2 * k * k)
        for i in 0..<l { for m in (i + 1)..<Swift.max(l, i + 1) {
            out += table.centredBlock(i, m, states: block).map(Double.init)
        } }
        return out
    }
}

