import Mutations
import FileIO
import Statistics

/// Predicted scores (higher = fitter) against clinical labels, as ProteinGym's clinical benchmark:
/// AUROC = P(score of a random benign variant > score of a random pathogenic one), ties counting ½
/// — the Mann–Whitney statistic with midranks, U_benign / (n_benign · n_pathogenic). Labels are read
/// case-insensitively: "benign" and "likely benign" (also "likely_benign", "benign/likely benign")
/// are benign, "pathogenic" and "likely pathogenic" pathogenic; other values (VUS, "conflicting",
/// empty) are left out. A table that codes its classes otherwise (EVE's `ClinVar_labels`: 0 benign,
/// 1 pathogenic) names them in `values`: numbers match by value (0 = 0.0), texts case-insensitively.
/// Variants match as in `MutationEvaluation` (substitutions in any order, table positions + `offset`).
public struct ClinicalLabelEvaluation: Sendable {
    public enum Label: Sendable, Equatable { case benign, pathogenic }

    /// Predicted score and label of each matched labelled variant, in the table's order.
    public var predicted: [Double] = [], labels: [Label] = []
    /// Rows with a benign or pathogenic label (the denominator of the coverage).
    public var labelled = 0

    public var benign: Int { labels.filter { $0 == .benign }.count }
    public var pathogenic: Int { labels.count - benign }
    public var coverage: Double { Double(predicted.count) / Double(Swift.max(labelled, 1)) }
    /// AUROC of benign (positive) against pathogenic by the predictions; nil without both classes.
    public var auroc: Double? { Statistics.auroc(scores: predicted, labels: labels.map { $0 == .benign }) }

    /// The texts of the two classes, for a table that codes them its own way (e.g. 0 and 1).
    public struct Values: Sendable, Equatable {
        public var benign: String, pathogenic: String
        public init(benign: String, pathogenic: String) { self.benign = benign; self.pathogenic = pathogenic }

        /// The class of `text`: equal numbers, or equal texts ignoring case and surrounding spaces.
        func label(_ text: String) -> Label? {
            func same(_ a: String, _ b: String) -> Bool {
                let a = a.trimmingWhitespace(), b = b.trimmingWhitespace()
                if let x = Double(a), let y = Double(b) { return x == y }
                return a.lowercased() == b.lowercased()
            }
            return same(text, benign) ? .benign : same(text, pathogenic) ? .pathogenic : nil
        }
    }

    /// The class of a label text, nil when it is neither.
    public static func label(_ text: String) -> Label? {
        let t = text.lowercased().replacingUnderscores
        switch t {
        case "benign", "likely benign", "benign/likely benign": return .benign
        case "pathogenic", "likely pathogenic", "pathogenic/likely pathogenic": return .pathogenic
        default: return nil
        }
    }

    /// `labels`: a table read with a label column; `values`: its own class texts (default: the
    /// clinical words above). Throws when no labelled variant is predicted.
    public init(predictions: MutationTable, labels table: MutationTable, offset: Int = 0, labelColumn: String, values: Values? = nil) throws {
        let byKey = try MutationEvaluation.scores(of: predictions)
        for r in table.rows {
            guard let text = r.label, let label = values.map({ $0.label(text) }) ?? Self.label(text) else { continue }
            labelled += 1
            guard let x = byKey[MutationEvaluation.key(r, offset: offset)] else { continue }
            predicted.append(x); labels.append(label)
        }
        guard labelled > 0 else {
            if let values {
                throw FileIOError(path: table.source, "no row of column '\(labelColumn)' is '\(values.benign)' (benign) or '\(values.pathogenic)' (pathogenic)")
            }
            let numeric = table.rows.contains { $0.label.map { Double($0) != nil } ?? false }
            throw FileIOError(path: table.source, "no row of column '\(labelColumn)' says benign or pathogenic (likely benign / likely pathogenic count too)"
                + (numeric ? "; its labels are numbers: name the benign and pathogenic values, e.g. --label-values 0,1 for EVE's ClinVar_labels (1 = pathogenic)" : ""))
        }
        guard !predicted.isEmpty else {
            throw FileIOError(path: table.source, "0 of \(labelled) labelled variants match a scored prediction in \(predictions.source) (numbering? try --offset)")
        }
    }
}

private extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
