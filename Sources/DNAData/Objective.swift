/// What a dataset's labels are and what a network trained on them predicts: classification —
/// labels in [0, 1] (bound, unbound; or a fraction), one logit per task, binary cross-entropy —
/// or regression — any finite value (an enhancer's log activity as in DeepSTARR, a log
/// enrichment), one value per task, mean squared error.
public enum Objective: String, Sendable, CaseIterable {
    case classification, regression

    /// Why `label` cannot be one of this objective's labels; nil when it can.
    public func problem(_ label: Float) -> String? {
        switch self {
        case .classification:
            label >= 0 && label <= 1 ? nil : "labels must be in [0, 1] (a classifier's targets; for measured values such as log activities or enrichments train with --objective regression)"
        case .regression:
            label.isFinite ? nil : "labels must be finite numbers"
        }
    }
}
