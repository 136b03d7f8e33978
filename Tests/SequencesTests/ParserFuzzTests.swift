import Testing
import TestSupport
import Tensors
import Sequences
import Structures
import Mutations

/// Thousands of mutated and truncated inputs through every parser: each must parse or throw —
/// never trap or hang. (libFuzzer targets go further; this is the always-on smoke version.)
@Suite struct ParserFuzzTests {
    static let seeds: [(String, String)] = [
        ("a.a3m", ">q/1-6\nACDEFG\n>s\nAC-eFGg\n>t\nA.CDEF-\n"),
        ("a.a2m", ">F/10-13\naCD-E\n>s1\n-CDKE\n"),
        ("a.fasta", ">a\nACDE\n>b\n-CDF\n"),
        ("a.sto", "# STOCKHOLM 1.0\n#=GS s1 DE x\ns1 ACD-\ns2 AC.E\n\ns1 EF\ns2 eF\n//\n"),
        ("a.aln", "ACDE\nAC-E\nCCDD\n"),
        ("a.pdb", "ATOM      1  CA  GLY A   1       0.000   0.000   0.000  1.00  0.00\nATOM      2  CA  ALA A   2       3.800   0.000   0.000  1.00  0.00\n"),
        ("a.cif", "data_x\nloop_\n_atom_site.group_PDB\n_atom_site.label_atom_id\n_atom_site.label_comp_id\n_atom_site.auth_asym_id\n_atom_site.auth_seq_id\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\nATOM CA GLY A 1 0 0 0\n"),
        ("a.csv", "mutant,DMS_score\nA1G,0.5\n\"A1G:C2D\",1\n"),
    ]

    func parse(_ name: String, _ path: String) {
        switch name.split(separator: ".").last! {
        case "pdb", "cif": _ = try? StructureReader().read(path)
        case "csv": _ = try? MutationTable.read(path)
        default: _ = try? AlignmentReader().read(path)
        }
    }

    @Test func mutatedAndTruncatedInputsParseOrThrow() {
        var rng = RandomGenerator(seed: 2024)
        let alphabet = Array(">ACDEFGHIKLMNPQRSTVWYacdefxyz-.*#/ \n\t:,\"'0123456789ATOMloop_STOCKHOLM=GS".utf8)
        let dir = temporaryDirectory()
        var cases = 0
        for (name, seed) in Self.seeds {
            let base = Array(seed.utf8)
            for trial in 0..<300 {
                var bytes = base
                switch trial % 4 {
                case 0: bytes = Array(bytes.prefix(rng.int(below: bytes.count + 1)))
                case 1: for _ in 0..<(1 + rng.int(below: 4)) where !bytes.isEmpty { bytes[rng.int(below: bytes.count)] = alphabet[rng.int(below: alphabet.count)] }
                case 2: for _ in 0..<(1 + rng.int(below: 4)) { bytes.insert(alphabet[rng.int(below: alphabet.count)], at: rng.int(below: bytes.count + 1)) }
                default: for _ in 0..<(1 + rng.int(below: 3)) where !bytes.isEmpty { bytes.remove(at: rng.int(below: bytes.count)) }
                }
                let path = dir + "/\(trial)." + name
                let f = fopen(path, "w")!
                fwrite(bytes, 1, bytes.count, f)
                fclose(f)
                parse(name, path)
                cases += 1
            }
        }
        #expect(cases == Self.seeds.count * 300)
    }
}
#if canImport(Glibc)
import Glibc
#endif
