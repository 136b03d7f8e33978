import Testing
import Mutations
import Sequences
import Scoring

/// Mutants the model cannot score say why, and a table numbered with a constant shift against the
/// model (UniProt against local numbering) is caught with the offset that fixes it.
@Suite struct NumberingTests {
    // Residues 1…30 of a made-up focus; column 11 (residue 11) is not modelled (an A2M insert).
    static let focus = "MKVLAAGIDERWTYHPQSNCFMKLAGDEWV"
    static var mapping: VariantMapping {
        let kept = Array(focus.enumerated().filter { $0.offset != 10 })
        return VariantMapping(alphabet: .protein, focusSequence: String(kept.map(\.element)), residueNumbers: kept.map { $0.offset + 1 })
    }

    static func variants(shift: Int, positions: [Int]) -> [Variant] {
        let letters = Array(focus)
        return positions.map { p in Variant([Substitution(wildType: letters[p - 1], position: p + shift, mutant: letters[p - 1] == "A" ? "G" : "A")]) }
    }

    @Test func unmappedPositionsSayWhy() {
        let m = Self.mapping
        #expect(m.whyUnmapped(999) == "position 999 is beyond the protein (the model covers residues 1–30)")
        #expect(m.whyUnmapped(0).contains("beyond the protein"))
        #expect(m.whyUnmapped(11).contains("not a model column"))
        #expect(m.wildType(at: 12) == "W" && m.wildType(at: 11) == nil)
    }

    @Test func aConstantShiftIsFoundAndNamed() throws {
        let m = Self.mapping
        let shifted = Self.variants(shift: 1071, positions: [2, 3, 5, 8, 13, 17, 21, 26, 29])
        let s = m.suggestOffset(for: shifted, offset: 0)
        #expect(s == VariantMapping.OffsetSuggestion(offset: -1071, matched: 9, covered: 9), "\(String(describing: s))")
        do { try m.requireConsistentNumbering(shifted, offset: 0, source: "t.csv"); Issue.record("no error") } catch {
            #expect("\(error)" == "t.csv: 0 of 9 mutants match the focus at offset 0; the wild-type letters match at offset -1071 (9 of 9 positions): pass --offset -1071")
        }
        // With the right offset (or for correctly numbered mutants) nothing is suggested.
        #expect(m.suggestOffset(for: shifted, offset: -1071) == nil)
        try m.requireConsistentNumbering(shifted, offset: -1071, source: "t.csv")
        #expect(m.suggestOffset(for: Self.variants(shift: 0, positions: [2, 3, 5, 8]), offset: 0) == nil)
        // Too few positions to tell a shift from chance: no suggestion.
        #expect(m.suggestOffset(for: Self.variants(shift: 500, positions: [2, 3]), offset: 0) == nil)
    }
}
