import Archive
import Mutations
import Scoring
import NumPyIO
import Figures
import VAE

/// `seqgen score --mutations/--mutants` as a library call: each variant mapped onto the model's
/// columns (residue numbers + `offset`) and scored in the focus background.
public struct ScoredVariants {
    /// One variant to score, with its measured value and the table line it came from (if any).
    public struct Row: Sendable {
        public var variant: Variant
        public var measured: Double?
        public var line: Int?
        public init(_ variant: Variant, measured: Double? = nil, line: Int? = nil) { self.variant = variant; self.measured = measured; self.line = line }
    }

    /// `mutant,score` (then `pathogenic_probability` with a mixture, and the measured column when
    /// given); unscorable variants have an empty score.
    public var csv: String
    /// Variants scored.
    public var scored: Int
    /// Variants that touch positions the model does not cover, left unscored.
    public var outside: [String]
    /// Nonsense variants (a stop codon, `A12*`), left unscored.
    public var nonsense: [String]
    /// Variants to a gap (`A12-`) for a model that reads residues only (`scoresGaps`), left unscored.
    public var toGap: [String]
    /// Each row's score (nil: not scorable).
    public var scores: [Double?]
    /// EVE's mixture over the evolutionary indices (−score) of the scored variants, when asked for.
    public var mixture: EvolutionaryIndexMixture?

    /// Scores `rows` with `scorer` (one batched `effects` call). `source` names the table (or
    /// "--mutants") in errors; `measuredColumn`: the output's name for the measured values (nil: no
    /// such column); `mixture`: fit EVE's two-component mixture to the indices and add each
    /// variant's pathogenic probability. Throws when the numbering is inconsistent with the model's
    /// focus, or no variant can be scored.
    public init(_ rows: [Row], scorer: any MutationEffectModel, mapping: VariantMapping, offset: Int, source: String, measuredColumn: String?,
                mixture fitMixture: Bool = false) throws {
        guard !rows.isEmpty else { throw PipelineError(path: source, "no variants to score") }
        try mapping.requireConsistentNumbering(rows.map(\.variant), offset: offset, source: source)
        var outside: [String] = [], nonsense: [String] = [], toGap: [String] = [], firstOutside: (Variant, Int)?, beyond = 0
        let gap = mapping.alphabet.gap
        var mapped: [(row: Int, substitutions: [(column: Int, state: UInt8)])] = []
        for (k, row) in rows.enumerated() {
            switch try mapping.map(row.variant, offset: offset, where: row.line.map { (source, $0) }) {
            case let .mapped(_, states) where !scorer.scoresGaps && states.contains(gap):
                toGap.append(row.variant.description)
            case let .mapped(columns, states):
                mapped.append((k, zip(columns, states).map { ($0, $1) }))
            case let .outsideModel(residue):
                outside.append(row.variant.description)
                if mapping.isBeyondProtein(residue) { beyond += 1 }
                if firstOutside == nil { firstOutside = (row.variant, residue) }
            case .nonsense:
                nonsense.append(row.variant.description)
            }
        }
        if mapped.isEmpty {
            let why = firstOutside.map { "\($0.0): \(mapping.whyUnmapped($0.1))\(offset != 0 ? " (offset \(offset))" : "")" }
                ?? (nonsense.first.map { "\($0): a stop codon (nonsense variants are not scored)" }
                    ?? "\(toGap[0]): a gap, which this model does not score (it has no fitted gap state)")
            // Every mutant off the model: most often a table numbered from another start.
            let hint = beyond == rows.count ? "; if the table numbers its positions from another start, --offset D adds D to them" : ""
            throw PipelineError(path: source, "none of the \(rows.count) mutants can be scored (nothing written): \(why)\(hint)")
        }
        var scores = [Double?](repeating: nil, count: rows.count)
        for (m, e) in zip(mapped, scorer.effects(of: mapped.map(\.substitutions), background: mapping.background)) { scores[m.row] = e }
        if fitMixture {
            guard let m = EvolutionaryIndexMixture.fit(scores.compactMap { $0.map { -$0 } }) else {
                throw PipelineError(path: source, "--mixture needs at least 4 scored variants with different scores")
            }
            mixture = m
        }
        var csv = "mutant,score" + (mixture != nil ? ",pathogenic_probability" : "") + (measuredColumn.map { ",\($0)" } ?? "") + "\n"
        for (k, row) in rows.enumerated() {
            let probability = mixture.map { m in "," + (scores[k].map { String(m.pathogenicProbability(-$0)) } ?? "") } ?? ""
            csv += "\(row.variant),\(scores[k].map { String($0) } ?? "")\(probability)" + (measuredColumn != nil ? ",\(row.measured.map { String($0) } ?? "")" : "") + "\n"
        }
        self.csv = csv; self.scored = mapped.count; self.outside = outside; self.nonsense = nonsense; self.toGap = toGap; self.scores = scores
    }
}

/// `seqgen score --scan`: the effect of every single substitution of the focus sequence, an L × (q−1)
/// matrix (rows: model columns; columns: the alphabet's letters but the gap; 0 at the wild type).
public struct MutationScan {
    public let archive: ModelArchive
    /// The substituted letters, in alphabet order.
    public let letters: [Character]
    /// The model columns scanned: those where the focus has a residue (a single mutant of the
    /// protein); columns where the focus has a gap are left out.
    public let columns: [Int]
    /// values[k][letter] for column `columns[k]`.
    public let values: [[Double]]
    /// The wild type's index in `letters` per scanned column.
    public let wildType: [Int]

    public init(_ archive: ModelArchive, scorer: any MutationEffectModel, mapping: VariantMapping) {
        let letters = Array(archive.alphabet.letters.prefix(archive.alphabet.size - 1)).map { Character(UnicodeScalar($0)) }
        self.archive = archive; self.letters = letters
        let columns = (0..<archive.length).filter { archive.residueNumbers[$0] > 0 && Int(mapping.background[$0]) < letters.count }
        self.columns = columns
        // Every single mutant in one batched `effects` call.
        var singles: [[(column: Int, state: UInt8)]] = []
        for c in columns { for a in letters.indices where UInt8(a) != mapping.background[c] { singles.append([(c, UInt8(a))]) } }
        var effects = scorer.effects(of: singles, background: mapping.background).makeIterator()
        values = columns.map { c in
            letters.indices.map { a -> Double in UInt8(a) == mapping.background[c] ? 0 : effects.next()! }
        }
        wildType = columns.map { Int(mapping.background[$0]) }
    }

    /// `position,wild_type,A,C,…`: one row per focus residue, by residue number.
    public var csv: String {
        var csv = "position,wild_type," + letters.map(String.init).joined(separator: ",") + "\n"
        let focus = Array(archive.focusSequence)
        for (c, row) in zip(columns, values) {
            csv += "\(archive.residueNumbers[c]),\(focus[c])," + row.map { String($0) }.joined(separator: ",") + "\n"
        }
        return csv
    }

    /// The matrix as float32 (focus residues, q−1).
    public var array: NumPyArray { NumPyArray(floats: values.flatMap { $0.map(Float.init) }, shape: [columns.count, letters.count]) }

    /// The heat map of the scan, wild types marked.
    public var heatmap: HeatmapPlot {
        HeatmapPlot(values: values, rowLabels: letters.map(String.init), columnNumbers: columns.map { archive.residueNumbers[$0] },
                    wildType: wildType.map { Optional($0) }, title: "\(archive.focusName): \(archive.modelType) single-mutant scan")
    }
}
