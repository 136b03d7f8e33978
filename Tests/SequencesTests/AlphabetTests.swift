import Testing
import Foundation
import Sequences

@Suite struct AlphabetTests {
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
        for (bad, message) in [("AAC", "'A' appears twice"), ("AC-", "'-' is not an upper-case letter"), ("", "at least one letter"),
                               ("ABCDEFGHIJKLMNOPQRSTUVWX", "24 letters; at most 23")] {
            do { _ = try Alphabet.custom(bad); Issue.record("accepted '\(bad)'") }
            catch { #expect("\(error)".contains(message), "\(error)") }
        }
    }

    @Test func rnaAlignmentsReadWithTheRNAAlphabet() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rna-\(UUID().uuidString).fa").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ">a\nACGU\n>b\nAC-T\n".write(toFile: path, atomically: true, encoding: .utf8)
        let msa = try AlignmentReader(alphabet: .rna).read(path)
        #expect(msa.alphabet == .rna && msa.codes == [0, 1, 2, 3, 0, 1, 4, 3])
    }
}
