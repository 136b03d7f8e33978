import Tensors

/// Held-out parts of an alignment made of whole single-linkage clusters at the weights' identity
/// (`SequenceWeights.clusters`), one part (`rows`) or K folds (`folds`): no held-out sequence has a
/// neighbour among the fitted ones, so a part measures how a model does on family members it has
/// not seen, not on near-copies of its training rows (a random split leaves a neighbour of almost
/// every held-out sequence in training and rewards memorising them). A cluster has no neighbour outside itself, so each part's weights are
/// exactly the alignment's. Used by the PSSM's and ArDCA's cross-validations and the VAE's early
/// stopping.
public enum ClusterHoldout {
    /// The held-out rows (sorted): clusters in a seeded random order, each taken whole while fewer
    /// than `target` rows are held out, skipping any that would take the part past 1.25·`target`,
    /// and never the cluster of row `keep` (the focus). Empty when no cluster but the focus's fits.
    public static func rows(clusters: [Int], keeping keep: Int, target: Int, seed: UInt64) -> [Int] {
        precondition(target >= 1, "need a target of at least one row")
        var members = [[Int]](repeating: [], count: (clusters.max() ?? -1) + 1)
        for (row, c) in clusters.enumerated() { members[c].append(row) }
        var rng = RandomGenerator(seed: seed)
        let cap = target + target / 4
        var rows: [Int] = []
        for c in rng.permutation(members.count) where c != clusters[keep] {
            if rows.count >= target { break }
            if rows.count + members[c].count <= cap { rows += members[c] }
        }
        return rows.sorted()
    }

    /// The fold of each row for K-fold cross-validation: whole clusters, largest first (ties: the
    /// cluster of the lower first row), each to the fold with the fewest rows so far (ties: the lower
    /// fold) — balanced, no seed. min(K, number of clusters) folds.
    public static func folds(clusters: [Int], count k: Int) -> [Int] {
        precondition(k >= 2, "need K ≥ 2")
        var members = [[Int]](repeating: [], count: (clusters.max() ?? -1) + 1)
        for (row, c) in clusters.enumerated() { members[c].append(row) }
        members = members.filter { !$0.isEmpty }
        members.sort { $0.count > $1.count || ($0.count == $1.count && $0[0] < $1[0]) }
        var sizes = [Int](repeating: 0, count: Swift.min(k, members.count))
        var fold = [Int](repeating: 0, count: clusters.count)
        for m in members {
            let f = sizes.indices.min { sizes[$0] < sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }!
            for row in m { fold[row] = f }
            sizes[f] += m.count
        }
        return fold
    }
}
