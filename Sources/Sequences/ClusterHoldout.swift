import Tensors

/// A held-out part of an alignment made of whole single-linkage clusters at the weights' identity
/// (`SequenceWeights.clusters`): no held-out sequence has a neighbour among the fitted ones, so the
/// part measures how a model does on family members it has not seen, not on near-copies of its
/// training rows (a random split leaves a neighbour of almost every held-out sequence in training and
/// rewards memorising them). A cluster has no neighbour outside itself, so each part's weights are
/// exactly the alignment's.
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
}
