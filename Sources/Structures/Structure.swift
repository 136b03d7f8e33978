import Sequences

/// One chain of one model of a macromolecular structure: residues in file order with their atoms.
public struct Structure: Sendable {
    public struct Residue: Sendable {
        /// Three-letter name (MSE is read as MET).
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

    /// Residue names → letters: the 20 amino acids, the modified residues read as their parents, and
    /// the protonation and disulfide states that simulation packages (Amber, CHARMM) name apart.
    static let oneLetter = Alphabet.threeLetterCodes.merging([
        "MSE": "M", "SEC": "C", "PYL": "K",
        "CYX": "C", "CYM": "C", "HID": "H", "HIE": "H", "HIP": "H", "HSD": "H", "HSE": "H", "HSP": "H",
        "ASH": "D", "GLH": "E", "LYN": "K",
    ]) { a, _ in a }

    /// d[i][j] = ‖Cβ_i − Cβ_j‖ in Å (Cα for glycine); nil where a residue has neither atom.
    public func betaDistances() -> [[Double?]] { pointDistances(residues.map(\.betaCarbon)) }
}
