/// Row and column filters applied before fitting, in this order: per-sequence gap fraction,
/// focus coverage, per-column gap fraction, per-column coverage, maximum pairwise identity (greedy, like hhfilter -id),
/// then at most `maxSequences` rows. The focus sequence is always kept.
public struct AlignmentFilter: Sendable {
    /// Drop sequences with more than this fraction of gaps (1 = keep all).
    public var maxSequenceGapFraction = 1.0
    /// Drop columns with more than this fraction of gaps (1 = keep all).
    public var maxColumnGapFraction = 1.0
    /// Drop columns where no more than this fraction of the (kept) sequences has a residue:
    /// EVcouplings' `minimum_column_coverage` (its align stage lowercases — stops modelling — every
    /// column whose gap fraction is ≥ 1 − c; default c = 0.7). 0 = keep all.
    public var minColumnCoverage = 0.0
    /// Drop sequences covering less than this fraction of the focus's residues.
    public var minFocusCoverage = 0.0
    /// Drop a sequence whose identity to an already kept one exceeds this (1 = keep all).
    public var maxIdentity = 1.0
    public var maxSequences: Int?

    /// EVcouplings' align stage (its defaults): sequences with less than 50% of the model columns
    /// (`minimum_sequence_coverage`, i.e. gaps ≤ 0.5·L) and columns covered by no more than 70% of the
    /// remaining sequences (`minimum_column_coverage`) are dropped.
    public static let evcouplings = AlignmentFilter(maxSequenceGapFraction: 0.5, minColumnCoverage: 0.7)

    public init(maxSequenceGapFraction: Double = 1, maxColumnGapFraction: Double = 1, minColumnCoverage: Double = 0, minFocusCoverage: Double = 0,
                maxIdentity: Double = 1, maxSequences: Int? = nil) {
        self.minColumnCoverage = minColumnCoverage
        self.maxSequenceGapFraction = maxSequenceGapFraction; self.maxColumnGapFraction = maxColumnGapFraction
        self.minFocusCoverage = minFocusCoverage; self.maxIdentity = maxIdentity; self.maxSequences = maxSequences
    }

    public var isIdentity: Bool {
        maxSequenceGapFraction >= 1 && maxColumnGapFraction >= 1 && minColumnCoverage <= 0 && minFocusCoverage <= 0 && maxIdentity >= 1 && maxSequences == nil
    }

    public func apply(_ msa: MultipleSequenceAlignment) -> MultipleSequenceAlignment {
        if isIdentity { return msa }
        let gap = msa.alphabet.gap, l = msa.length
        let focus = msa.focusCodes
        let focusResidues = focus.filter { $0 != gap }.count
        var rows: [Int] = []
        for n in 0..<msa.count {
            if n == msa.focus { rows.append(n); continue }
            let row = msa.row(n)
            let gaps = row.filter { $0 == gap }.count
            if Double(gaps) > maxSequenceGapFraction * Double(l) { continue }
            if minFocusCoverage > 0 {
                var covered = 0
                for (i, c) in row.enumerated() where c != gap && focus[i] != gap { covered += 1 }
                if Double(covered) < minFocusCoverage * Double(focusResidues) { continue }
            }
            rows.append(n)
        }
        var out = msa.selectingRows(rows)
        if maxColumnGapFraction < 1 {
            let fractions = out.columnGapFractions()
            out = out.selectingColumns(fractions.indices.filter { fractions[$0] <= maxColumnGapFraction })
        }
        if minColumnCoverage > 0 {
            let fractions = out.columnGapFractions()
            // Gap fraction ≥ 1 − c drops the column (the tolerance keeps 1 − 0.7 = 0.3 exact).
            out = out.selectingColumns(fractions.indices.filter { fractions[$0] < 1 - minColumnCoverage - 1e-9 })
        }
        if maxIdentity < 1 {
            // Greedy in file order (focus first): keep a row unless it is > maxIdentity identical to a kept one.
            var kept = [out.focus]
            let limit = Int((maxIdentity * Double(out.length)).rounded(.down))
            for n in 0..<out.count where n != out.focus {
                let r = out.row(n)
                let redundant = kept.contains { k in
                    zip(r, out.row(k)).reduce(0) { $0 + ($1.0 == $1.1 ? 1 : 0) } > limit
                }
                if !redundant { kept.append(n) }
            }
            out = out.selectingRows(kept.sorted())
        }
        if let m = maxSequences, out.count > m {
            var keep = Array(0..<m)
            if out.focus >= m { keep[m - 1] = out.focus }
            out = out.selectingRows(keep.sorted())
        }
        return out
    }
}
