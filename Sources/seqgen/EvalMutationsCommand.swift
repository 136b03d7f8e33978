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

    @Option(parsing: .unconditional, help: "Added to --dms positions to match the predictions' numbering (negative values allowed: --offset -23).")
    var offset = 0

    @Flag(help: "Print JSON.")
    var json = false

    @Option(help: "Scatter plot of predicted against measured scores (PNG or SVG).")
    var plot: String?

    @Flag(help: "Overwrite an existing plot.")
    var force = false

    @OptionGroup var verbosity: OutputOptions

    func run() throws {
        let outputs = try declareOutputs(force: force, plot)
        let predicted = try MutationTable.read(predictions, mutantColumn: "mutant", scoreColumn: "score")
        let measured = try MutationTable.read(dms, scoreColumn: scoreColumn)
        let evaluation = try MutationEvaluation(predictions: predicted, measurements: measured, offset: offset, measurementColumn: scoreColumn)
        var groups: [Int: (x: [Double], y: [Double])] = [:]
        let all = (x: evaluation.predicted, y: evaluation.measured)
        let withMeasurement = evaluation.withMeasurement
        for (k, (x, y)) in zip(evaluation.substitutions, zip(all.x, all.y)) {
            groups[k, default: ([], [])].x.append(x); groups[k, default: ([], [])].y.append(y)
        }
        let rho = spearman(all.x, all.y)
        let coverage = evaluation.coverage
        if let plot {
            let name = String(dms.split(separator: "/").last ?? "")
            let chart = Chart(title: name.uppercased(), xLabel: "PREDICTED SCORE", yLabel: "MEASURED \(scoreColumn.uppercased())",
                              series: [.init("VARIANTS", x: all.x, y: all.y, style: .points, color: .blue)],
                              note: "SPEARMAN \(rho.map { fixed($0, 3) } ?? "N/A")   N = \(all.x.count)")
            try outputs.write { try chart.render().write(to: plot, overwrite: force) }
            wrote(plot)
        }
        let rows = groups.keys.sorted().map { k in (k, groups[k]!.x.count, spearman(groups[k]!.x, groups[k]!.y)) }
        if json {
            JSONText.emit([
                ("predictions", .string(predictions)), ("dms", .string(dms)),
                ("spearman", rho.map { .double($0) } ?? .null), ("matched", .int(all.x.count)),
                ("measured", .int(withMeasurement)), ("coverage", .double(coverage)),
                ("by_substitutions", .array(rows.map { .object([("substitutions", .int($0.0)), ("n", .int($0.1)), ("spearman", $0.2.map { .double($0) } ?? .null)]) })),
            ])
            return
        }
        print("Spearman ρ = \(rho.map { fixed($0, 3) } ?? "n/a") over \(all.x.count) of \(withMeasurement) measured variants (coverage \(fixed(coverage * 100, 1))%)")
        for (k, n, r) in rows { print("  \(k) substitution\(k == 1 ? " " : "s"): ρ = \(r.map { fixed($0, 3) } ?? "n/a") (n = \(n))") }
    }
}
