/// What `seqgen info` reports about an alignment.
public struct AlignmentSummary: Sendable {
    public var source: String
    public var sequences: Int
    public var columns: Int
    public var identityThreshold: Double
    public var weighting: SequenceWeights.Identity
    public var neff: Double
    public var meanGapFraction: Double
    /// Fraction of non-gap residues in each column.
    public var columnOccupancy: [Double]
    public var focusName: String
    /// The focus's record number in its file (1-based; its row + 1 for an alignment built in memory).
    public var focusRecord: Int
    public var focusSequence: String
    public var firstResidueNumber: Int
    public var sequencesWithGapsOverHalf: Int

    public init(_ msa: MultipleSequenceAlignment, identity: Double = 0.8, weighting: SequenceWeights.Identity = .plmc) {
        source = msa.source
        sequences = msa.count
        columns = msa.length
        identityThreshold = identity
        self.weighting = weighting
        neff = SequenceWeights.effectiveCount(SequenceWeights.compute(msa, identity: identity, definition: weighting))
        let colGaps = msa.columnGapFractions()
        columnOccupancy = colGaps.map { 1 - $0 }
        meanGapFraction = colGaps.reduce(0, +) / Double(Swift.max(colGaps.count, 1))
        focusName = msa.names[msa.focus]
        focusRecord = msa.focusRecord ?? msa.focus + 1
        focusSequence = msa.focusSequence
        firstResidueNumber = msa.residueNumbers.first { $0 > 0 } ?? 1
        sequencesWithGapsOverHalf = msa.sequenceGapFractions().filter { $0 > 0.5 }.count
    }
}
