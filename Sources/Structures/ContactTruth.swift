import FileIO

/// True contacts for the model columns of an alignment: a residue distance (`ContactDefinition`:
/// Cβ–Cβ with Cα for glycine by default, Cα–Cα, or minimum heavy-atom distance) below a threshold,
/// with the structure mapped onto the focus sequence by alignment (`localAlignment` where it finds
/// the focus, else `needlemanWunsch`). Columns with
/// no structure residue (or no coordinates) are unknown and excluded from evaluation.
public struct ContactTruth: Sendable {
    /// distance[i][j] in Å for model columns i, j; nil where unknown.
    public var distances: [[Double?]]
    public var threshold: Double
    /// Structure residue index for each model column (nil = unmapped).
    public var mapping: [Int?]
    /// Mapped columns whose residue letters differ between focus and structure.
    public var mismatches: Int
    /// Residues (non-gap model columns) of the focus; 0 for a truth given as pairs.
    public var focusResidues: Int
    /// The distance that defines a contact; nil for a truth given as pairs.
    public var definition: ContactDefinition?

    /// Columns mapped onto a structure residue.
    public var mapped: Int { mapping.lazy.filter { $0 != nil }.count }
    /// Fraction of mapped columns whose letters agree: (mapped − mismatches) / mapped.
    public var identity: Double { mapped == 0 ? 0 : Double(mapped - mismatches) / Double(mapped) }
    /// Fraction of the focus residues that map onto a structure residue.
    public var coverage: Double { focusResidues == 0 ? 1 : Double(mapped) / Double(focusResidues) }

    /// `focus`: the focus sequence over model columns (gaps allowed: they map to nothing).
    /// `definition` nil: `ContactDefinition.standard(for:)` (Cβ on proteins, heavy atoms on nucleic
    /// acids); `threshold` nil: that definition's on this structure.
    public init(structure: Structure, focus: String, definition: ContactDefinition? = nil, threshold: Double? = nil) {
        let definition = definition ?? .standard(for: structure)
        let focusChars = Array(focus)
        let residueColumns = focusChars.indices.filter { focusChars[$0] != "-" }
        let structureChars = Array(structure.sequence)
        // The local alignment when it finds the focus in the structure (≥ 90% identity over at least
        // half of the shorter sequence): tags and extra termini stay unmapped. Otherwise the global
        // one, whose identity then says how far apart the two sequences are.
        let residues = residueColumns.map { focusChars[$0] }
        let local = localAlignment(residues, structureChars)
        let pairs = local.enumerated().compactMap { k, s in s.map { (residues[k], structureChars[$0]) } }
        let found = 10 * pairs.filter { $0.0 == $0.1 }.count >= 9 * pairs.count && 2 * pairs.count >= Swift.min(residues.count, structureChars.count)
        let m = found && !pairs.isEmpty ? local : needlemanWunsch(residues, structureChars)
        var mapping = [Int?](repeating: nil, count: focusChars.count)
        var mismatches = 0
        for (k, col) in residueColumns.enumerated() {
            mapping[col] = m[k]
            if let s = m[k], structureChars[s] != focusChars[col] { mismatches += 1 }
        }
        let d = structure.distances(definition)
        self.distances = mapping.map { a in mapping.map { b in
            guard let a, let b else { return nil }
            return d[a][b]
        } }
        self.threshold = threshold ?? definition.defaultThreshold(for: structure)
        self.definition = definition
        self.mapping = mapping
        self.mismatches = mismatches
        self.focusResidues = residueColumns.count
    }

    public init(distances: [[Double?]], threshold: Double = 8) {
        self.distances = distances; self.threshold = threshold
        self.mapping = distances.indices.map { $0 }; self.mismatches = 0; self.focusResidues = distances.count
    }

    /// "identity 98.7% (1 mismatch over 75 mapped columns), coverage 100.0% of 75 focus residues"
    public var agreementSummary: String {
        let pct = { (x: Double) in String(Double((x * 1000).rounded()) / 10) + "%" }
        return "identity \(pct(identity)) (\(mismatches) mismatch\(mismatches == 1 ? "" : "es") over \(mapped) mapped columns), "
            + "coverage \(pct(coverage)) of \(focusResidues) focus residues"
    }

    /// True when the structure is the focus's protein: some column mapped, at ≥ `minimumIdentity`.
    public func agrees(minimumIdentity: Double = 0.9) -> Bool { mapped > 0 && identity >= minimumIdentity }

    /// Refuses a structure whose sequence does not match the model's focus: below `minimumIdentity`
    /// the precision would measure the wrong protein (or the wrong focus record), not the model.
    /// `structure` and `chain` are named in the message.
    public func requireAgreement(minimumIdentity: Double = 0.9, structure: String, chain: String) throws {
        guard !agrees(minimumIdentity: minimumIdentity) else { return }
        guard focusResidues > 0 else {
            throw FileIOError(path: structure, "the model carries no focus sequence to map the structure onto (a CCMpred or GREMLIN file, or plmc's without -f, converted "
                + "without --alignment): convert it again with --alignment, the alignment it was fitted to, or give the contacts as pairs (--truth)")
        }
        throw FileIOError(path: structure, "\(chain.isEmpty ? "the chain (blank id)" : "chain '\(chain)'") does not match the model's focus sequence: \(agreementSummary), below \(Int((minimumIdentity * 100).rounded()))%. "
            + "Was the model fitted on the right focus record (fit --focus N or NAME; e.g. --focus 2635 for 1atzA.aln), "
            + "and is this the right chain (--chain)? Pass --allow-mismatch to evaluate anyway")
    }

    /// Refuses a mapping that leaves nothing to evaluate: no pair of columns at |i − j| ≥
    /// `minimumSeparation` with a known distance (a structure of a few residues, or one that covers
    /// another part of the protein) would print a table of n/a and succeed.
    public func requireEvaluablePairs(minimumSeparation: Int = 6, structure: String, chain: String) throws {
        let known = distances.indices.contains { i in
            (i + minimumSeparation..<Swift.max(i + minimumSeparation, length)).contains { distances[i][$0] != nil }
        }
        guard !known else { return }
        throw FileIOError(path: structure, "\(chain.isEmpty ? "the chain (blank id)" : "chain '\(chain)'") leaves no pair of model columns at |i - j| >= \(minimumSeparation) with coordinates to evaluate: \(agreementSummary). "
            + "Is this the structure of the model's focus protein, and the right chain (--chain)?")
    }

    public var length: Int { distances.count }

    /// true / false, or nil where unknown.
    public func isContact(_ i: Int, _ j: Int) -> Bool? { distances[i][j].map { $0 < threshold } }
}
