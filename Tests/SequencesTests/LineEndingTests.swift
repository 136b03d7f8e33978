import Testing
import TestSupport
import Sequences
import Structures
import Mutations
import FileIO

/// Files saved on Windows (CRLF line ends) or by editors that write a UTF-8 byte-order mark read
/// exactly like their plain LF versions, in every text format.
@Suite struct LineEndingTests {
    /// The same text with CRLF line ends and a leading UTF-8 byte-order mark.
    static func windows(_ text: String) -> String { "\u{FEFF}" + text.replacingLineEnds("\r\n") }

    static let alignments: [(String, String)] = [
        ("x.a3m", ">q/5-9 query\nACDEF\n>s1\nAcC.DE-\n>s2\n-CDxyEF\n"),
        ("x.a2m", ">F/10-13\naCD-E\n>s1\n-CDKE\n>s2\nyC-.E\n"),
        ("x.fasta", ">a\nACDE\n>b\nAC-E\n"),
        ("x.sto", "# STOCKHOLM 1.0\n#=GF ID test\ns1  ACD-\ns2  AC.E\n\ns1  EF\ns2  eF\n//\n"),
        ("x.aln", "ACDE\nAC-E\nCCDD\n"),
    ]

    @Test func alignmentsWithCRLFAndBOMReadLikeLF() throws {
        for (name, text) in Self.alignments {
            let plain = try AlignmentReader().read(writeText(text, name))
            for variant in [Self.windows(text), text.replacingLineEnds("\r\n"), text.replacingLineEnds("\r\r\n"), "\u{FEFF}" + text] {
                let other = try AlignmentReader().read(writeText(variant, name))
                #expect(other.names == plain.names && other.codes == plain.codes && other.residueNumbers == plain.residueNumbers, "\(name)")
            }
        }
    }

    @Test func mutationTablesWithCRLFAndBOMReadLikeLF() throws {
        for (name, text, score) in [("t.csv", "mutant,DMS_score\nA12G,0.5\n\"A12G:K45R\",-1.25\n", "DMS_score"),
                                    ("t.tsv", "variant\tfitness\nM1A\t2\nK2R\t-3\n", "fitness")] {
            let column = name.hasSuffix("tsv") ? "variant" : "mutant"
            let plain = try MutationTable.read(writeText(text, name), mutantColumn: column, scoreColumn: score)
            for variant in [Self.windows(text), text.replacingLineEnds("\r\r\n")] {
                let other = try MutationTable.read(writeText(variant, name), mutantColumn: column, scoreColumn: score)
                #expect(other.rows.map(\.variant) == plain.rows.map(\.variant))
                #expect(other.rows.map(\.score) == plain.rows.map(\.score) && !plain.rows.contains { $0.score == nil })
            }
        }
    }

    @Test func structuresWithCRLFAndBOMReadLikeLF() throws {
        let pdb = "HEADER x\nATOM      1  CA  GLY A   1       0.000   0.000   0.000  1.00  0.00\n"
            + "ATOM      2  CA  TRP A   2       3.800   0.000   0.000  1.00  0.00\nEND\n"
        let cif = "data_t\nloop_\n_atom_site.group_PDB\n_atom_site.id\n_atom_site.label_atom_id\n_atom_site.label_comp_id\n"
            + "_atom_site.auth_asym_id\n_atom_site.auth_seq_id\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\n"
            + "ATOM 1 CA GLY A 1 0.0 0.0 0.0\nATOM 2 CA TRP A 2 3.8 0.0 0.0\n#\n"
        for (name, text) in [("s.pdb", pdb), ("s.cif", cif), ("s.txt", cif)] {
            let plain = try StructureReader().read(writeText(text, name))
            let other = try StructureReader().read(writeText(Self.windows(text), name))
            #expect(plain.sequence == "GW" && other.sequence == plain.sequence && other.chain == plain.chain)
            #expect(other.residues.map { $0.atoms["CA"] } == plain.residues.map { $0.atoms["CA"] })
        }
    }

    @Test func readTextDropsTheBOMAndNormalisesLineEnds() throws {
        let p = writeText("\u{FEFF}a\r\nb\rc\r\r\nd\n", "t.txt")
        #expect(try CompressedReader.readText(p) == "a\nb\nc\nd\n")
        let r = try CompressedReader(path: p)
        #expect(try r.readLine() == "a")
    }
}

extension String {
    func replacingLineEnds(_ end: String) -> String { split(separator: "\n", omittingEmptySubsequences: false).joined(separator: end) }
}
