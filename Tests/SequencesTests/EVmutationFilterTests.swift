import Testing
import TestSupport
import Sequences
import FileIO

/// EVmutation's preprocessing: plmc's non-standard-letter rule, EVcouplings' coverage filters and
/// plmc's own identity comparison for the weights.
@Suite struct EVmutationFilterTests {
    @Test func nonstandardLettersDropWholeSequencesWhenAsked() throws {
        // s1 has X in a match column, s2 a lowercase z in an insert column, s3 B, s4 U and O: all
        // non-standard for plmc; s5 is clean (lowercase and '.' are fine).
        let p = writeText(">F/1-4\nAC.DE\n>s1\nAX.DE\n>s2\nACzDE\n>s3\nBC.DE\n>s4\nUC.DO\n>s5\naCyDE\n", "x.a2m")
        let kept = try AlignmentReader().read(p)
        #expect(kept.count == 6 && kept.droppedNonstandard == 0)
        #expect(kept.sequence(1) == "A-DE")        // X reads as a gap
        #expect(kept.sequence(4) == "CCDK")        // U → C, O → K
        let plmc = try AlignmentReader(dropsNonstandardSequences: true).read(p)
        #expect(plmc.names == ["F/1-4", "s5"] && plmc.droppedNonstandard == 4)
        #expect(plmc.sequence(1) == "ACDE")
        let dropped = try AlignmentReader(format: .fasta, dropsNonstandardSequences: true).read(writeText(">F\nACDE\n>s1\nAXDE\n>s2\nAcDE\n>s3\nZCDE\n", "y.fa"))
        #expect(dropped.names == ["F", "s2"])
        #expect(dropped.droppedNonstandard == 2)
        #expect(dropped.sequence(1) == "ACDE")
    }

    @Test func theFocusIsKeptEvenWithNonstandardLetters() throws {
        let p = writeText(">s0\nAXDE\n>F\nACDX\n>s2\nACDE\n", "z.fa")
        let msa = try AlignmentReader(focus: "F", dropsNonstandardSequences: true).read(p)
        #expect(msa.names == ["F", "s2"])
        #expect(msa.focus == 0)
        #expect(msa.sequence(0) == "ACD-")
        // The focus is still named by its record in the file (what --focus counts), here and in info.
        #expect(msa.focusRecord == 2)
        #expect(msa.selectingRows([1, 0]).focusRecord == 2 && msa.selectingColumns([0, 2]).focusRecord == 2)
        #expect(msa.selectingRows([1]).focusRecord == nil)
        #expect(AlignmentSummary(msa).focusRecord == 2)
    }

    @Test func evcouplingsFiltersDropFragmentsThenGappyColumns() {
        // 10 sequences × 4 columns. Row 9 covers 1 of 4 columns (< 50%): dropped. Among the 9 left,
        // column 1 has 3 gaps (coverage 6/9 ≤ 0.7: dropped), column 2 has 2 gaps (7/9 > 0.7: kept).
        var rows = Array(repeating: "ACDE", count: 10)
        rows[9] = "A---"
        rows[1] = "A-DE"; rows[2] = "A-DE"; rows[3] = "A--E"; rows[4] = "ACD-"
        rows[5] = "AC-E"
        let codes = rows.flatMap { Alphabet.protein.encode($0)! }
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: (0..<10).map { "s\($0)" }, codes: codes, length: 4)
        let out = AlignmentFilter.evcouplings.apply(msa)
        #expect(out.count == 9)
        #expect(out.length == 3)
        #expect(out.residueNumbers == [1, 3, 4])
        // A column exactly at 70% coverage is dropped (EVcouplings lowercases gap fraction ≥ 0.3).
        let ten = (0..<10).map { $0 < 3 ? "A-" : "AC" }.flatMap { Alphabet.protein.encode($0)! }
        let edge = MultipleSequenceAlignment(alphabet: .protein, names: (0..<10).map { "t\($0)" }, codes: ten, length: 2)
        #expect(AlignmentFilter(minColumnCoverage: 0.7).apply(edge).length == 1)
        #expect(AlignmentFilter(minColumnCoverage: 0.69).apply(edge).length == 2)
    }

    @Test func plmcInclusiveWeightsCountNeighboursAtExactlyTheThreshold() {
        // L = 5, t = 0.8: plmc counts a pair with 4 of 5 matches as neighbours (4 ≥ 0.8·5); CCMpred's
        // rule (more than ⌈4⌉ matches) does not.
        let codes = ["ACDEF", "ACDEG"].flatMap { Alphabet.protein.encode($0)! }
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b"], codes: codes, length: 5)
        #expect(SequenceWeights.compute(msa, identity: 0.8, definition: .plmcInclusive) == [0.5, 0.5])
        #expect(SequenceWeights.compute(msa, identity: 0.8, definition: .plmc) == [1, 1])
        // L = 7: 0.8·7 = 5.6, so plmc needs 6 matches (a–c and b–c have 6) and CCMpred 7.
        let seven = ["ACDEFGH", "ACDEFKK", "ACDEFGK"].flatMap { Alphabet.protein.encode($0)! }
        let m7 = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b", "c"], codes: seven, length: 7)
        #expect(SequenceWeights.compute(m7, identity: 0.8, definition: .plmcInclusive) == [0.5, 0.5, Float(1) / 3])
        #expect(SequenceWeights.compute(m7, identity: 0.8, definition: .plmc) == [1, 1, 1])
    }
}
