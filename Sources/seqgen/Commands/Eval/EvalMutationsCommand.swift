import Console
import FileIO
import ArgumentParser
import Mutations
import Scoring
import Statistics
import Figures

extension Seqgen.Eval {
    struct Mutations: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mutations",
            abstract: "Spearman ρ and ProteinGym's metrics (AUC, MCC, NDCG, top-10% recall) of predicted scores against a deep mutational scan.",
            discussion: """
            AUC: AUROC against the scan's own fit/unfit labels where it has them (ProteinGym's DMS_score_bin column, \
            as ProteinGym scores), else against the scan binarised at --cutoff (default: the median of all its measured scores, as ProteinGym; \
            fit = ≥ cut-off; --cutoff also overrides the labels). MCC: the binarised scan against the predictions binarised at their median. NDCG: of the top 10% \
            of predictions, gains = measured scores scaled to [0, 1]. Top-10% recall: of the variants ≥ the \
            measured 90th percentile, the fraction ≥ the predicted 90th percentile. --bootstrap N adds standard \
            errors from N resamples of the variants (seeded). Also by number of substitutions and by position. \
            --labels COLUMN: clinical labels (Benign / Likely benign against Pathogenic / Likely pathogenic; other \
            values left out) → AUROC of the predictions (benign scoring higher; ties count ½), beside the scan \
            metrics when the table also has measured scores; --label-values 0,1 for a table that codes the \
            classes itself (EVE's ClinVar_labels: 0 benign, 1 pathogenic).
            """
        )

        @Argument(help: "Predictions: CSV with mutant and score columns (from `seqgen score`).")
        var predictions: String

        @Option(help: "Name of the score column in the predictions (e.g. a model's column in a ProteinGym score file).")
        var predictionColumn = "score"

        @Option(help: "Measured scan (CSV/TSV, ProteinGym layout).")
        var dms: String

        @Option(help: "Name of the measured-score column in --dms.")
        var scoreColumn = "DMS_score"

        @Option(help: "Name of the mutant column in --dms (A12G, A12G:K45R, or MAVE-HGVS p.Ala12Gly as MaveDB's hgvs_pro).")
        var mutantColumn = "mutant"

        @Option(help: "Column of --dms with clinical labels (benign / pathogenic): report their AUROC.")
        var labels: String?

        @Option(help: ArgumentHelp("The benign and pathogenic values of --labels, for a table that codes them itself (EVE's ClinVar_labels: 0,1).", valueName: "benign,pathogenic"))
        var labelValues: String?

        @Option(parsing: .unconditional, help: "Added to --dms positions to match the predictions' numbering (negative values allowed: --offset -23).")
        var offset = 0

        @Option(parsing: .unconditional, help: "Fit/unfit cut-off on measured scores for AUC and MCC, negative values allowed: --cutoff -0.5 (default: the scan's fit/unfit column when it has one, else the median of all its measured scores, scored by the model or not).")
        var cutoff: Double?

        @Option(help: "Column of --dms with each variant's fit (1) / unfit (0) label for AUC and MCC (default: DMS_score_bin, when present).")
        var binColumn: String?

        @Option(parsing: .unconditional, help: "Standard errors from this many bootstrap resamples of the variants (0 = none).")
        var bootstrap = 0

        @Option(parsing: .unconditional, help: "Seed of the bootstrap resamples.")
        var seed: UInt64 = 1

        @Flag(help: "Print JSON.")
        var json = false

        @Option(help: "Scatter plot of predicted against measured scores (PNG or SVG).")
        var plot: String?

        @Flag(help: "Overwrite an existing plot.")
        var force = false

        @OptionGroup var verbosity: OutputOptions

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        func run() throws {
            let values = try labelValues.map { text -> ClinicalLabelEvaluation.Values in
                guard labels != nil else { throw ValidationError("--label-values needs --labels COLUMN") }
                let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0.trimmingWhitespace()) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0] != parts[1] else {
                    throw ValidationError("--label-values takes two different values, benign then pathogenic: '0,1' (got '\(text)')")
                }
                return ClinicalLabelEvaluation.Values(benign: parts[0], pathogenic: parts[1])
            }
            let outputs = try declareOutputs(force: force, plot)
            let predicted = try MutationTable.read(predictions, mutantColumn: "mutant", scoreColumn: predictionColumn, scoreRequired: true, wholeSequences: true)
            let measured = try MutationTable.read(dms, mutantColumn: mutantColumn, scoreColumn: scoreColumn, scoreRequired: labels == nil,
                                                  labelColumn: labels, binColumn: binColumn ?? "DMS_score_bin", wholeSequences: true)
            logWithoutSubstitution(measured)
            if let binColumn, measured.binColumn == nil { throw FileIOError(path: dms, line: 1, "no '\(binColumn)' column (--bin-column)") }
            let clinical = try labels.map { try ClinicalLabelEvaluation(predictions: predicted, labels: measured, offset: offset, labelColumn: $0, values: values) }
            func clinicalJSON(_ c: ClinicalLabelEvaluation) -> JSONText {
                .object([("column", .string(labels ?? "")), ("auroc", c.auroc.map { .double($0) } ?? .null), ("benign", .int(c.benign)),
                         ("pathogenic", .int(c.pathogenic)), ("labelled", .int(c.labelled)), ("coverage", .double(c.coverage))])
            }
            func clinicalLine(_ c: ClinicalLabelEvaluation) -> String {
                "clinical labels (\(labels ?? "")): AUROC \(c.auroc.map { fixed($0, 3) } ?? "n/a") over \(c.benign) benign and \(c.pathogenic) pathogenic variants (coverage \(fixed(c.coverage * 100, 1))% of \(c.labelled) labelled)"
            }
            if let clinical, !measured.rows.contains(where: { $0.score != nil }) {      // a clinical table without scan scores
                if json {
                    JSONText.emit([("predictions", .string(predictions)), ("dms", .string(dms)), ("clinical", clinicalJSON(clinical))])
                } else {
                    print(clinicalLine(clinical))
                }
                return
            }
            let evaluation = try MutationEvaluation(predictions: predicted, measurements: measured, offset: offset, predictionColumn: predictionColumn, measurementColumn: scoreColumn)
            var groups: [Int: (x: [Double], y: [Double])] = [:]
            let all = (x: evaluation.predicted, y: evaluation.measured)
            let withMeasurement = evaluation.withMeasurement
            var byPosition: [Int: (x: [Double], y: [Double])] = [:]      // single mutants per position
            for (k, (x, y)) in zip(evaluation.substitutions, zip(all.x, all.y)) where k > 0 {   // whole sequences (0) have no count
                groups[k, default: ([], [])].x.append(x); groups[k, default: ([], [])].y.append(y)
            }
            for (p, (x, y)) in zip(evaluation.singlePositions, zip(all.x, all.y)) {
                if let p { byPosition[p, default: ([], [])].x.append(x); byPosition[p, default: ([], [])].y.append(y) }
            }
            let rho = spearman(all.x, all.y)
            let coverage = evaluation.coverage
            if let d = evaluation.suggestedOffset {
                log("warning: \(dms): only \(evaluation.matchedRows) of \(withMeasurement) measured variants match a prediction; the single mutants match at offset \(d): \(d == 0 ? "drop --offset" : "pass --offset \(d)") (was an offset applied twice, by seqgen score --offset and here?)")
            }
            if evaluation.matchedRows > evaluation.matched {
                log("\(dms): \(evaluation.matchedRows) measured rows name \(evaluation.matched) variants: rows of one variant are averaged into one point")
            }
            if let plot {
                let name = String(dms.split(separator: "/").last ?? "")
                var chart = Chart(title: name, xLabel: "predicted score", yLabel: "measured \(scoreColumn)",
                                  series: [.init("variants", x: all.x, y: all.y, style: .points, color: .blue)],
                                  note: "Spearman ρ = \(rho.map { fixed($0, 3) } ?? "n/a"), n = \(all.x.count)")
                figure.apply(&chart)
                try outputs.write { try figure.write(chart.render(), to: plot, overwrite: force) }
                wrote(plot)
            }
            let rows = groups.keys.sorted().map { k in (k, groups[k]!.x.count, spearman(groups[k]!.x, groups[k]!.y)) }
            // An explicit --cutoff wins over the scan's labels; without either, the scan's median
            // (over all its measured rows, as ProteinGym fixes it, not only the variants scored).
            let fit = cutoff == nil ? evaluation.fit : nil
            let threshold = cutoff ?? evaluation.scanMedian
            let metrics = FitnessMetrics(predicted: all.x, measured: all.y, fit: fit, cutoff: threshold)
            let errors = bootstrap > 0 ? FitnessMetrics.bootstrapStandardErrors(predicted: all.x, measured: all.y, fit: fit, cutoff: threshold,
                                                                                resamples: bootstrap, seed: seed) : nil
            let positions = byPosition.keys.sorted().compactMap { p -> (Int, Int, Double)? in
                let g = byPosition[p]!
                return spearman(g.x, g.y).map { (p, g.x.count, $0) }
            }
            func value(_ v: Double?) -> JSONText { v.map { .double($0) } ?? .null }
            let named: [(String, KeyPath<FitnessMetrics, Double?>)] = [("spearman", \.spearman), ("auc", \.auc), ("mcc", \.mcc), ("ndcg", \.ndcg), ("top10_recall", \.topRecall)]
            if json {
                JSONText.emit([
                    ("predictions", .string(predictions)), ("dms", .string(dms)),
                    ("spearman", rho.map { .double($0) } ?? .null), ("matched", .int(all.x.count)),
                    ("measured", .int(withMeasurement)), ("matched_rows", .int(evaluation.matchedRows)), ("coverage", .double(coverage)),
                    ("metrics", .object(named.map { ($0.0, value(metrics[keyPath: $0.1])) })),
                    ("standard_errors", errors.map { e in .object(named.map { ($0.0, value(e[keyPath: $0.1])) }) } ?? .null),
                    ("cutoff", fit != nil ? .null : value(threshold)),
                    ("fit_labels", fit != nil ? .string(measured.binColumn ?? "") : .null),
                    ("by_position", .array(positions.map { .object([("position", .int($0.0)), ("n", .int($0.1)), ("spearman", .double($0.2))]) })),
                    ("by_substitutions", .array(rows.map { .object([("substitutions", .int($0.0)), ("n", .int($0.1)), ("spearman", $0.2.map { .double($0) } ?? .null)]) })),
                    ("clinical", clinical.map(clinicalJSON) ?? .null),
                ])
                return
            }
            let over = evaluation.matchedRows > all.x.count ? "\(all.x.count) variants (\(evaluation.matchedRows) of \(withMeasurement) measured rows; "
                                                            : "\(all.x.count) of \(withMeasurement) measured variants ("
            print("Spearman ρ = \(rho.map { fixed($0, 3) } ?? "n/a") over \(over)coverage \(fixed(coverage * 100, 1))%)")
            func show(_ key: KeyPath<FitnessMetrics, Double?>) -> String {
                (metrics[keyPath: key].map { fixed($0, 3) } ?? "n/a") + (errors.map { e in e[keyPath: key].map { " ± " + fixed($0, 3) } ?? "" } ?? "")
            }
            if let clinical { print(clinicalLine(clinical)) }
            print("ProteinGym metrics: Spearman \(show(\.spearman)), AUC \(show(\.auc)), MCC \(show(\.mcc)), NDCG \(show(\.ndcg)), top-10% recall \(show(\.topRecall))")
            if let fit {
                print("  fit/unfit for AUC and MCC: \(measured.binColumn ?? "") column (\(fit.filter { $0 }.count) of \(fit.count) fit)")
            } else {
                print("  fit/unfit for AUC and MCC: " + (cutoff.map { "cut-off \(fixed($0, 4))" } ?? "the scan's median score, \(threshold.map { fixed($0, 4) } ?? "n/a")"))
            }
            for (k, n, r) in rows { print("  \(k) substitution\(k == 1 ? " " : "s"): ρ = \(r.map { fixed($0, 3) } ?? "n/a") (n = \(n))") }
            if !positions.isEmpty {
                print("  by position: median ρ \(fixed(median(positions.map(\.2)), 3)) over \(positions.count) positions with a defined ρ")
            }
        }
    }
}
