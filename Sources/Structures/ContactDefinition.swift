/// Which distance between two residues defines a contact, with its usual threshold:
/// - `betaCarbon`: Cβ–Cβ (Cα for glycine) < 8 Å — CASP's definition and seqgen's default for proteins;
/// - `alphaCarbon`: Cα–Cα < 8 Å;
/// - `heavyAtom`: the minimum distance between any two non-hydrogen atoms < 5 Å — EVcouplings'
///   comparison with protein structures — or < 8 Å on RNA and DNA, R-scape's contacts (its
///   default `--cntmaxD 8`, minimum atom distance) and seqgen's default for nucleic acids.
public enum ContactDefinition: String, CaseIterable, Sendable {
    case betaCarbon = "cb"
    case alphaCarbon = "ca"
    case heavyAtom = "heavy"

    /// The definition used on `structure` when none is given: Cβ on proteins, the minimum
    /// heavy-atom distance on nucleic acids (they have no Cβ or Cα).
    public static func standard(for structure: Structure) -> ContactDefinition { structure.isNucleicAcid ? .heavyAtom : .betaCarbon }

    /// The threshold in Å this definition is used with on `structure`: 8, but 5 for heavy atoms on a protein.
    public func defaultThreshold(for structure: Structure) -> Double { self == .heavyAtom && !structure.isNucleicAcid ? 5 : 8 }
}

extension Structure {
    /// d[i][j] in Å between residues i and j under `definition`; nil where a residue lacks the atoms.
    public func distances(_ definition: ContactDefinition) -> [[Double?]] {
        switch definition {
        case .betaCarbon: return betaDistances()
        case .alphaCarbon: return pointDistances(residues.map { $0.atoms["CA"] })
        case .heavyAtom:
            let atoms = residues.map { r in r.atoms.filter { !Structure.isHydrogen($0.key) }.map(\.value) }
            return atoms.indices.map { i in atoms.indices.map { j -> Double? in
                guard !atoms[i].isEmpty, !atoms[j].isEmpty else { return nil }
                if i == j { return 0 }
                var best = Double.infinity
                for p in atoms[i] { for q in atoms[j] { let d = p - q; best = Swift.min(best, (d * d).sum()) } }
                return best.squareRoot()
            } }
        }
    }

    /// Whether an atom name is a hydrogen's (or deuterium's): H… or D… once any leading digits go —
    /// `HB2` as PDB v3 names it, `1HB` as PDB v2 and Rosetta do. No heavy atom of an amino acid is
    /// named so.
    public static func isHydrogen(_ name: String) -> Bool {
        let first = name.drop { $0.isNumber }.first
        return first == "H" || first == "D"
    }

    func pointDistances(_ points: [SIMD3<Double>?]) -> [[Double?]] {
        points.map { p in points.map { q in
            guard let p, let q else { return nil }
            let d = p - q
            return (d * d).sum().squareRoot()
        } }
    }
}
