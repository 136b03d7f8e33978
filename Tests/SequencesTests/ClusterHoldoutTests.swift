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

    /// Folds of whole clusters, largest first to the emptiest fold: sizes 5, 3, 3, 2, 1 into 2 folds
    /// give 5 + 2 and 3 + 3 + 1 rows (7 each); fewer clusters than K give one fold per cluster.
    @Test func foldsKeepClustersWholeAndBalanced() {
        let clusters = [2, 0, 1, 0, 3, 0, 2, 1, 0, 4, 2, 3, 0, 1]
        let folds = ClusterHoldout.folds(clusters: clusters, count: 2)
        for c in 0..<5 { #expect(Set(clusters.indices.filter { clusters[$0] == c }.map { folds[$0] }).count == 1, "cluster \(c) split") }
        #expect(folds.filter { $0 == 0 }.count == 7 && folds.filter { $0 == 1 }.count == 7)
        #expect(folds == ClusterHoldout.folds(clusters: clusters, count: 2))
        #expect(Set(ClusterHoldout.folds(clusters: [0, 1, 1, 0, 2], count: 5)) == [0, 1, 2])
    }
}
