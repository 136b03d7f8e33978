import Console

/// Which of a CNN's first-layer filters (as motifs, `FilterMotifs`) match which database motifs,
/// and how many known motifs they recover (Koo & Eddy 2019's "filter interpretability").
/// A filter matches a database motif when their comparison (`MotifComparison`: Pearson columns,
/// both strands) has E < `eThreshold`, as the published scripts run Tomtom (`-evalue -thresh 0.1`);
/// `truth` names the ground-truth motifs (lower case).
public struct FilterMatchSummary: Sendable {
    /// A filter's best database match, whatever its E.
    public struct Row: Sendable, Equatable {
        public var filter: String, target: String, name: String
        public var p: Double, e: Double, q: Double
        /// The target is a ground-truth motif.
        public var truth: Bool
    }
    /// One row per filter that has any match, in filter order.
    public var rows: [Row] = []
    /// Filters with a match at E < threshold; among them, those matching a ground-truth motif.
    public var matchedAny = 0, matchedTruth = 0
    /// Number of filters compared.
    public var filters = 0
    /// Ground-truth motifs matched by at least one filter (lower case).
    public var recovered: Set<String> = []
    public var truth: Set<String>

    public init(filters motifs: [Motif], database: [Motif], truth: Set<String>, eThreshold: Double) {
        self.truth = truth
        filters = motifs.count
        let matches = MotifComparison().compare(motifs, against: database)
        for (k, f) in motifs.enumerated() {
            let hits = matches.filter { $0.query == k && $0.eValue < eThreshold }
            let truthHits = hits.filter { truth.contains(database[$0.target].name.lowercased()) }
            if !hits.isEmpty { matchedAny += 1 }
            if !truthHits.isEmpty { matchedTruth += 1 }
            for h in truthHits { recovered.insert(database[h.target].name.lowercased()) }
            if let b = matches.first(where: { $0.query == k }) {
                rows.append(Row(filter: f.id, target: database[b.target].id, name: database[b.target].name, p: b.pValue, e: b.eValue, q: b.qValue,
                                truth: truth.contains(database[b.target].name.lowercased())))
            }
        }
    }

    /// TSV: filter, best_target, name, p, E, q, ground_truth.
    public var table: String {
        "filter\tbest_target\tname\tp\tE\tq\tground_truth\n" + rows.map { "\($0.filter)\t\($0.target)\t\($0.name)\t\($0.p)\t\($0.e)\t\($0.q)\t\($0.truth)" }.joined(separator: "\n") + "\n"
    }

    /// The tallies as fractions of the filters (and of the ground-truth motifs), one per line.
    public var text: String {
        var s = "filters matching any database motif: \(matchedAny)/\(filters) (\(fixed(Double(matchedAny) / Double(Swift.max(filters, 1)), 3)))"
        if !truth.isEmpty {
            s += "\nfilters matching a ground-truth motif: \(matchedTruth)/\(filters) (\(fixed(Double(matchedTruth) / Double(Swift.max(filters, 1)), 3)))"
            s += "\nground-truth motifs recovered: \(recovered.count)/\(truth.count) (missing: \(truth.subtracting(recovered).sorted().joined(separator: ", ")))"
        }
        return s
    }
}
