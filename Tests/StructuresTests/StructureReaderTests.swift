import Testing
import TestSupport
import Structures
import FileIO

@Suite struct StructureTests {
    func atom(_ serial: Int, _ name: String, _ res: String, _ chain: String, _ num: Int, _ x: Double, alt: String = " ", ins: String = " ", het: Bool = false) -> String {
        func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
            let p = String(repeating: " ", count: max(0, w - s.count)); return left ? s + p : p + s
        }
        let coord = pad(String(x), 8) + pad("0.0", 8) + pad("0.0", 8)
        return (het ? "HETATM" : "ATOM  ") + pad(String(serial), 5) + " " + pad(name, 4, left: true) + alt + pad(res, 3) + " " + chain
            + pad(String(num), 4) + ins + "   " + coord + "  1.00  0.00"
    }

    @Test func pdbAltLocsInsertionCodesAndSelenomethionine() throws {
        let lines = [
            atom(1, " CA", "GLY", "A", 1, 0), atom(2, " CA", "ALA", "A", 2, 3.8, alt: "A"), atom(3, " CA", "ALA", "A", 2, 99, alt: "B"),
            atom(4, " CB", "ALA", "A", 2, 5, alt: "A"), atom(5, " CA", "ALA", "A", 2, 7, ins: "A"), atom(6, " CA", "MSE", "A", 3, 11, het: true),
            atom(7, " O", "HOH", "A", 100, 50, het: true), atom(8, " CA", "LYS", "B", 1, 0),
        ]
        let p = writeText(lines.joined(separator: "\n") + "\nEND\n", "t.pdb")
        let s = try StructureReader().read(p)
        #expect(s.sequence == "GAAM")
        #expect(s.residues[1].atoms["CA"]!.x == 3.8)          // first alt-loc kept
        #expect(s.residues[1].betaCarbon!.x == 5)
        #expect(s.residues[2].insertionCode == "A")
        #expect(s.residues[0].betaCarbon!.x == 0)             // glycine: Cα
        let d = s.betaDistances()
        #expect(d[0][1]! == 5)
        #expect(try StructureReader(chain: "B").read(p).sequence == "K")
        let e = "\((try? StructureReader(chain: "C").read(p)).map { _ in "" } ?? { do { _ = try StructureReader(chain: "C").read(p); return "" } catch { return "\(error)" } }())"
        #expect(e.contains("no chain 'C'") && e.contains("A, B"), "\(e)")
    }

    @Test func mmCIFAtomSiteLoop() throws {
        let cif = """
        data_test
        loop_
        _atom_site.group_PDB
        _atom_site.id
        _atom_site.label_atom_id
        _atom_site.label_alt_id
        _atom_site.label_comp_id
        _atom_site.auth_asym_id
        _atom_site.auth_seq_id
        _atom_site.pdbx_PDB_ins_code
        _atom_site.Cartn_x
        _atom_site.Cartn_y
        _atom_site.Cartn_z
        _atom_site.pdbx_PDB_model_num
        ATOM 1 CA . GLY A 1 ? 0.0 0.0 0.0 1
        ATOM 2 CA . TRP A 2 ? 3.8 0.0 0.0 1
        ATOM 3 CB . TRP A 2 ? 4.0 1.0 0.0 1
        HETATM 4 CA . MSE A 3 ? 7.0 0.0 0.0 1
        ATOM 5 "C1'" . TRP A 2 ? 9.0 9.0 9.0 1
        ATOM 6 CA . GLY A 1 ? 50.0 0.0 0.0 2
        #
        """
        let s = try StructureReader().read(writeText(cif, "t.cif"))
        #expect(s.sequence == "GWM")
        #expect(s.residues[1].betaCarbon == SIMD3(4, 1, 0))
        #expect(try StructureReader(model: 2).read(writeText(cif, "u.cif")).residues[0].atoms["CA"]!.x == 50)
    }

    /// Every chain with a residue, in file order; the default chain skips one of waters alone; a
    /// mmCIF label_asym_id given for --chain is answered with the author's id it stands for.
    @Test func chainsInFileOrderAndMMCIFLabelIds() throws {
        let lines = [atom(1, " O", "HOH", "W", 1, 50, het: true), atom(2, " CA", "LYS", "B", 1, 0), atom(3, " CA", "GLY", "A", 1, 0), atom(4, " CA", "TRP", "A", 2, 3.8)]
        let p = writeText(lines.joined(separator: "\n") + "\nEND\n", "chains.pdb")
        #expect(try StructureReader().readChains(p).map(\.chain) == ["B", "A"])
        #expect(try StructureReader().read(p).chain == "B")
        let cif = """
        data_test
        loop_
        _atom_site.group_PDB
        _atom_site.label_atom_id
        _atom_site.label_comp_id
        _atom_site.label_asym_id
        _atom_site.auth_asym_id
        _atom_site.auth_seq_id
        _atom_site.Cartn_x
        _atom_site.Cartn_y
        _atom_site.Cartn_z
        ATOM CA GLY A E 1 0.0 0.0 0.0
        ATOM CA TRP A E 2 3.8 0.0 0.0
        #
        """
        let c = writeText(cif, "label.cif")
        #expect(try StructureReader(chain: "E").read(c).sequence == "GW")
        do { _ = try StructureReader(chain: "A").read(c); Issue.record("no error") } catch {
            #expect("\(error)".hasSuffix("no chain 'A' (chains: E); 'A' is this mmCIF file's label_asym_id of author chain 'E', the id read here: pass --chain E"), "\(error)")
        }
    }

    @Test func bothAlignmentsHandleMissingResiduesAndMismatches() {
        let focus = Array("MKVLAAGIDE"), structure = Array("KVLDAGDE")    // M, I missing; A→D mismatch
        #expect(needlemanWunsch(focus, structure) == [nil, 0, 1, 2, 3, 4, 5, nil, 6, 7])
        let m = localAlignment(focus, structure)
        #expect(m == [nil, 0, 1, 2, 3, 4, 5, nil, 6, 7])
    }

    @Test func malformedPDBNamesTheLine() {
        let p = writeText("HEADER x\nATOM      1  CA  GLY A   1     abc     0.000   0.000  1.00  0.00\n", "bad.pdb")
        #expect(throws: FileIOError.self) { try StructureReader().read(p) }
        do { _ = try StructureReader().read(p) } catch { #expect("\(error)".contains("bad.pdb:2:")) }
        #expect(throws: FileIOError.self) { try StructureReader().read(writeText("HEADER only\n", "empty.pdb")) }
    }

    @Test func contactDefinitionsMeasureTheirOwnAtoms() {
        // Two residues: Cα 10 Å apart, Cβ 7 Å apart, side-chain tips 3 Å apart, a hydrogen 1 Å from the other.
        let a = Structure.Residue(name: "LEU", number: 1, insertionCode: nil,
                                  atoms: ["CA": SIMD3(0, 0, 0), "CB": SIMD3(1.5, 0, 0), "CD1": SIMD3(3.5, 0, 0), "HD11": SIMD3(5.5, 0, 0)])
        let b = Structure.Residue(name: "GLY", number: 2, insertionCode: nil, atoms: ["CA": SIMD3(6.5, 0, 0)])
        let c = Structure.Residue(name: "ALA", number: 3, insertionCode: nil, atoms: ["CA": SIMD3(10, 0, 0), "CB": SIMD3(8.5, 0, 0)])
        let s = Structure(source: "t", chain: "A", residues: [a, b, c])
        #expect(s.distances(.alphaCarbon)[0][2] == 10)
        #expect(s.distances(.betaCarbon)[0][2] == 7)
        #expect(s.distances(.betaCarbon)[0][1] == 5)          // glycine: its Cα
        #expect(s.distances(.heavyAtom)[0][1] == 3)           // CD1–CA; the hydrogen (1 Å) is not a heavy atom
        #expect(s.distances(.heavyAtom)[0][2] == 5)           // CD1–CB
        let truth = ContactTruth(structure: s, focus: "LGA", definition: .heavyAtom)
        #expect(truth.threshold == 5)
        #expect(truth.isContact(0, 1) == true && truth.isContact(0, 2) == false)   // 5 Å is not < 5 Å
        #expect(ContactTruth(structure: s, focus: "LGA").isContact(0, 2) == true)  // Cβ 7 < 8
    }

    /// An RNA chain: nucleotides and modified nucleotides (HETATM) read as letters, a free GTP
    /// ligand left out; contacts are minimum heavy-atom distances < 8 Å (R-scape's), and Cβ is refused
    /// by the command, not silently read as nothing.
    @Test func rnaChainsReadNucleotidesAndTakeHeavyAtomContacts() throws {
        let lines = [
            atom(1, " P", "G", "A", 1, 0), atom(2, " C1'", "G", "A", 1, 1), atom(3, " P", "C", "A", 2, 7.5),
            atom(4, " P", "PSU", "A", 3, 20, het: true), atom(5, " N1", "PSU", "A", 3, 21, het: true),
            atom(6, " P", "DA", "A", 4, 40), atom(7, " PG", "GTP", "A", 101, 60, het: true),
        ]
        let s = try StructureReader().read(writeText(lines.joined(separator: "\n") + "\nEND\n", "rna.pdb"))
        #expect(s.sequence == "GCUA" && s.isNucleicAcid)
        #expect(ContactDefinition.standard(for: s) == .heavyAtom && ContactDefinition.heavyAtom.defaultThreshold(for: s) == 8)
        let truth = ContactTruth(structure: s, focus: "GCUA")
        #expect(truth.definition == .heavyAtom && truth.threshold == 8)
        #expect(truth.isContact(0, 1) == true && truth.isContact(1, 2) == false)   // C1'–P 6.5 Å; P–P 12.5 Å
        #expect(truth.distances[1][2] == 12.5)
        // A protein keeps Cβ and EVcouplings' 5 Å for heavy atoms.
        let protein = Structure(source: "t", chain: "A", residues: [Structure.Residue(name: "ALA", number: 1, insertionCode: nil, atoms: ["CA": .zero])])
        #expect(!protein.isNucleicAcid && ContactDefinition.standard(for: protein) == .betaCarbon
                && ContactDefinition.heavyAtom.defaultThreshold(for: protein) == 5)
    }

    @Test func hydrogensAreNotHeavyAtomsWhateverTheirNaming() throws {
        for name in ["H", "HB2", "1HB", "2HG1", "D", "HD11"] { #expect(Structure.isHydrogen(name), "\(name)") }
        for name in ["CA", "CB", "ND1", "OG1", "SD", "NH2"] { #expect(!Structure.isHydrogen(name), "\(name)") }
        // The element column drops a hydrogen whatever its name; mmCIF's type_symbol likewise.
        let pdb = """
        ATOM      1  CA  GLY A   1       0.000   0.000   0.000  1.00  0.00           C
        ATOM      2  XX1 GLY A   1       1.000   0.000   0.000  1.00  0.00           H
        ATOM      3  CA  GLY A   2       9.000   0.000   0.000  1.00  0.00           C

        """
        let s = try StructureReader().read(writeText(pdb, "hydrogen.pdb"))
        #expect(s.residues[0].atoms.keys.sorted() == ["CA"])
    }

    @Test func localAlignmentLeavesUnrelatedEndsUnmapped() {
        // A construct: the focus's first 8 residues, then a His tag; the focus goes on with 5 others.
        let focus = Array("MKVLAAGIWERTY"), structure = Array("MKVLAAGIGSHHHHHH")
        let m = localAlignment(focus, structure)
        #expect(m == [0, 1, 2, 3, 4, 5, 6, 7, nil, nil, nil, nil, nil], "\(m)")
        #expect(localAlignment([], structure).isEmpty && localAlignment(focus, []).allSatisfy { $0 == nil })
    }
}
