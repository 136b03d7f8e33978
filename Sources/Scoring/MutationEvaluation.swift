import Mutations
import FileIO
import Statistics

/// Predicted scores paired with measured ones, variant by variant: the input of `eval mutations`.
/// A measured variant (table position + `offset`) matches a prediction with the same
/// substitutions in any order; a variant measured on several rows is one point, their mean. A
/// variant predicted twice with different scores is an error naming the line. Matching no variant
/// at all is an error with a hint, never a silent "n/a over 0 of 0".
public struct MutationEvaluation: Sendable {
    /// Predicted and measured scores of the matched variants, in the measured table's order.
    public var predicted: [Double] = [], measured: [Double] = []
    /// The scan's fit/unfit label of each matched variant (ProteinGym's `DMS_score_bin`), when the
    /// measured table has them.
    public var fit: [Bool]?
    /// Number of substitutions of each matched variant (0 for a whole sequence).
    public var substitutions: [Int] = []
    /// Position (measured numbering) of each matched single mutant; nil for multi-mutants.
    public var singlePositions: [Int?] = []
    /// Measured rows that carry a score (the denominator of the coverage).
    public var withMeasurement = 0
    /// Measured rows that matched a prediction; more than `matched` where rows repeat a variant.
    public var matchedRows = 0
    /// The median measured score over every measured row of the scan, matched or not: ProteinGym's
    /// default fit/unfit cut-off, fixed by the assay before any model is scored (so a model that
    /// covers fewer variants is not judged against another cut-off). Nil without a measurement.
    public var scanMedian: Double?

    public var matched: Int { predicted.count }
    /// Matched measured rows over the rows with a measurement.
    public var coverage: Double { Double(matchedRows) / Double(Swift.max(withMeasurement, 1)) }
    /// When fewer than half the measured rows matched: another offset at which at least half of the
    /// measured single mutants name a predicted one (as the no-match error suggests), else nil.
    public var suggestedOffset: Int?

    /// Pairs `predictions` (rows with a score) with `measurements` (rows with a score), shifting the
    /// measured positions by `offset`. Throws when nothing matches, naming the tables and the likely cause.
    public init(predictions: MutationTable, measurements: MutationTable, offset: Int = 0,
                predictionColumn: String = "score", measurementColumn: String = "DMS_score") throws {
        let byKey = try Self.scores(of: predictions)
        var labels: [Bool] = []
        // Measured duplicates (one protein variant from several codons, as in MaveDB score sets) are
        // averaged into one point, fit where most of its rows are (the first row's label on a tie).
        var order: [String] = [], rows: [String: [MutationTable.Row]] = [:]
        let scores = measurements.rows.compactMap(\.score)
        scanMedian = scores.isEmpty ? nil : median(scores)
        for r in measurements.rows where r.score != nil {
            withMeasurement += 1
            let key = Self.key(r, offset: offset)
            guard byKey[key] != nil else { continue }
            if rows[key] == nil { order.append(key) }
            rows[key, default: []].append(r)
        }
        for key in order {
            let group = rows[key]!, first = group[0]
            predicted.append(byKey[key]!)
            measured.append(group.reduce(0) { $0 + $1.score! } / Double(group.count))
            substitutions.append(first.variant.substitutions.count)
            if first.fit != nil {
                let fits = group.filter { $0.fit == true }.count
                labels.append(2 * fits == group.count ? first.fit! : 2 * fits > group.count)
            }
            singlePositions.append(first.variant.substitutions.count == 1 ? first.variant.substitutions[0].position : nil)
            matchedRows += group.count
        }
        if measurements.binColumn != nil { fit = labels }     // every scored row has one (`MutationTable.read`)
        guard matched == 0 else {
            if 2 * matchedRows < withMeasurement {
                suggestedOffset = Self.shift(predicted: Array(byKey.keys), measured: measurements.rows.map(\.variant), offset: offset)
            }
            return
        }
        let hint: String
        if measurements.rows.isEmpty {
            hint = "the table has no rows"
        } else if withMeasurement == 0 {
            hint = "no row has a number in column '\(measurementColumn)' (choose the column with --score-column)"
        } else if byKey.isEmpty {
            hint = "\(predictions.source) has no scored rows in column '\(predictionColumn)' (every mutant was left unscored?)"
        } else if let d = Self.shift(predicted: Array(byKey.keys), measured: measurements.rows.map(\.variant), offset: offset) {
            hint = "the mutants match at offset \(d): pass --offset \(d)"
        } else {
            hint = "do both tables name mutants the same way (e.g. A12G, numbered like the model's focus)?"
        }
        throw FileIOError(path: measurements.source,
                          "0 of \(withMeasurement) measured variants match a scored prediction in \(predictions.source); \(hint)")
    }

    /// Each predicted variant's score by `key`. A variant predicted twice with different scores is
    /// an error naming the line (which of the two to believe is not for the evaluation to choose).
    public static func scores(of predictions: MutationTable) throws -> [String: Double] {
        var byKey: [String: (score: Double, line: Int)] = [:]
        for r in predictions.rows {
            guard let s = r.score else { continue }
            let key = Self.key(r)
            if let earlier = byKey[key], earlier.score != s {
                throw FileIOError(path: predictions.source, line: r.line,
                                  "\(key) is predicted twice with different scores (line \(earlier.line): \(earlier.score), here: \(s))")
            }
            byKey[key] = (s, r.line)
        }
        return byKey.mapValues(\.score)
    }

    /// A row's key: its whole sequence (ProteinGym's indel layout), else its variant's.
    public static func key(_ r: MutationTable.Row, offset: Int = 0) -> String { r.sequence ?? key(r.variant, offset: offset) }

    /// Substitutions in position order, so "K45R:A12G" matches "A12G:K45R"; positions shifted by `offset`.
    public static func key(_ v: Variant, offset: Int = 0) -> String {
        v.substitutions.sorted { $0.position < $1.position }
            .map { Substitution(wildType: $0.wildType, position: $0.position + offset, mutant: $0.mutant).description }
            .joined(separator: ":")
    }

    /// The offset d (other than `offset`) at which most measured single mutants name a predicted one,
    /// when at least half of them (and at least 3) do.
    static func shift(predicted keys: [String], measured: [Variant], offset: Int) -> Int? {
        let singles = Set(keys.compactMap { k -> Substitution? in k.contains(":") ? nil : Substitution(k[...]) })
        var byLetters: [String: [Int]] = [:]
        for s in singles { byLetters["\(s.wildType)\(s.mutant)", default: []].append(s.position) }
        var votes: [Int: Int] = [:], total = 0
        for v in measured where v.substitutions.count == 1 {
            let s = v.substitutions[0]
            total += 1
            for p in Set(byLetters["\(s.wildType)\(s.mutant)"] ?? []) { votes[p - s.position, default: 0] += 1 }
        }
        guard let best = votes.filter({ $0.key != offset }).max(by: { ($0.value, -abs($0.key)) < ($1.value, -abs($1.key)) }),
              best.value >= 3, 2 * best.value >= total else { return nil }
        return best.key
    }
}
