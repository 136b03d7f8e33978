import Structures

/// Precision of the top-ranked pairs against true contacts, for pairs whose truth is known
/// (both columns mapped onto residues with coordinates). Unknown pairs are skipped, not counted
/// as non-contacts.
public struct ContactEvaluation: Sendable {
    public struct Row: Sendable {
        public var minimumSeparation: Int
        /// (label, k, precision) for the top L, L/2, L/5.
        public var precisions: [(label: String, count: Int, precision: Double)]
        public var trueContacts: Int
    }
    public var rows: [Row]
    public var length: Int

    public init(prediction: ContactMap, truth: ContactTruth, separations: [Int] = [6, 12, 24]) {
        precondition(prediction.length == truth.length, "prediction L = \(prediction.length) but truth L = \(truth.length)")
        let l = prediction.length
        length = l
        rows = separations.map { sep in
            let known = prediction.rankedPairs(minimumSeparation: sep).compactMap { p in truth.isContact(p.i, p.j).map { (p, $0) } }
            let contacts = known.filter(\.1).count
            let precisions = [("L", l), ("L/2", l / 2), ("L/5", l / 5)].map { (label, k) -> (String, Int, Double) in
                let top = known.prefix(Swift.max(k, 1))
                return (label, Swift.max(k, 1), top.isEmpty ? 0 : Double(top.filter(\.1).count) / Double(top.count))
            }
            return Row(minimumSeparation: sep, precisions: precisions, trueContacts: contacts)
        }
    }

    /// Precision at top L for |i − j| ≥ 6, the headline number.
    public var precisionAtL: Double { rows.first { $0.minimumSeparation == 6 }?.precisions[0].precision ?? 0 }
}
