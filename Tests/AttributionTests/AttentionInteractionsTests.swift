import Testing
import Tensors
import Motifs
import RegulatoryCNN
import Attribution

@Suite struct AttentionInteractionsTests {
    /// P = 10 positions each covering 4 bases (stride 4, offset 0, receptive field 4) of 40 bp.
    /// Each sequence has SP1 at 8…11 (position 2), GABPA at 20…23 (position 5, gap 8) and a decoy
    /// SP1 at 32…35 (position 8). The strongest attention, 5 → 2 in both heads, links the planted
    /// pair; a weaker entry 8 → 2 links the decoy and only enters with --top 2.
    @Test func plantedAttentionPairGivesThePlantedMotifPairAndGap() {
        let (n, h, p) = (3, 2, 10)
        var maps = Tensor(shape: [n, h, p, p], scalars: [Float](repeating: 0.05, count: n * h * p * p))
        for s in 0..<n { for head in 0..<h {
            maps.scalars[((s * h + head) * p + 5) * p + 2] = 0.6
            maps.scalars[((s * h + head) * p + 8) * p + 2] = head == 0 ? 0.3 : 0.1
        } }
        let instances = (0..<n).map { _ in [MotifInstance(motif: 0, start: 8, width: 4), MotifInstance(motif: 1, start: 20, width: 4), MotifInstance(motif: 0, start: 32, width: 4)] }
        let window = AttentionMaps.Window(stride: 4, offset: 0, receptiveField: 4)
        let rows = AttentionInteractions.tally(maps: maps, window: window, length: 40, instances: instances, names: ["SP1", "GABPA"], top: 1)
        #expect(rows.count == 1)
        #expect(rows.first.map { ($0.first, $0.second, $0.distance, $0.count) } ?? ("", "", 0, 0) == ("SP1", "GABPA", 8, 3))
        #expect(Swift.abs((rows.first?.meanAttention ?? 0) - 0.6) < 1e-6)
        let two = AttentionInteractions.tally(maps: maps, window: window, length: 40, instances: instances, names: ["SP1", "GABPA"], top: 2)
        #expect(two.count == 2)
        #expect(two[1].first == "SP1" && two[1].second == "SP1" && two[1].distance == 20 && two[1].count == 3)
        #expect(Swift.abs(two[1].meanAttention - 0.2) < 1e-6)
        #expect(AttentionInteractions.topPair(two).map { [$0.first, $0.second] } == ["SP1", "GABPA"])
    }

    /// A motif's consensus planted in a poly-A background is found at its start, on the forward
    /// strand; its reverse complement on the reverse strand.
    @Test func scannerFindsPlantedConsensusOnBothStrands() {
        let motif = Motif(id: "M1", name: "GCGT", matrix: [[0, 0, 10, 0], [0, 10, 0, 0], [0, 0, 10, 0], [0, 0, 0, 10]])
        let l = 30
        var x = Tensor(zeros: [2, 4, l])
        var bases = [[Int]](repeating: [Int](repeating: 0, count: l), count: 2)
        for (j, b) in [2, 1, 2, 3].enumerated() { bases[0][5 + j] = b }
        for (j, b) in [0, 1, 2, 1].enumerated() { bases[1][17 + j] = b }    // ACGC = reverse complement of GCGT
        for s in 0..<2 { for i in 0..<l { x.scalars[(s * 4 + bases[s][i]) * l + i] = 1 } }
        let found = MotifScanner(motifs: [motif], threshold: 0.99).scan(x)
        #expect(found[0] == [MotifInstance(motif: 0, start: 5, width: 4, reverse: false, score: found[0].first?.score ?? 0)])
        #expect(found[1].map { [$0.start, $0.reverse ? 1 : 0] } == [[17, 1]])
    }
}
