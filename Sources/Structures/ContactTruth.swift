/// True contacts for the model columns of an alignment: a residue distance (`ContactDefinition`:
/// Cβ–Cβ with Cα for glycine by default, Cα–Cα, or minimum heavy-atom distance) below a threshold, with the structure mapped onto the focus sequence by global alignment. Columns with
/// no structure residue (or no coordinates) are unknown and excluded from evaluation.
public struct ContactTruth: Sendable {
    /// distance[i][j] in Å for model columns i, j; nil where unknown.
    public var distances: [[Double?]]
    public var threshold: Double
    /// Structure residue index for each model column (nil = unmapped).
    public var mapping: [Int?]
    /// Mapped columns whose residue letters differ between focus and structure.
    public var mismatches: Int

    /// `focus`: the focus sequence over model columns (gaps allowed: they map to nothing).
    public init(structure: Structure, focus: String, definition: ContactDefinition = .betaCarbon, threshold: Double? = nil) {
        let focusChars = Array(focus)
        let residueColumns = focusChars.indices.filter { focusChars[$0] != "-" }
        let structureChars = Array(structure.sequence)
        let m = needlemanWunsch(residueColumns.map { focusChars[$0] }, structureChars)
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
        self.threshold = threshold ?? definition.defaultThreshold
        self.mapping = mapping
        self.mismatches = mismatches
    }

    public init(distances: [[Double?]], threshold: Double = 8) {
        self.distances = distances; self.threshold = threshold
        self.mapping = distances.indices.map { $0 }; self.mismatches = 0
    }

    public var length: Int { distances.count }

    /// true / false, or nil where unknown.
    public func isContact(_ i: Int, _ j: Int) -> Bool? { distances[i][j].map { $0 < threshold } }
}
