import Console
import Sequences

/// `SequenceWeights.compute` with a progress bar on stderr where the O(N²·L) comparison is long
/// (over 2·10¹⁰ residue comparisons, a second or more): the same weights, for every command
/// that weighs an alignment (fit, info, logo, convert, contacts, eval generative).
public func weightsShowingProgress(_ msa: MultipleSequenceAlignment, identity: Double, definition: SequenceWeights.Identity = .plmc,
                                   quiet: Bool = false) -> [Float] {
    let long = comparisonIsLong(msa, identity: identity)
    nonisolated(unsafe) let bar = ProgressBar("weights", total: 1000, quiet: quiet || !long)
    if long && msa.count >= 10_000 {
        let comparisons = Double(msa.count) * Double(msa.count) * Double(msa.length)
        log("sequence weights of \(msa.count) sequences (N²·L = \(fixed(comparisons / 1e9, 1))·10⁹ comparisons)…")
    }
    let weights = SequenceWeights.compute(msa, identity: identity, definition: definition, progress: { bar.update(Int($0 * 1000)) })
    bar.finish()
    return weights
}

/// `SequenceWeights.clusters` (single linkage at the weights' neighbour rule) with a progress bar
/// where the comparison is long (the weights' rule). What the cross-validations hold out.
public func clustersShowingProgress(_ msa: MultipleSequenceAlignment, identity: Double, definition: SequenceWeights.Identity = .plmc,
                                    quiet: Bool = false) -> [Int] {
    nonisolated(unsafe) let bar = ProgressBar("clusters", total: 1000, quiet: quiet || !comparisonIsLong(msa, identity: identity))
    let clusters = SequenceWeights.clusters(msa, identity: identity, definition: definition, progress: { bar.update(Int($0 * 1000)) })
    bar.finish()
    return clusters
}

/// `SequenceWeights.computeWithClusters` (the weights and the clusters from one pass) with the
/// weights' bar: for a fit that cross-validates over clusters.
public func weightsAndClustersShowingProgress(_ msa: MultipleSequenceAlignment, identity: Double, definition: SequenceWeights.Identity = .plmc,
                                              quiet: Bool = false) -> (weights: [Float], clusters: [Int]) {
    nonisolated(unsafe) let bar = ProgressBar("weights and clusters", total: 1000, quiet: quiet || !comparisonIsLong(msa, identity: identity))
    let both = SequenceWeights.computeWithClusters(msa, identity: identity, definition: definition, progress: { bar.update(Int($0 * 1000)) })
    bar.finish()
    return both
}

/// Whether the weights' or clusters' all-pairs comparison is long enough for a bar: over 2·10¹⁰
/// residue comparisons (N²·L), a second or more; none at identity 1.
private func comparisonIsLong(_ msa: MultipleSequenceAlignment, identity: Double) -> Bool {
    identity < 1 && Double(msa.count) * Double(msa.count) * Double(msa.length) > 2e10
}
