import Console
import FileIO

/// A ground-truth motif and the database motifs that count as it, by name or ID (lower case): the
/// planted TF alone, or also its relatives, as the published scoring lists JASPAR IDs per TF
/// (Koo & Ploenzke's `match_hits_to_ground_truth`: e.g. Arid3 = MA0151.1 | MA0601.1).
public struct TruthMotif: Sendable, Hashable {
    public var name: String
    public var aliases: Set<String>

    public init(name: String, aliases: Set<String>) {
        self.name = name; self.aliases = Set(aliases.map { $0.lowercased() })
    }

    /// `NAME`, `NAME=ALIAS|ALIAS…` or `ALIAS|ALIAS…` (named after its first alias); each alias is a
    /// database motif's name or ID.
    public init(parsing item: Substring) {
        let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { String($0.trimmingWhitespace()) }
        let aliases = parts[parts.count - 1].split(separator: "|").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty }
        self.init(name: parts.count == 2 ? parts[0] : (aliases.first ?? ""), aliases: Set(aliases))
    }

    public func matches(_ motif: Motif) -> Bool {
        aliases.contains(motif.name.lowercased()) || aliases.contains(motif.id.lowercased())
    }
}

/// Which of a CNN's first-layer filters (as motifs, `FilterMotifs`) match which database motifs,
/// and how many known motifs they recover (Koo & Eddy 2019's "filter interpretability").
/// A filter matches a database motif when their comparison (`MotifComparison`: Pearson columns,
/// both strands) has E < `eThreshold`, as the published scripts run Tomtom (`-evalue -thresh 0.1`);
/// it matches the ground truth when one of those motifs counts as a `truth` motif.
public struct FilterMatchSummary: Sendable {
    /// A filter's best database match, whatever its E.
    public struct Row: Sendable, Equatable {
        public var filter: String, target: String, name: String
        public var p: Double, e: Double, q: Double
        /// The target counts as a ground-truth motif.
        public var truth: Bool
    }
    /// One row per filter that has any match, in filter order.
    public var rows: [Row] = []
    /// Filters with a match at E < threshold; among them, those matching a ground-truth motif.
    public var matchedAny = 0, matchedTruth = 0
    /// Number of filters compared.
    public var filters = 0
    /// Names of the ground-truth motifs matched by at least one filter (lower case).
    public var recovered: Set<String> = []
    public var truth: [TruthMotif]

    public init(filters motifs: [Motif], database: [Motif], truth: [TruthMotif], eThreshold: Double) {
        self.truth = truth
        filters = motifs.count
        let matches = MotifComparison().compare(motifs, against: database)
        let truthOf = database.map { d in truth.filter { $0.matches(d) }.map(\.name) }   // per database motif
        for (k, f) in motifs.enumerated() {
            let hits = matches.filter { $0.query == k && $0.eValue < eThreshold }
            let truthHits = hits.flatMap { truthOf[$0.target] }
            if !hits.isEmpty { matchedAny += 1 }
            if !truthHits.isEmpty { matchedTruth += 1 }
            recovered.formUnion(truthHits)
            if let b = matches.first(where: { $0.query == k }) {
                rows.append(Row(filter: f.id, target: database[b.target].id, name: database[b.target].name, p: b.pValue, e: b.eValue, q: b.qValue,
                                truth: !truthOf[b.target].isEmpty))
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
            let missing = Set(truth.map(\.name)).subtracting(recovered).sorted()
            s += "\nground-truth motifs recovered: \(recovered.count)/\(truth.count)" + (missing.isEmpty ? "" : " (missing: \(missing.joined(separator: ", ")))")
        }
        return s
    }
}
