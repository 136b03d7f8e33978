import Archive
import Mutations
import Scoring
import NumPyIO
import Figures

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

    /// `mutant,score` (and the measured column when given); unscorable variants have an empty score.
    public var csv: String
    /// Variants scored.
    public var scored: Int
    /// Variants that touch positions the model does not cover, left unscored.
    public var outside: [String]

    /// Scores `rows` with `scorer`. `source` names the table (or "--mutants") in errors;
    /// `measuredColumn`: the output's name for the measured values (nil: no such column).
    /// Throws when the numbering is inconsistent with the model's focus, or no variant can be scored.
    public init(_ rows: [Row], scorer: any MutationEffectModel, mapping: VariantMapping, offset: Int, source: String, measuredColumn: String?) throws {
        try mapping.requireConsistentNumbering(rows.map(\.variant), offset: offset, source: source)
        var csv = "mutant,score" + (measuredColumn.map { ",\($0)" } ?? "") + "\n"
        var outside: [String] = [], firstOutside: (Variant, Int)?
        for row in rows {
            var score = ""
            switch try mapping.map(row.variant, offset: offset, where: row.line.map { (source, $0) }) {
            case let .mapped(columns, states):
                score = String(scorer.effect(of: zip(columns, states).map { ($0, $1) }, background: mapping.background))
            case let .outsideModel(residue):
                outside.append(row.variant.description)
                if firstOutside == nil { firstOutside = (row.variant, residue) }
            }
            csv += "\(row.variant),\(score)" + (measuredColumn != nil ? ",\(row.measured.map { String($0) } ?? "")" : "") + "\n"
        }
        if !rows.isEmpty && outside.count == rows.count, let (variant, residue) = firstOutside {
            throw PipelineError(path: source, "none of the \(rows.count) mutants can be scored (nothing written): \(variant): \(mapping.whyUnmapped(residue))\(offset != 0 ? " (offset \(offset))" : "")")
        }
        self.csv = csv; self.scored = rows.count - outside.count; self.outside = outside
    }
}

/// `seqgen score --scan`: the effect of every single substitution of the focus sequence, an L × (q−1)
/// matrix (rows: model columns; columns: the alphabet's letters but the gap; 0 at the wild type).
public struct MutationScan {
    public let archive: ModelArchive
    /// The substituted letters, in alphabet order.
    public let letters: [Character]
    /// values[column][letter]
    public let values: [[Double]]
    /// The wild type's index in `letters` per column (nil at a focus gap).
    public let wildType: [Int?]

    public init(_ archive: ModelArchive, scorer: any MutationEffectModel, mapping: VariantMapping) {
        let letters = Array(archive.alphabet.letters.prefix(archive.alphabet.size - 1)).map { Character(UnicodeScalar($0)) }
        self.archive = archive; self.letters = letters
        values = (0..<archive.length).map { c in
            letters.indices.map { a -> Double in
                UInt8(a) == mapping.background[c] ? 0 : scorer.effect(of: [(c, UInt8(a))], background: mapping.background)
            }
        }
        wildType = mapping.background.map { Int($0) < letters.count ? Int($0) : nil }
    }

    /// `position,wild_type,A,C,…`: one row per column, by residue number.
    public var csv: String {
        var csv = "position,wild_type," + letters.map(String.init).joined(separator: ",") + "\n"
        let focus = Array(archive.focusSequence)
        for (c, row) in values.enumerated() {
            csv += "\(archive.residueNumbers[c]),\(focus[c])," + row.map { String($0) }.joined(separator: ",") + "\n"
        }
        return csv
    }

    /// The matrix as float32 (L, q−1).
    public var array: NumPyArray { NumPyArray(floats: values.flatMap { $0.map(Float.init) }, shape: [archive.length, letters.count]) }

    /// The heat map of the scan, wild types marked.
    public var heatmap: HeatmapPlot {
        HeatmapPlot(values: values, rowLabels: letters.map(String.init), columnNumbers: archive.residueNumbers.map { Swift.abs($0) },
                    wildType: wildType, title: "\(archive.focusName): \(archive.modelType) single-mutant scan")
    }
}
