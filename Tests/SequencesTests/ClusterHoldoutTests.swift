import Testing
import Tensors
import Sequences

@Suite struct ClusterHoldoutTests {
    /// Whole clusters only, never the kept row's, between the target and 1.25× it where clusters
    /// allow, the same rows for the same seed.
    @Test func heldOutRowsAreWholeClusters() {
        var rng = RandomGenerator(seed: 5)
        let clusters = (0..<400).map { _ in rng.int(below: 90) }      // 90 clusters of ≈ 4.4 rows
        let rows = ClusterHoldout.rows(clusters: clusters, keeping: 7, target: 80, seed: 1)
        let taken = Set(rows.map { clusters[$0] })
        #expect(!taken.contains(clusters[7]))
        for c in taken { #expect(rows.filter { clusters[$0] == c }.count == clusters.filter { $0 == c }.count, "cluster \(c) split") }
        #expect(rows.count >= 80 && rows.count <= 100, "\(rows.count) rows held out")
        #expect(rows == ClusterHoldout.rows(clusters: clusters, keeping: 7, target: 80, seed: 1))
        #expect(rows != ClusterHoldout.rows(clusters: clusters, keeping: 7, target: 80, seed: 2))
        // One cluster holding everything: nothing can be held out.
        #expect(ClusterHoldout.rows(clusters: [Int](repeating: 0, count: 50), keeping: 0, target: 10, seed: 1).isEmpty)
    }
}
