import Testing
import TestSupport
import Sequences

#if canImport(Glibc)
import Glibc
#endif

/// `seqgen info`'s numbers on an alignment small enough to count by hand.
@Suite struct AlignmentSummaryTests {
    // Four columns: no two sequences share more than ⌈0.8·4⌉ = 4 residues, so every weight is 1.
    static let text = ">F\nACDE\n>s1\nACDF\n>s2\nA-DE\n>s3\nAKGH\n"

    @Test func occupancyIdentityAndGapsAreCounted() throws {
        let s = AlignmentSummary(try AlignmentReader().read(writeText(Self.text, "summary.fa")))
        #expect(s.columnOccupancy == [1, 0.75, 1, 1])
        // Identity over the focus's four residues; a gap matches nothing.
        #expect(s.identityToFocus == [1, 0.75, 0.75, 0.25])
        #expect(s.sequenceGapFractions == [0, 0, 0.25, 0])
        #expect(s.focusRow == 0 && s.identityOfOthers == [0.75, 0.75, 0.25] && s.sequencesWithGapsOverHalf == 0)
    }

    /// Column 1 is four A's: f_A = (4 + 1/20) / (4 + 1), every other residue (1/20) / 5, so its
    /// conservation is log₂20 + Σ f log₂ f; a column of four different residues holds less.
    @Test func conservationIsTheWeightedInformationContent() throws {
        let s = AlignmentSummary(try AlignmentReader().read(writeText(Self.text, "summary.fa")))
        let fA = 4.05 / 5, other = 0.05 / 5
        let expected = log2(20) + fA * log2(fA) + 19 * other * log2(other)
        #expect(Swift.abs(s.columnConservation[0] - expected) < 1e-12)
        #expect(s.columnConservation[3] < s.columnConservation[2] && s.columnConservation[2] < s.columnConservation[0])
    }
}
