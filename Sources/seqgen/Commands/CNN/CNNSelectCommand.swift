import ArgumentParser
import Attribution
import Console
import DNAData
import Figures
import Optimizers
import RegulatoryCNN

extension Seqgen.CNN {
    struct Select: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "select",
            abstract: "Rank candidate CNNs by held-out AUROC/AUPR (regressions: Pearson r, Spearman ρ) and the agreement of their attribution maps across seeds; report the Pareto front (and ground-truth interpretability on synthetic data).",
            discussion: """
            Each MODEL argument is one candidate: [NAME=]A.npz[,B.npz,…] — replicates of one setting trained \
            from different seeds. Consistency: mean pairwise correlation of the replicates' gradient-corrected \
            saliency maps (observed base per position) on the first --sequences test sequences positive for \
            --task (regressions: the --sequences with the highest labels); variation: Majdandzic et al.'s per-position variance of the normalised maps; robustness: \
            correlation of each map with the map of the input plus N(0, 0.1²) noise. Candidates are listed from \
            the lowest variation and the Pareto front is over (test AUROC or r, low variation); when a candidate has \
            a single replicate, robustness takes variation's place for all. On synthetic data the ground-truth \
            interpretability AUROC is given for the corrected maps and for the uncorrected gradient × input (the \
            score of the robust-training papers and of `cnn interpretability --method saliency`), and the Spearman \
            correlations of consistency and of −variation with each say how well each proxy ranks the candidates.
            """
        )

        @Argument(help: "Candidates ([NAME=]A.npz[,B.npz,…]) followed by the dataset (.npz or HDF5, or FASTA with --labels).")
        var arguments: [String] = []

        @OptionGroup var input: DNADatasetOptions

        @Option(parsing: .unconditional, help: "Task whose attribution maps are compared.")
        var task: Int?

        @Flag(help: "Compare the maps of every task with test positives and report the attribution columns as means over the tasks (multi-task models).")
        var allTasks = false

        @Option(parsing: .unconditional, help: "Test sequences explained (positives for the task; a regression's most active).")
        var sequences = 200

        @Option(parsing: .unconditional, help: "Seed for the robustness noise.")
        var seed: UInt64 = 0

        @Flag(help: "Print JSON.")
        var json = false

        @Option(help: "Scatter of test AUROC (regressions: Pearson r) against attribution variation across seeds (map robustness for single-model candidates), the Pareto front in red (PNG or SVG).")
        var plot: String?

        @Flag(help: "Overwrite an existing plot.")
        var force = false

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        @OptionGroup var runtime: RuntimeOptions

        func validate() throws {
            guard arguments.count >= 2 else { throw ValidationError("give at least one candidate model and the dataset (seqgen cnn select MODEL… DATA)") }
            try checkCount("--sequences", sequences)
            try checkCount("--task", task, atLeast: 0)
            if allTasks && task != nil { throw ValidationError("give --task K or --all-tasks, not both") }
            let parsed = try arguments.dropLast().map(Self.parseCandidate)
            var seen = Set<String>()
            for path in parsed.flatMap(\.1) where !seen.insert(path).inserted {
                throw ValidationError("\(path) is given twice: replicates must be separate models (a model twice agrees with itself, consistency 1)")
            }
            seen = []
            for (name, _) in parsed where !seen.insert(name).inserted { throw ValidationError("two candidates are named '\(name)'") }
        }

        /// (name, model paths) per candidate argument.
        static func parseCandidate(_ argument: String) throws -> (String, [String]) {
            var name: String?, list = argument
            if let eq = argument.firstIndex(of: "="), !argument[..<eq].contains("/"), !argument[..<eq].contains(",") {
                name = String(argument[..<eq]); list = String(argument[argument.index(after: eq)...])
            }
            let paths = list.split(separator: ",").map(String.init)
            guard !paths.isEmpty, name?.isEmpty != true else { throw ValidationError("candidate '\(argument)': expected [NAME=]A.npz[,B.npz,…]") }
            return (name ?? (paths.count == 1 ? paths[0] : paths[0] + "…"), paths)
        }

        func run() throws {
            try runtime.apply(ownThreading: true)
            let outputs = try declareOutputs(force: force, plot)
            let dataset = arguments.last!
            let parsed = try arguments.dropLast().map(Self.parseCandidate)
            let read = try parsed.map { (name, paths) in (name, paths, try paths.map { path -> CNNModel in
                try CNNModel.read(path)
            }) }
            let objective = read[0].2[0].objective
            for (_, paths, models) in read {
                for (path, m) in zip(paths, models) where m.objective != objective {
                    throw ValidationError("\(path) is a \(m.objective.rawValue) model and \(read[0].1[0]) a \(objective.rawValue) one: candidates must share one objective to be ranked on one held-out score")
                }
            }
            let data = try input.read(dataset, objective: objective)
            try data.requireSequences(in: "test", path: dataset)
            var candidates: [ModelSelection.Candidate] = []
            for (name, paths, models) in read {
                for (path, m) in zip(paths, models) {
                    guard m.length == data.test.length else { throw ValidationError("\(path): the model expects \(m.length) bp; \(dataset) has \(data.test.length)") }
                    guard m.tasks == data.test.tasks else { throw ValidationError("\(path): the model has \(m.tasks) task(s); \(dataset) has \(data.test.tasks)") }
                }
                // Replicates with the same weights (trained with the same --seed) agree by construction.
                var digests: [String: String] = [:]
                for (path, m) in zip(paths, models) {
                    var d = ContentDigest()
                    for p in m.parameters { d.add(floats: p.value.scalars) }
                    if let first = digests.updateValue(path, forKey: d.hex) {
                        warn("\(first) and \(path) hold the same weights (trained with the same --seed?): candidate \(name)'s consistency reads 1 by construction, not by agreement")
                    }
                }
                candidates.append(.init(name: name, models: models))
            }
            let task = self.task ?? 0
            guard task < data.test.tasks else { throw ValidationError("--task must be from 0 to \(data.test.tasks - 1)") }
            let tasks = (allTasks ? Array(0..<data.test.tasks) : [task]).filter { !ModelSelection.explained(data.test, task: $0, count: 1, objective: objective).isEmpty }
            guard !tasks.isEmpty else {
                throw ValidationError("\(dataset): no test sequence is positive for \(allTasks ? "any task" : "task \(task)")")
            }
            if allTasks { log("attribution columns: means over \(tasks.count) task(s)") }
            let clock = Stopwatch()
            let reports = ModelSelection.evaluate(candidates, test: data.test, tasks: tasks, sequences: sequences, seed: seed) { log("evaluating \($0)") }
            let agreement = ModelSelection.consistencyAgreement(reports), lowVariation = ModelSelection.variationAgreement(reports)
            let agreementUncorrected = ModelSelection.consistencyAgreement(reports, truth: \.uncorrectedInterpretability)
            let lowVariationUncorrected = ModelSelection.variationAgreement(reports, truth: \.uncorrectedInterpretability)
            func opt(_ v: Double?) -> JSONText { v.map { .double($0) } ?? .null }
            let (first, second) = objective == .classification ? ("test_auroc", "test_aupr") : ("test_pearson", "test_spearman")
            if json {
                JSONText.emit([("candidates", .array(reports.map { r in .object([
                    ("name", .string(r.name)), ("replicates", .int(r.replicates)), (first, .double(r.testScore)), (second, .double(r.testSecondScore)),
                    ("interpretability_auroc", opt(r.interpretability)), ("uncorrected_interpretability_auroc", opt(r.uncorrectedInterpretability)),
                    ("consistency", opt(r.consistency)), ("variation", opt(r.variation)),
                    ("robustness", .double(r.robustness)), ("pareto", .bool(r.pareto))]) })),
                    ("consistency_vs_interpretability_spearman", opt(agreement)),
                    ("low_variation_vs_interpretability_spearman", opt(lowVariation)),
                    ("consistency_vs_uncorrected_interpretability_spearman", opt(agreementUncorrected)),
                    ("low_variation_vs_uncorrected_interpretability_spearman", opt(lowVariationUncorrected))])
            } else {
                func f(_ v: Double?) -> String { v.map { fixed($0, 4) } ?? "-" }
                print("candidate\treplicates\t\(first)\t\(second)\tinterpretability_auroc\tuncorrected_interpretability_auroc\tconsistency\tvariation\trobustness\tpareto")
                let trust = ModelSelection.trustScores(reports)
                for k in reports.indices.sorted(by: { trust[$0] > trust[$1] }) {
                    let r = reports[k]
                    print("\(r.name)\t\(r.replicates)\t\(f(r.testScore))\t\(f(r.testSecondScore))\t\(f(r.interpretability))\t\(f(r.uncorrectedInterpretability))\t\(f(r.consistency))\t\(r.variation.map { fixed($0, 6) } ?? "-")\t\(f(r.robustness))\t\(r.pareto ? "*" : "")")
                }
                if let agreement { print("Spearman(consistency, interpretability AUROC) over \(reports.count) candidates: \(fixed(agreement, 3))") }
                if let lowVariation { print("Spearman(−variation, interpretability AUROC) over \(reports.count) candidates: \(fixed(lowVariation, 3))") }
                if let u = agreementUncorrected { print("Spearman(consistency, uncorrected interpretability AUROC) over \(reports.count) candidates: \(fixed(u, 3))") }
                if let u = lowVariationUncorrected { print("Spearman(−variation, uncorrected interpretability AUROC) over \(reports.count) candidates: \(fixed(u, 3))") }
            }
            if let plot {
                let byVariation = ModelSelection.byVariation(reports)
                let point = { (r: ModelSelection.Report) in byVariation ? r.variation! : r.robustness }
                let front = reports.filter(\.pareto), rest = reports.filter { !$0.pareto }
                var chart = Chart(title: "model selection: \(reports.count) candidates", xLabel: objective == .classification ? "test AUROC" : "test Pearson r",
                                  yLabel: byVariation ? "attribution variation across seeds (lower: maps agree)" : "map robustness", series: [
                    .init("Pareto front", x: front.map(\.testScore), y: front.map(point), style: .points, color: .red, labels: front.map(\.name)),
                    .init("dominated", x: rest.map(\.testScore), y: rest.map(point), style: .points, color: .blue, labels: rest.map(\.name)),
                ], note: "front: " + front.map(\.name).joined(separator: ", "))
                figure.apply(&chart)
                try outputs.write { try figure.write(chart.render(), to: plot, overwrite: force) }
                wrote(plot)
            }
            log("\(reports.count) candidate(s) evaluated (\(fixed(clock.seconds, 1)) s)")
        }
    }
}
