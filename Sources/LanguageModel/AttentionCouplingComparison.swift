import Contacts
import Statistics

/// Every attention head of a language model against a coupling model's contact map (APC
/// Frobenius norms of a Potts model): the seed's "comparing learned couplings to attention maps".
/// Positions are matched by residue number (the LM covers every residue of its query, the coupling
/// model its alignment's match columns); over the common pairs with |i − j| ≥ `minimumSeparation`,
/// each head's symmetrised APC map gets the Spearman correlation with the coupling map and the
/// overlap of the two top-L lists (L = common positions). Heads are ranked by Spearman; the head
/// average (the mean of the head maps, what `seqgen contacts` uses) is scored the same way.
public struct AttentionCouplingComparison: Sendable {
    public struct Head: Sendable {
        public var index: Int
        public var label: String
        public var spearman: Double
        public var topOverlap: Int
    }

    public var heads: [Head]
    /// The mean of every head's map, scored like a head (label "average", index −1).
    public var headAverage: Head
    /// Common positions: (LM index, coupling-model column).
    public var positions: [(lm: Int, column: Int)]
    public var topCount: Int
    /// The maps restricted to the common positions (for figures).
    public var couplingMap: ContactMap
    public var headMaps: [ContactMap]

    public init(heads maps: [ContactMap], labels: [String], lmNumbers: [Int], couplings: ContactMap, couplingNumbers: [Int],
                minimumSeparation: Int = 6) throws {
        var index: [Int: Int] = [:]
        for (k, n) in lmNumbers.enumerated() { index[n] = k }
        let common: [(lm: Int, column: Int)] = couplingNumbers.enumerated().compactMap { c, n in n >= 0 ? index[n].map { ($0, c) } : nil }
        positions = common
        guard common.count >= minimumSeparation + 2 else {
            throw LanguageModelError(path: "compare", "the models share \(positions.count) residue numbers; numbering must agree (query \(lmNumbers.first ?? 0)…\(lmNumbers.last ?? 0), couplings \(couplingNumbers.filter { $0 >= 0 }.first ?? 0)…\(couplingNumbers.last ?? 0))")
        }
        let m = common.count
        func restrict(_ map: ContactMap, _ pick: ((lm: Int, column: Int)) -> Int) -> ContactMap {
            var s = [Float](repeating: 0, count: m * m)
            for a in 0..<m { for b in 0..<m { s[a * m + b] = map[pick(common[a]), pick(common[b])] } }
            return ContactMap(length: m, scores: s)
        }
        let reduced = restrict(couplings) { $0.column }
        let reducedHeads = maps.map { map in restrict(map) { $0.lm } }
        couplingMap = reduced; headMaps = reducedHeads
        let pairs = (0..<m).flatMap { i in ((i + 1)..<m).compactMap { j -> (Int, Int)? in
            abs(common[j].lm - common[i].lm) >= minimumSeparation && abs(common[j].column - common[i].column) >= minimumSeparation ? (i, j) : nil
        } }
        let reference = pairs.map { Double(reduced[$0.0, $0.1]) }
        let referenceRanks = averageRanks(reference)
        let topL = Swift.min(m, pairs.count)
        func top(_ v: [Double]) -> Set<Int> { Set(v.indices.sorted { v[$0] > v[$1] }.prefix(m)) }
        let referenceTop = top(reference)
        topCount = topL
        func score(_ map: ContactMap, index: Int, label: String) -> Head {
            let v = pairs.map { Double(map[$0.0, $0.1]) }
            return Head(index: index, label: label, spearman: pearson(averageRanks(v), referenceRanks) ?? 0,
                        topOverlap: top(v).intersection(referenceTop).count)
        }
        heads = reducedHeads.enumerated().map { k, map in score(map, index: k, label: labels[k]) }.sorted { $0.spearman > $1.spearman }
        headAverage = score(restrict(AttentionContacts.average(maps)) { $0.lm }, index: -1, label: "average")
    }
}
