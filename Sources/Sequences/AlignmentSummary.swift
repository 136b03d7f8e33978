#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// The focus's row in the alignment as read (0-based).
    public var focusRow: Int
    public var focusSequence: String
    public var firstResidueNumber: Int
    public var sequencesWithGapsOverHalf: Int
    /// Information content of each column in bits, log₂K − H(f), of the weighted residue
    /// frequencies f with gaps left out (`residueFrequencies`, one sequence's pseudocount: a logo's
    /// letter heights summed); K residue states.
    public var columnConservation: [Double]
    /// Each sequence's identity to the focus: identical residues / focus residues, over the columns
    /// where the focus has a residue (the focus itself: 1).
    public var identityToFocus: [Double]
    /// Fraction of gaps in each sequence.
    public var sequenceGapFractions: [Double]

    /// `identityToFocus` of every sequence but the focus.
    public var identityOfOthers: [Double] { identityToFocus.indices.filter { $0 != focusRow }.map { identityToFocus[$0] } }

    /// `weights`: the alignment's sequence weights when already computed (under `identity` and
    /// `weighting`); computed here otherwise.
    public init(_ msa: MultipleSequenceAlignment, identity: Double = 0.8, weighting: SequenceWeights.Identity = .plmc, weights given: [Float]? = nil) {
        source = msa.source
        sequences = msa.count
        columns = msa.length
        identityThreshold = identity
        self.weighting = weighting
        let weights = given ?? SequenceWeights.compute(msa, identity: identity, definition: weighting)
        neff = SequenceWeights.effectiveCount(weights)
        let maxBits = log2(Double(msa.alphabet.size - 1))
        columnConservation = msa.residueFrequencies(weights: weights).map { f in
            maxBits + f.reduce(0) { $1 > 0 ? $0 + $1 * log2($1) : $0 }
        }
        let focus = msa.focusCodes, gap = msa.alphabet.gap
        let focusColumns = focus.indices.filter { focus[$0] != gap }
        identityToFocus = (0..<msa.count).map { n in
            let row = msa.row(n), start = row.startIndex
            let same = focusColumns.reduce(0) { $0 + (row[start + $1] == focus[$1] ? 1 : 0) }
            return Double(same) / Double(Swift.max(focusColumns.count, 1))
        }
        sequenceGapFractions = msa.sequenceGapFractions()
        let colGaps = msa.columnGapFractions()
        columnOccupancy = colGaps.map { 1 - $0 }
        meanGapFraction = colGaps.reduce(0, +) / Double(Swift.max(colGaps.count, 1))
        focusName = msa.names[msa.focus]
        focusRecord = msa.focusRecord ?? msa.focus + 1
        focusRow = msa.focus
        focusSequence = msa.focusSequence
        firstResidueNumber = msa.residueNumbers.first { $0 > 0 } ?? 1
        sequencesWithGapsOverHalf = sequenceGapFractions.filter { $0 > 0.5 }.count
    }
}
