import Testing
import TestSupport
import Sequences
import Structures
import FileIO

/// A structure whose sequence is not the model's focus must not be scored silently: the mapping's
/// identity and coverage are reported, and under 90% identity the evaluation is refused.
@Suite struct StructureAgreementTests {
    /// A CA-only PDB chain of `sequence` (one-letter codes), residues 1…n along x.
    static func pdb(_ sequence: String) -> String {
        let three: [Character: String] = ["A": "ALA", "C": "CYS", "D": "ASP", "E": "GLU", "F": "PHE", "G": "GLY", "H": "HIS", "I": "ILE",
                                          "K": "LYS", "L": "LEU", "M": "MET", "N": "ASN", "P": "PRO", "Q": "GLN", "R": "ARG", "S": "SER",
                                          "T": "THR", "V": "VAL", "W": "TRP", "Y": "TYR"]
        func pad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        return sequence.enumerated().map { k, c in
            "ATOM  " + pad(String(k + 1), 5) + "  CA  " + three[c]! + " A" + pad(String(k + 1), 4) + "    "
                + pad(String(Double(k) * 3.8), 8) + pad("0.0", 8) + pad("0.0", 8) + "  1.00  0.00"
        }.joined(separator: "\n") + "\nEND\n"
    }

    @Test func identityAndCoverageOfTheMapping() throws {
        let s = try StructureReader().read(writeText(Self.pdb("MKVLAAGIDE"), "ten.pdb"))
        let same = ContactTruth(structure: s, focus: "MKVLAAGIDE-W")        // 10 of 11 residues mapped, all identical
        #expect(same.mapped == 10 && same.mismatches == 0 && same.identity == 1)
        #expect(Swift.abs(same.coverage - 10.0 / 11.0) < 1e-12)
        #expect(same.agreementSummary.contains("identity 100.0%") && same.agreementSummary.contains("of 11 focus residues"))
        try same.requireAgreement(structure: "ten.pdb", chain: "A")
        let oneOff = ContactTruth(structure: s, focus: "MKVLADGIDE")        // 90% identity: still accepted
        #expect(oneOff.mismatches == 1 && oneOff.identity == 0.9)
        try oneOff.requireAgreement(structure: "ten.pdb", chain: "A")
        let other = ContactTruth(structure: s, focus: "WKVHRAGYPE")        // 50% identity: refused with the hints
        #expect(other.identity < 0.9)
        do { try other.requireAgreement(structure: "ten.pdb", chain: "A"); Issue.record("no error") } catch {
            let m = "\(error)"
            #expect(m.hasPrefix("ten.pdb: chain 'A' does not match the model's focus sequence: identity 50.0%"), "\(m)")
            #expect(m.contains("--focus") && m.contains("--chain") && m.contains("--allow-mismatch"), "\(m)")
        }
        // A model without a focus sequence (a CCMpred file converted alone): said, not "identity 0.0%".
        do { try ContactTruth(structure: s, focus: "----------").requireAgreement(structure: "ten.pdb", chain: "A"); Issue.record("no error") } catch {
            #expect("\(error)".hasPrefix("ten.pdb: the model carries no focus sequence") && "\(error)".contains("--alignment"), "\(error)")
        }
        // A short exact stretch of an unrelated focus is not found: the global alignment shows how far apart they are.
        let stretch = ContactTruth(structure: s, focus: "WWWWWWWKVLWWWWWWWWWWWWW")
        #expect(stretch.identity < 0.9)
        // A structure of the focus's first residues and a tag, the focus going on: the tag stays unmapped.
        let construct = try StructureReader().read(writeText(Self.pdb("MKVLAAGIDEGSHHHHHH"), "tag.pdb"))
        let tagged = ContactTruth(structure: construct, focus: "MKVLAAGIDEWTRYPQ")
        #expect(tagged.mapped == 10 && tagged.mismatches == 0 && tagged.mapping[10...].allSatisfy { $0 == nil })
        try tagged.requireAgreement(structure: "tag.pdb", chain: "A")
    }

    /// A structure of a few focus residues leaves no pair at |i − j| ≥ 6: refused, not a table of n/a.
    @Test func aStructureWithNothingToEvaluateIsRefused() throws {
        let five = try StructureReader().read(writeText(Self.pdb("MKVLA"), "five.pdb"))
        let few = ContactTruth(structure: five, focus: "MKVLAAGIDEWTRYPQ")
        #expect(few.identity == 1 && few.mapped == 5)
        try few.requireAgreement(structure: "five.pdb", chain: "A")
        do { try few.requireEvaluablePairs(structure: "five.pdb", chain: "A"); Issue.record("no error") } catch {
            #expect("\(error)".hasPrefix("five.pdb: chain 'A' leaves no pair of model columns at |i - j| >= 6 with coordinates"), "\(error)")
        }
        // Seven residues: columns 0 and 6 are a pair at separation 6, enough to evaluate.
        let seven = try StructureReader().read(writeText(Self.pdb("MKVLAAG"), "seven.pdb"))
        try ContactTruth(structure: seven, focus: "MKVLAAGIDEWTRYPQ").requireEvaluablePairs(structure: "seven.pdb", chain: "A")
    }

    @Test func theSharedLatzAStructureMatchesOnlyTheRightFocus() throws {
        guard let aln = SharedData.path("contacts/1atzA/1atzA.aln"), let pdb = SharedData.path("contacts/1atzA/1atzA.pdb") else { return }
        let structure = try StructureReader().read(pdb)
        let wrong = ContactTruth(structure: structure, focus: try AlignmentReader().read(aln).focusSequence)
        #expect(wrong.identity < 0.9, "\(wrong.agreementSummary)")
        #expect(throws: FileIOError.self) { try wrong.requireAgreement(structure: pdb, chain: structure.chain) }
        let right = ContactTruth(structure: structure, focus: try AlignmentReader(focus: "2635").read(aln).focusSequence)
        #expect(right.identity >= 0.9 && right.coverage >= 0.9, "\(right.agreementSummary)")
        try right.requireAgreement(structure: pdb, chain: structure.chain)
    }
}
