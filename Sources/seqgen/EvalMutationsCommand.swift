import ArgumentParser
import Mutations
import Scoring
import Statistics
import Figures

struct EvalMutationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mutations",
        abstract: "Spearman ρ between predicted scores and a deep mutational scan, overall and by number of substitutions."
    )

    @Argument(help: "Predictions: CSV with mutant and score columns (from `seqgen score`).")
    var predictions: String

    @Option(help: "Measured scan (CSV/TSV, ProteinGym layout).")
    var dms: String

    @Option(help: "Name of the measured-score column in --dms.")
    var scoreColumn = "DMS_score"

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Scatter plot of predicted against measured scores (PNG or SVG).")
    var plot: String?

    @Flag(help: "Overwrite an existing plot.")
    var force = false

    @OptionGroup(title: "Figure size") var figure: FigureOptions

    func run() throws {
        let predicted = try MutationTable.read(predictions, mutantColumn: "mutant", scoreColumn: "score")
        let measured = try MutationTable.read(dms, scoreColumn: scoreColumn)
        var byKey: [String: Double] = [:]
        for r in predicted.rows { if let s = r.score { byKey[Self.key(r.variant)] = s } }
        var groups: [Int: (x: [Double], y: [Double])] = [:]
        var all: (x: [Double], y: [Double]) = ([], [])
        var withMeasurement = 0
        for r in measured.rows {
            guard let y = r.score else { continue }
            withMeasurement += 1
            guard let x = byKey[Self.key(r.variant)] else { continue }
            let k = r.variant.substitutions.count
            groups[k, default: ([], [])].x.append(x); groups[k, default: ([], [])].y.append(y)
            all.x.append(x); all.y.append(y)
        }
        let rho = spearman(all.x, all.y)
        let coverage = Double(all.x.count) / Double(Swift.max(withMeasurement, 1))
        if let plot {
            try refuseExisting(plot, force: force)
            let name = String(dms.split(separator: "/").last ?? "")
            var chart = Chart(title: name, xLabel: "predicted score", yLabel: "measured \(scoreColumn)",
                              series: [.init("variants", x: all.x, y: all.y, style: .points, color: .blue)],
                              note: "Spearman ρ = \(rho.map { fixed($0, 3) } ?? "n/a"), n = \(all.x.count)")
            figure.apply(&chart)
            try figure.write(chart.render(), to: plot, overwrite: force)
        }
        let rows = groups.keys.sorted().map { k in (k, groups[k]!.x.count, spearman(groups[k]!.x, groups[k]!.y)) }
        if json {
            print(JSONText.render([
                ("predictions", .string(predictions)), ("dms", .string(dms)),
                ("spearman", rho.map { .double($0) } ?? .null), ("matched", .int(all.x.count)),
                ("measured", .int(withMeasurement)), ("coverage", .double(coverage)),
                ("by_substitutions", .array(rows.map { .object([("substitutions", .int($0.0)), ("n", .int($0.1)), ("spearman", $0.2.map { .double($0) } ?? .null)]) })),
            ]))
            return
        }
        print("Spearman ρ = \(rho.map { fixed($0, 3) } ?? "n/a") over \(all.x.count) of \(withMeasurement) measured variants (coverage \(fixed(coverage * 100, 1))%)")
        for (k, n, r) in rows { print("  \(k) substitution\(k == 1 ? " " : "s"): ρ = \(r.map { fixed($0, 3) } ?? "n/a") (n = \(n))") }
    }

    /// Substitutions in position order, so "K45R:A12G" matches "A12G:K45R".
    static func key(_ v: Variant) -> String {
        v.substitutions.sorted { $0.position < $1.position }.map(\.description).joined(separator: ":")
    }
}
