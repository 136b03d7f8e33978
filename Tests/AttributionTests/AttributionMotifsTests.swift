import Testing
import Tensors
import Motifs
import Attribution

/// Synthetic attribution maps with planted motifs: random background bases with N(0, 0.05²)
/// hypothetical contributions, and at each planted instance the motif's bases (or their reverse
/// complement) with contribution +1 at the planted base and −⅓ at the other three.
struct PlantedMaps {
    var count: Int, length: Int
    var x: [Float], a: [Float]
    static let bases: [Character] = ["A", "C", "G", "T"]

    init(count: Int, length: Int, seed: UInt64) {
        self.count = count; self.length = length
        var rng = RandomGenerator(seed: seed)
        x = [Float](repeating: 0, count: count * length * 4); a = x
        for k in 0..<(count * length) {
            x[k * 4 + rng.int(below: 4)] = 1
            for b in 0..<4 { a[k * 4 + b] = 0.05 * rng.normal() }
        }
    }

    mutating func plant(_ motif: String, sequence n: Int, at start: Int, reverse: Bool = false) {
        let site = reverse ? PlantedMaps.reverseComplement(motif) : motif
        for (j, ch) in site.enumerated() {
            let b = PlantedMaps.bases.firstIndex(of: ch)!, k = (n * length + start + j) * 4
            for c in 0..<4 { x[k + c] = c == b ? 1 : 0; a[k + c] = c == b ? 1 : -1.0 / 3 }
        }
    }

    static func reverseComplement(_ s: String) -> String {
        String(s.reversed().map { ["A": "T", "C": "G", "G": "C", "T": "A"][$0]! })
    }

    var maps: ContributionMaps { ContributionMaps(attributions: a, onehot: x, count: count, length: length, channelsFirst: false) }
}

@Suite struct AttributionMotifsTests {
    static let a = "GGATTACCGT", b = "CCTTGAAGCA"

    /// A map is centred per position into hypothetical contributions, unless it holds them already.
    @Test func hypotheticalMapsAreKeptAsTheyAre() {
        let a: [Float] = [1, 2, 3, 6, -1, 0, 0, 5], x: [Float] = [0, 0, 1, 0, 1, 0, 0, 0]     // (N, L, 4): G, then A
        let centred = ContributionMaps(attributions: a, onehot: x, count: 1, length: 2, channelsFirst: false)
        let kept = ContributionMaps(attributions: a, onehot: x, count: 1, length: 2, channelsFirst: false, hypothetical: true)
        #expect(centred.hypothetical == [-2, -1, 0, 3, -2, -1, -1, 4] && centred.contributions(0) == [0, -2])
        #expect(kept.hypothetical == a && kept.contributions(0) == [3, -1])
    }

    @Test func seqletsAreCalledExactlyAtPlantedPositions() {
        var planted = PlantedMaps(count: 20, length: 80, seed: 3)
        var expected: [(Int, Int)] = []
        for n in 0..<20 where n != 7 {                 // sequence 7 carries nothing
            let start = 5 + (n * 11) % 60
            planted.plant(Self.a, sequence: n, at: start)
            expected.append((n, start))
        }
        let result = SeqletCaller(window: 10, flank: 3, fdr: 0.05, seed: 1).call(planted.maps)
        #expect(result.seqlets.map { [$0.sequence, $0.start] } == expected.map { [$0.0, $0.1] })
        #expect(result.seqlets.allSatisfy { Swift.abs($0.score - 10) < 0.5 })
        #expect(result.threshold > 1 && result.threshold < 9)
    }

    @Test func thresholdIsTheSmallestScoreWithEstimatedFDRBelowTarget() {
        // t = 8: no null value ≥ 8 → FDR 0; t = 1: 5 null ≥ 1 of 5, 5 real ≥ 1 → FDR 1.
        #expect(SeqletCaller.threshold(real: [10, 9, 8, 1, 1], null: [2, 1, 1, 1, 1], fdr: 0.05) == 8)
        #expect(SeqletCaller.threshold(real: [1, 1], null: [3, 2], fdr: 0.05) == .infinity)
    }

    func twoMotifMaps() -> PlantedMaps {
        var planted = PlantedMaps(count: 60, length: 80, seed: 11)
        for n in 0..<60 {
            let start = 6 + (n * 7) % 55
            switch n % 3 {
            case 0: planted.plant(Self.a, sequence: n, at: start)
            case 1: planted.plant(Self.a, sequence: n, at: start, reverse: true)
            default: planted.plant(Self.b, sequence: n, at: start)
            }
        }
        return planted
    }

