import Testing
import Foundation
import Sequences

@Suite struct AlphabetTests {
    @Test func aStateIsNamedByItsOwnLetterOnly() {
        let protein = Alphabet.protein
        #expect(protein.state(named: "A") == 0 && protein.state(named: "a") == 0 && protein.state(named: "-") == 20)
        #expect(protein.state(named: "B") == nil && protein.state(named: "X") == nil && protein.state(named: "Z") == nil)
        #expect(protein.code(of: "X") == 20)                        // reading an alignment: X is a gap
        #expect(Alphabet.rna.state(named: "T") == nil && Alphabet.rna.state(named: "u") == 3)
    }

    @Test func rnaIsACGUThenTheGapWithTReadAsU() throws {
        let rna = Alphabet.rna
        #expect(rna.string == "ACGU-" && rna.size == 5 && rna.gap == 4)
        #expect(rna.encode("acgUT-.N") == [0, 1, 2, 3, 3, 4, 4, 4])
        #expect(try Alphabet.named("RNA") == .rna && (try Alphabet.named("protein")) == .protein && (try Alphabet.named("dna")) == .dna)
        #expect(try Alphabet.custom("ACGU") == .rna)
    }

    @Test func customAlphabetsAppendTheGapAndReadOtherLettersAsGap() throws {
        let a = try Alphabet.custom("ACGUN")
        #expect(a.string == "ACGUN-" && a.name == "custom" && a.gap == 5)
        #expect(a.encode("nAtX-") == [4, 0, 5, 5, 5])
        #expect(Alphabet.states("ACGUN-") == a)
        #expect(Alphabet.states("ACGUN") == nil)          // stored state strings end in the gap
        #expect(Alphabet.states("ACDEFGHIKLMNPQRSTVWY-") == .protein)
        for (bad, message) in [("AAC", "'A' appears twice"), ("AC-", "'-' cannot be a state"), ("ab", "'a' cannot be a state"), ("A>", "'>' cannot be a state"), ("A~", "'~' cannot be a state"), ("", "at least one letter"),
                               ("ABCDEFGHIJKLMNOPQRSTUVWX", "24 letters; at most 23")] {
            do { _ = try Alphabet.custom(bad); Issue.record("accepted '\(bad)'") }
            catch { #expect("\(error)".contains(message), "\(error)") }
        }
    }

    /// plmc's `-a` takes symbols as states (its 3-state Potts example is written in `_*^`).
    @Test func symbolsAndDigitsAreStatesOfACustomAlphabet() throws {
        let a = try Alphabet.custom("_*^")
        #expect(a.string == "_*^-" && a.size == 4 && a.gap == 3)
        #expect(a.encode("^*_-.") == [2, 1, 0, 3, 3])
        #expect(a.encode("_A") == [0, 3])                  // a letter the alphabet lacks reads as gap
        #expect(a.encode("_%") == nil)                     // a symbol it lacks is not a residue at all
        #expect(Alphabet.states("_*^-") == a)
        #expect(try Alphabet.custom("01").encode("10-") == [1, 0, 2])
    }

    /// An A2M in a symbol alphabet: the focus's symbols are match columns (lower case and '.' are
    /// inserts), a trailing '*' is a state when the alphabet has one, and symbols count as residues.
    @Test func symbolAlignmentsReadColumnForColumn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("potts3-\(UUID().uuidString).a2m").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ">s1/5-8\n_*.^*\n>s2\n^_a**\n".write(toFile: path, atomically: false, encoding: .utf8)
        let msa = try AlignmentReader(alphabet: try Alphabet.custom("_*^")).read(path)
        #expect(msa.length == 4 && msa.codes == [0, 1, 2, 1, 2, 0, 1, 1])
        #expect(msa.residueNumbers == [5, 6, 7, 8])
        let protein = FileManager.default.temporaryDirectory.appendingPathComponent("stop-\(UUID().uuidString).fa").path
        defer { try? FileManager.default.removeItem(atPath: protein) }
        try ">p\nACD*\n>r\nACE*\n".write(toFile: protein, atomically: false, encoding: .utf8)
        #expect(try AlignmentReader().read(protein).length == 3)   // protein: '*' ends the sequence
    }

    @Test func rnaAlignmentsReadWithTheRNAAlphabet() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rna-\(UUID().uuidString).fa").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ">a\nACGU\n>b\nAC-T\n".write(toFile: path, atomically: false, encoding: .utf8)
        let msa = try AlignmentReader(alphabet: .rna).read(path)
        #expect(msa.alphabet == .rna && msa.codes == [0, 1, 2, 3, 0, 1, 4, 3])
    }
}
