import Motifs

/// Motifs from attribution maps (what TF-MoDISco does): seqlets (`SeqletCaller`), clustered
/// (`SeqletClustering`), each cluster's trimmed contribution-weight matrix and position
/// probability matrix, and — given a database — each motif's best match by Tomtom's method
/// (`MotifComparison`, Pearson columns, both strands; q-values over the database).
public struct AttributionMotifs: Sendable {
    public var caller: SeqletCaller
    public var clustering: SeqletClustering

    public init(caller: SeqletCaller = SeqletCaller(), clustering: SeqletClustering = SeqletClustering()) {
        self.caller = caller; self.clustering = clustering
    }

    public struct DiscoveredMotif: Sendable {
        /// The trimmed PPM as a motif (base counts of the aligned seqlets; `sites` = seqlets).
        public var motif: Motif
        /// The trimmed CWM (width × 4, mean actual contribution per base).
        public var cwm: [[Double]]
        public var cluster: SeqletClustering.Cluster
        /// Best database match, when a database was given.
        public var match: MotifComparison.Match?
    }

    public struct Result: Sendable {
        public var seqlets: SeqletCaller.Result
        public var motifs: [DiscoveredMotif]
        /// seqlet index → motif index (nil: in no motif).
        public var assignment: [Int?]
    }

    public func discover(_ maps: ContributionMaps, database: [Motif]? = nil, clusteringProgress: (@Sendable (Int, Int) -> Void)? = nil) -> Result {
        let called = caller.call(maps)
        let clusters = clustering.cluster(called.seqlets, maps: maps, window: caller.window, flank: caller.flank, progress: clusteringProgress)
        var motifs: [DiscoveredMotif] = []
        var assignment = [Int?](repeating: nil, count: called.seqlets.count)
        for (k, c) in clusters.enumerated() {
            let sign = c.meanScore >= 0 ? "pos" : "neg"
            let motif = Motif(id: "motif\(k)", name: "\(sign) \(c.members.count) seqlets", matrix: c.trimmedCounts, sites: Double(c.members.count))
            motifs.append(DiscoveredMotif(motif: motif, cwm: c.trimmedCWM, cluster: c, match: nil))
            for p in c.members { assignment[p.seqlet] = k }
        }
        if let database, !database.isEmpty, !motifs.isEmpty {
            let matches = MotifComparison().compare(motifs.map(\.motif), against: database)
            for k in motifs.indices { motifs[k].match = matches.first { $0.query == k } }   // sorted by p within a query
        }
        return Result(seqlets: called, motifs: motifs, assignment: assignment)
    }
}
