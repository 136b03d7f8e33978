import Motifs
import Console

/// The tables and Markdown report of an attribution-motif discovery (`seqgen cnn motifs`):
/// - motifs: id, sign (of the mean seqlet sum), seqlets, trimmed width, PPM consensus, best database
///   match (ID, name, p, q, offset in Tomtom's sign convention, strand) and whether q < threshold;
/// - seqlets: every called seqlet with its sequence (and that sequence's index in the split when the
///   maps carry one), core start/end, summed contribution, motif and strand (relative to the motif);
/// - CWMs: one row per motif column and base.
public struct AttributionMotifsReport: Sendable {
    public var result: AttributionMotifs.Result
    public var database: [Motif]?
    public var sequenceIndex: [Int]?
    public var qThreshold: Double
    public var source: String
    public var databasePath: String?

    public init(result: AttributionMotifs.Result, database: [Motif]?, sequenceIndex: [Int]?, qThreshold: Double,
                source: String, databasePath: String?) {
        self.result = result; self.database = database; self.sequenceIndex = sequenceIndex
        self.qThreshold = qThreshold; self.source = source; self.databasePath = databasePath
    }

    func matchFields(_ m: AttributionMotifs.DiscoveredMotif) -> [String] {
        guard let match = m.match, let db = database else { return ["", "", "", "", "", "", ""] }
        let t = db[match.target]
        return [t.id, t.name, scientific(match.pValue), scientific(match.qValue), String(-match.offset),
                match.reverseComplement ? "-" : "+", String(match.qValue < qThreshold)]
    }

    public var motifTable: String {
        var out = "motif\tsign\tseqlets\twidth\tconsensus\tbest_target\ttarget_name\tp\tq\toffset\tstrand\tmatched\n"
        for m in result.motifs {
            let fields = [m.motif.id, m.cluster.meanScore >= 0 ? "+" : "-", String(m.cluster.members.count),
                          String(m.motif.width), m.motif.consensus] + matchFields(m)
            out += fields.joined(separator: "\t") + "\n"
        }
        return out
    }

    public var seqletTable: String {
        var strand = [String](repeating: "", count: result.seqlets.seqlets.count)
        for m in result.motifs { for p in m.cluster.members { strand[p.seqlet] = p.reverse ? "-" : "+" } }
        var out = "seqlet\tsequence\tsplit_index\tstart\tend\tscore\tmotif\tstrand\n"
        for (k, s) in result.seqlets.seqlets.enumerated() {
            let motif = result.assignment[k].map { result.motifs[$0].motif.id } ?? "-"
            out += "\(k)\t\(s.sequence)\t\(sequenceIndex?[s.sequence] ?? s.sequence)\t\(s.start)\t\(s.start + result.seqlets.window)\t\(s.score)\t\(motif)\t\(strand[k].isEmpty ? "." : strand[k])\n"
        }
        return out
    }

    public var cwmTable: String {
        var out = "motif\tposition\tA\tC\tG\tT\n"
        for m in result.motifs {
            for (j, row) in m.cwm.enumerated() { out += "\(m.motif.id)\t\(j + 1)\t" + row.map { String(Float($0)) }.joined(separator: "\t") + "\n" }
        }
        return out
    }

    /// What the seqlets' windows were measured against.
    var nullDescription: String {
        let s = result.seqlets
        guard let fit = s.laplace else { return "\(s.nullWindows) windows of permuted contributions" }
        return "a Laplace null fitted to them: mode \(format3(fit.mode)), rates \(format3(fit.positiveRate)) above and \(format3(fit.negativeRate)) below"
    }

    var matched: [String] {
        guard let db = database else { return [] }
        var names: [String] = []
        for m in result.motifs { if let match = m.match, match.qValue < qThreshold, !names.contains(db[match.target].name) { names.append(db[match.target].name) } }
        return names
    }

    /// A few lines for the terminal: one per motif.
    public var summary: String {
        var out = ""
        for m in result.motifs {
            out += "\(m.motif.id)\t\(m.cluster.meanScore >= 0 ? "+" : "-")\t\(m.cluster.members.count) seqlets\t\(m.motif.consensus)"
            if let match = m.match, let db = database {
                out += "\tbest \(db[match.target].id) \(db[match.target].name) q=\(scientific(match.qValue))"
            }
            out += "\n"
        }
        if database != nil { out += "database motifs matched (q < \(qThreshold)): \(matched.count)\(matched.isEmpty ? "" : " (" + matched.joined(separator: ", ") + ")")\n" }
        return out
    }

    public var markdown: String {
        let s = result.seqlets
        let clustered = result.assignment.compactMap { $0 }.count
        var out = "# Motifs from attribution maps\n\n"
        out += "Maps: `\(source)` (\(sequenceCount) sequences). Seqlets: \(s.seqlets.count) (|summed contribution| ≥ \(String(format3(Double(s.threshold)))); "
        out += "\(s.windows) windows scored against \(nullDescription)); \(clustered) in \(result.motifs.count) motifs.\n\n"
        if let databasePath { out += "Database: `\(databasePath)`; a match counts at q < \(qThreshold).\n\n" }
        out += "| motif | sign | seqlets | width | consensus | best match | p | q |\n|---|---|---|---|---|---|---|---|\n"
        for m in result.motifs {
            let f = matchFields(m)
            let best = f[0].isEmpty ? "" : "\(f[0]) \(f[1])" + (m.match!.qValue < qThreshold ? " ✓" : "")
            out += "| \(m.motif.id) | \(m.cluster.meanScore >= 0 ? "+" : "−") | \(m.cluster.members.count) | \(m.motif.width) | `\(m.motif.consensus)` | \(best) | \(f[2]) | \(f[3]) |\n"
        }
        if database != nil { out += "\nDatabase motifs matched: \(matched.count)\(matched.isEmpty ? "" : " (" + matched.joined(separator: ", ") + ")").\n" }
        out += "\n![CWM and PPM logos per motif](logos.png)\n\nFiles: `motifs.meme` (PPMs), `cwms.tsv`, `motifs.tsv`, `seqlets.tsv`.\n"
        return out
    }

    var sequenceCount: Int { result.seqlets.sequences }

    /// Logo panels: per motif its CWM (signed) then its PPM (information).
    public var logoPanels: (panels: [(title: String, probabilities: [[Double]])], signed: Set<Int>) {
        var panels: [(title: String, probabilities: [[Double]])] = []
        var signed = Set<Int>()
        for m in result.motifs {
            let name = m.match.flatMap { match in database.map { " ~ " + $0[match.target].name } } ?? ""
            signed.insert(panels.count)
            panels.append(("\(m.motif.id) CWM (\(m.cluster.members.count) seqlets)\(name)", m.cwm))
            panels.append(("\(m.motif.id) PPM", m.motif.probabilities()))
        }
        return (panels, signed)
    }

    func format3(_ v: Double) -> String { v.isFinite ? String(Double(Int((v * 1000).rounded())) / 1000) : "∞" }
}
