import Console
import Sequences

/// `SequenceWeights.compute` with a progress bar on stderr where the O(N²·L) comparison is long
/// (over 2·10¹⁰ residue comparisons, a second or more): the same weights, for every command
/// that weighs an alignment (fit, info, logo, convert, contacts, eval generative).
public func weightsShowingProgress(_ msa: MultipleSequenceAlignment, identity: Double, definition: SequenceWeights.Identity = .plmc,
                                   quiet: Bool = false) -> [Float] {
    comparingAllPairs("weights", msa, identity: identity, quiet: quiet, announce: "sequence weights") {
        SequenceWeights.compute(msa, identity: identity, definition: definition, progress: $0)
    }
}

/// `SequenceWeights.clusters` (single linkage at the weights' neighbour rule) with a progress bar
/// where the comparison is long (the weights' rule). What the cross-validations hold out.
public func clustersShowingProgress(_ msa: MultipleSequenceAlignment, identity: Double, definition: SequenceWeights.Identity = .plmc,
                                    quiet: Bool = false) -> [Int] {
    comparingAllPairs("clusters", msa, identity: identity, quiet: quiet, announce: nil) {
        SequenceWeights.clusters(msa, identity: identity, definition: definition, progress: $0)
    }
}

/// `SequenceWeights.computeWithClusters` (the weights and the clusters from one pass) with the
/// weights' bar and message: for a fit that cross-validates over clusters.
public func weightsAndClustersShowingProgress(_ msa: MultipleSequenceAlignment, identity: Double, definition: SequenceWeights.Identity = .plmc,
                                              quiet: Bool = false) -> (weights: [Float], clusters: [Int]) {
    comparingAllPairs("weights and clusters", msa, identity: identity, quiet: quiet, announce: "sequence weights and clusters") {
        SequenceWeights.computeWithClusters(msa, identity: identity, definition: definition, progress: $0)
    }
}

/// Runs an all-pairs comparison `body(progress)` behind a bar labelled `label`, shown where the
/// comparison is long: over 2·10¹⁰ residue comparisons (N²·L), a second or more; none at identity
/// 1. With `announce`, 10,000 sequences or more also log what is being compared and how much.
private func comparingAllPairs<T>(_ label: String, _ msa: MultipleSequenceAlignment, identity: Double, quiet: Bool, announce: String?,
                                  _ body: (@escaping @Sendable (Double) -> Void) -> T) -> T {
    let comparisons = Double(msa.count) * Double(msa.count) * Double(msa.length)
    let long = identity < 1 && comparisons > 2e10
    nonisolated(unsafe) let bar = ProgressBar(label, total: 1000, quiet: quiet || !long)
    if let announce, long && msa.count >= 10_000 {
        log("\(announce) of \(msa.count) sequences (N²·L = \(fixed(comparisons / 1e9, 1))·10⁹ comparisons)…")
    }
    let result = body { bar.update(Int($0 * 1000)) }
    bar.finish()
    return result
}
