import Testing
import TestSupport
import Sequences
import Structures
import Mutations
import FileIO

@Suite struct RealDataTests {
    @Test func everySharedAlignmentLoads() throws {
        let expected: [(String, Int, Int, Int)] = [   // file, N, L, first residue number
            ("contacts/1atzA/1atzA.aln", 3068, 75, 1), ("contacts/dhfr/DHFR.a2m", 3629, 159, 1),
            ("contacts/1mkcA00/1mkcA00.aln", 142, 43, 1), ("mutations/BLAT_ECOLX/BLAT_ECOLX.a2m", 8403, 253, 29),
            ("mutations/GFP_AEQVI/GFP_AEQVI.a2m", 156, 237, 1), ("alignments/t000_hhblits_1e-3.a3m", 2459, 138, 1),
        ]
        for (file, n, l, first) in expected {
            guard let path = SharedData.path(file) else { return }
            let msa = try AlignmentReader().read(path)
            #expect(msa.count == n && msa.length == l && msa.residueNumbers.first { $0 > 0 } == first, "\(file): \(msa.count)×\(msa.length) from \(msa.residueNumbers.first ?? 0)")
        }
    }

    @Test func theQueryOf1atzAIsOnLine2635() throws {
        guard let aln = SharedData.path("contacts/1atzA/1atzA.aln"), let pdb = SharedData.path("contacts/1atzA/1atzA.pdb") else { return }
        let msa = try AlignmentReader(focus: "2635").read(aln)
        let structure = try StructureReader().read(pdb)
        #expect(structure.residues.count == 75)
        #expect(msa.focusSequence == structure.sequence)
    }

    @Test func dhfrStructureMapsOntoTheFocusWithOneMismatch() throws {
        guard let a2m = SharedData.path("contacts/dhfr/DHFR.a2m"), let pdb = SharedData.path("contacts/dhfr/1RX2.pdb") else { return }
        let msa = try AlignmentReader().read(a2m)
        let s = try StructureReader(chain: "A").read(pdb)
        let truth = ContactTruth(structure: s, focus: msa.focusSequence)
        #expect(truth.mapping.compactMap { $0 }.count == 159)
        #expect(truth.mismatches == 1)        // N37 in the alignment, D37 in 1RX2
        let contacts = (0..<153).flatMap { i in ((i + 6)..<159).filter { truth.isContact(i, $0) == true } }.count
        #expect(contacts > 159 && contacts < 159 * 5, "\(contacts) long-range contacts")
        #expect(throws: FileIOError.self) { try StructureReader(chain: "Q").read(pdb) }
    }

    @Test func blatScanMatchesTheFocusWildType() throws {
        guard let a2m = SharedData.path("mutations/BLAT_ECOLX/BLAT_ECOLX.a2m"),
              let csv = SharedData.path("mutations/BLAT_ECOLX/BLAT_ECOLX_Stiffler2015.csv") else { return }
        let msa = try AlignmentReader(keepAllColumns: true).read(a2m)
        let table = try MutationTable.read(csv)
        #expect(table.rows.count == 4997)
        var letters: [Int: Character] = [:]
        for (i, number) in msa.residueNumbers.enumerated() where number > 0 { letters[number] = msa.alphabet.letter(msa.focusCodes[i]) }
        try table.validate { letters[$0] }
        #expect(throws: FileIOError.self) { try table.validate(offset: 1) { letters[$0] } }
    }
}