    func countsMotif(_ id: String, _ s: String) -> Motif {
        Motif(id: id, name: id, matrix: s.map { ch in PlantedMaps.bases.map { $0 == ch ? 17 : 1 } })
    }

    @Test func twoPlantedMotifsOnBothStrandsBecomeTwoClusters() {
        let discovery = AttributionMotifs(caller: SeqletCaller(window: 10, flank: 3, seed: 2),
                                          clustering: SeqletClustering(similarity: 0.7, maxShift: 3, minimumSeqlets: 5))
        let database = [countsMotif("A", Self.a), countsMotif("B", Self.b), countsMotif("decoy1", "TTTTGGGGCC"),
                        countsMotif("decoy2", "ACACACACAC"), countsMotif("decoy3", "CGCGATATCG")]
        let result = discovery.discover(twoMotifMaps().maps, database: database)
        #expect(result.seqlets.seqlets.count == 60)
        #expect(result.motifs.count == 2)
        guard result.motifs.count == 2 else { return }
        #expect(result.motifs.map { $0.cluster.members.count } == [40, 20])
        let first = result.motifs[0].motif.consensus, second = result.motifs[1].motif.consensus
        #expect(first == Self.a || first == PlantedMaps.reverseComplement(Self.a), "\(first)")
        #expect(second == Self.b || second == PlantedMaps.reverseComplement(Self.b), "\(second)")
        // Motif A's members: the reverse-strand instances are read on the other strand than the rest.
        let strands = result.motifs[0].cluster.members.map(\.reverse)
        #expect(strands.filter { $0 }.count == 20)
        #expect(result.motifs[0].cwm.count == 10)
        #expect(result.motifs.map { $0.match.map { database[$0.target].id } } == ["A", "B"])
        #expect(result.motifs.allSatisfy { ($0.match?.qValue ?? 1) < 0.05 })
    }

    @Test func seqletsBeyondTheGraphsCapAreStillAssigned() {
        // 30 of the 60 seqlets in the graph (the strongest; here all score alike, so the first 30):
        // the same two motifs, every seqlet assigned.
        let discovery = AttributionMotifs(caller: SeqletCaller(window: 10, flank: 3, seed: 2),
                                          clustering: SeqletClustering(maxShift: 3, minimumSeqlets: 5, maximumPerSign: 30))
        let result = discovery.discover(twoMotifMaps().maps)
        #expect(result.motifs.map { $0.cluster.members.count } == [40, 20])
        #expect(result.assignment.allSatisfy { $0 != nil })
    }

    @Test func aFewSeqletsStillMakeTheirMotifs() {
        // 4 + 4 seqlets: fewer than the graph's perplexity (10), which is then capped at a third of
        // the 7 neighbours kept; each motif its own cluster.
        var planted = PlantedMaps(count: 8, length: 60, seed: 21)
        for n in 0..<8 { planted.plant(n < 4 ? Self.a : Self.b, sequence: n, at: 10 + 3 * n) }
        let discovery = AttributionMotifs(caller: SeqletCaller(window: 10, flank: 3, fdr: 0.2, seed: 1),
                                          clustering: SeqletClustering(maxShift: 3, minimumSeqlets: 2))
        let result = discovery.discover(planted.maps)
        #expect(result.seqlets.seqlets.count == 8)
        #expect(result.motifs.map { $0.cluster.members.count } == [4, 4])
        #expect(Set(result.motifs.map { $0.motif.consensus }) == [Self.a, Self.b])
    }

    @Test func discoveryIsDeterministic() {
        let discovery = AttributionMotifs(caller: SeqletCaller(window: 10, flank: 3, seed: 5),
                                          clustering: SeqletClustering(maxShift: 3, minimumSeqlets: 5))
        let maps = twoMotifMaps().maps
        let one = discovery.discover(maps), two = discovery.discover(maps)
        #expect(one.seqlets.seqlets == two.seqlets.seqlets)
        #expect(one.seqlets.threshold == two.seqlets.threshold)
        #expect(one.motifs.map { $0.cluster.members } == two.motifs.map { $0.cluster.members })
        #expect(one.motifs.map(\.cwm) == two.motifs.map(\.cwm))
        let single = Parallel.withThreads(1) { discovery.discover(maps) }
        #expect(single.motifs.map { $0.cluster.members } == one.motifs.map { $0.cluster.members })
        #expect(single.motifs.map(\.cwm) == one.motifs.map(\.cwm))
    }
}
