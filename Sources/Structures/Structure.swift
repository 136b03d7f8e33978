import Sequences

/// One chain of one model of a macromolecular structure: residues in file order with their atoms.
public struct Structure: Sendable {
    public struct Residue: Sendable {
        /// Residue name as the file gives it (`ALA`, `G`, `PSU`; MSE is read as MET).
        public var name: String
        public var number: Int
        public var insertionCode: Character?
        public var atoms: [String: SIMD3<Double>]

        /// One-letter code (X for non-standard residues).
        public var letter: Character { Structure.oneLetter[name] ?? "X" }

        public init(name: String, number: Int, insertionCode: Character?, atoms: [String: SIMD3<Double>]) {
            self.name = name; self.number = number; self.insertionCode = insertionCode; self.atoms = atoms
        }

        /// Cβ, or Cα for glycine (and for residues whose Cβ is missing).
        public var betaCarbon: SIMD3<Double>? { atoms["CB"] ?? atoms["CA"] }
    }

    public var source: String
    public var chain: String
    public var residues: [Residue]

    public init(source: String, chain: String, residues: [Residue]) {
        self.source = source; self.chain = chain; self.residues = residues
    }

    public var sequence: String { String(residues.map(\.letter)) }

    /// Residue names → letters: the 20 amino acids, the modified residues read as their parents, the
    /// protonation and disulfide states that simulation packages (Amber, CHARMM) name apart, and the
    /// nucleotides (`nucleotides`).
    static let oneLetter = Alphabet.threeLetterCodes.merging([
        "MSE": "M", "SEC": "C", "PYL": "K",
        "CYX": "C", "CYM": "C", "HID": "H", "HIE": "H", "HIP": "H", "HSD": "H", "HSE": "H", "HSP": "H",
        "ASH": "D", "GLH": "E", "LYN": "K",
    ]) { a, _ in a }.merging(nucleotides) { a, _ in a }

    /// Nucleotide names → letters: RNA (A C G U) and DNA (DA DC DG DT) as the PDB names them, and the
    /// modified nucleotides of tRNA and rRNA structures (written as HETATM) read as their parents —
    /// pseudouridine, dihydrouridine, the methylated bases, 4-thiouridine, wybutosine.
    static let nucleotides: [String: Character] = [
        "A": "A", "C": "C", "G": "G", "U": "U", "T": "T", "DA": "A", "DC": "C", "DG": "G", "DT": "T", "DU": "U",
        "PSU": "U", "H2U": "U", "5MU": "U", "4SU": "U", "OMU": "U", "5BU": "U", "UR3": "U",
        "5MC": "C", "OMC": "C", "CBR": "C", "1MA": "A", "MA6": "A", "6MZ": "A", "A2M": "A",
        "OMG": "G", "2MG": "G", "M2G": "G", "7MG": "G", "1MG": "G", "YG": "G", "YYG": "G",
    ]

    /// Modified residues written as HETATM that the reader keeps, each read as its parent: MSE, and
    /// the modified nucleotides (free nucleotide ligands such as GTP are left out).
    static let modifiedResidues = Set(nucleotides.keys).subtracting(["A", "C", "G", "U", "T", "DA", "DC", "DG", "DT", "DU"]).union(["MSE"])

    /// Whether most residues are nucleotides: an RNA or DNA chain, which has no Cβ or Cα.
    public var isNucleicAcid: Bool { 2 * residues.filter { Structure.nucleotides[$0.name] != nil }.count > residues.count }

    /// d[i][j] = ‖Cβ_i − Cβ_j‖ in Å (Cα for glycine); nil where a residue has neither atom.
    public func betaDistances() -> [[Double?]] { pointDistances(residues.map(\.betaCarbon)) }
}
