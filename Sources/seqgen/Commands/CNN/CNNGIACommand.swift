import Console
import ArgumentParser
import Attribution
import Figures
import FileIO
import Motifs
import Pipelines
import RegulatoryCNN
import Tensors

extension GlobalImportance.Null: ExpressibleByArgument {}

extension Seqgen.CNN {
    struct GIA: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gia",
            abstract: "Global importance analysis: the mean change of a task's prediction when motifs are embedded in null sequences, with its standard error.",
            discussion: """
            Nulls (--null): dinucleotide shuffles of the split's sequences, samples from their per-position \
            base profile, or uniform sequences (--count of them). Patterns: motifs by name from --motifs \
            (their consensus, or a fresh PWM sample per sequence with --sample). Experiments: effect (each \
            --motif at the centre), position (the first motif at every --step), copies (1…--max-copies \
            evenly spaced copies), spacing (--motif then --second at gaps 0…--max-spacing, same and \
            opposite orientation). Prints a table (TSV) of mean ± standard error; --plot draws it.
            """
        )

        @Argument(help: "Model (.npz from `seqgen cnn train`).")
        var model: String

        @Argument(help: "Dataset the nulls are built from (.npz or HDF5, or FASTA with --labels).")
        var dataset: String

        @OptionGroup var input: DNADatasetOptions

        @Option(help: "Motif file (JASPAR or MEME).")
        var motifs: String

        @Option(help: "Motif name(s) to embed, comma-separated (effect: each one; other experiments: the first).")
        var motif: String

        @Option(help: "spacing: the second motif's name.")
        var second: String?

        @Option(help: "effect, position, copies or spacing.")
        var experiment = "effect"

        @Option(help: "Null sequences: dinucleotide, profile or uniform.")
        var null = GlobalImportance.Null.dinucleotide

        @Option(parsing: .unconditional, help: "Number of null sequences.")
        var count = 500

        @Flag(help: "Sample each embedded motif from its PWM per sequence (default: its consensus).")
        var sample = false

        @Option(parsing: .unconditional, help: "Task (output) index.")
        var task = 0

        @Option(help: "Explain the task's logit (default) or its sigmoid probability.")
        var explain = Attributor.Output.logit

        @Option(help: "Split the nulls come from: train, valid or test.")
        var split = "test"

        @Option(parsing: .unconditional, help: "position: step between start positions (default \(Self.defaultStep)).")
        var step: Int?

        @Option(parsing: .unconditional, help: "copies: the most copies (default \(Self.defaultMaxCopies); as many as fit in the sequence at most).")
        var maxCopies: Int?

        @Option(parsing: .unconditional, help: "spacing: the largest gap between the two motifs (bases; default \(Self.defaultMaxSpacing); as large as fits in the sequence at most).")
        var maxSpacing: Int?

        @Option(help: "Figure of the experiment (PNG or SVG).")
        var plot: String?

        @Option(name: .shortAndLong, help: "Write the table here (.tsv; default standard output).")
        var output: String?

        @Option(parsing: .unconditional, help: "Random seed (nulls and samples).")
        var seed: UInt64 = 0

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        /// The sweeps' defaults where their options are not given.
        static let defaultStep = 5, defaultMaxCopies = 5, defaultMaxSpacing = 30

        func validate() throws {
            guard ["effect", "position", "copies", "spacing"].contains(experiment) else { throw ValidationError("--experiment must be effect, position, copies or spacing, got '\(experiment)'") }
            guard count >= 2 else { throw ValidationError("--count must be at least 2") }
            try checkCount("--step", step)
            try checkCount("--max-copies", maxCopies)
            try checkCount("--max-spacing", maxSpacing, atLeast: 0)
            if experiment == "spacing" && second == nil { throw ValidationError("--experiment spacing needs --second") }
            try refuseIgnored([("--step", step != nil, "position"), ("--max-copies", maxCopies != nil, "copies"),
                               ("--second", second != nil, "spacing"), ("--max-spacing", maxSpacing != nil, "spacing")]
                .map { ($0.0, $0.1, $0.2 == experiment, "--experiment " + $0.2) }, here: experiment)
        }

        func run() throws {
            if let output { try requireExtension(output, ["tsv", "txt"], holding: "a TSV table") }
            let outputs = try declareOutputs(force: force, output, plot)
            try runtime.apply(ownThreading: true)
            let m = try CNNModel.read(model)
            let (_, set) = try input.read(dataset, split: split, objective: m.objective)
            guard set.length == m.length else { throw ValidationError("\(dataset): sequences of \(set.length) bp; the model expects \(m.length)") }
            guard task >= 0, task < m.tasks else { throw ValidationError("--task must be from 0 to \(m.tasks - 1)") }
            try AttributionRun.requireLogits(m, output: explain)
            let all = try MotifFile.read(motifs)
            let chosen = try motif.split(separator: ",").map { try all.motif(named: String($0), path: motifs) }
            let l = set.length
            for c in chosen where c.width > l { throw ValidationError("motif \(c.name) (\(c.width) bp) is longer than the sequences (\(l) bp)") }
            var rng = RandomGenerator(seed: seed)
            let nulls = GlobalImportance.nullSequences(from: set.x, kind: null, count: count, using: &rng)
            let gia = GlobalImportance(attributor: Attributor(model: m, task: task, output: explain))
            let clock = Stopwatch()
            // The experiment's settings (label, x, series, placements, seed offset), then one GIA run each.
            var settings: [(label: String, x: Double, series: String, placements: [GlobalImportance.Placement], k: Int)] = []
            let first = chosen[0].probabilities(), w = chosen[0].width
            switch experiment {
            case "effect":
                for (k, c) in chosen.enumerated() {
                    settings.append((c.name, Double(k), "effect", [.init(motif: c.probabilities(), position: (l - c.width) / 2)], k))
                }
            case "position":
                for (k, p) in stride(from: 0, through: l - w, by: step ?? Self.defaultStep).enumerated() {
                    settings.append(("\(p)", Double(p), chosen[0].name, [.init(motif: first, position: p)], k))
                }
            case "copies":
                let maxCopies = self.maxCopies ?? Self.defaultMaxCopies
                if maxCopies * w > l { warn("--max-copies \(maxCopies): at most \(l / w) copies of \(chosen[0].name) (\(w) bp) fit in \(l) bp; the experiment stops there") }
                for c in 1...maxCopies {
                    guard c * w <= l else { break }
                    let gap = (l - c * w) / (c + 1)
                    let placements = (0..<c).map { GlobalImportance.Placement(motif: first, position: gap + $0 * (w + gap)) }
                    settings.append(("\(c)", Double(c), chosen[0].name, placements, c))
                }
            default:
                let b = try all.motif(named: second!, path: motifs)
                let pb = b.probabilities()
                let maxSpacing = self.maxSpacing ?? Self.defaultMaxSpacing
                if w + maxSpacing + b.width > l {
                    warn("--max-spacing \(maxSpacing): \(chosen[0].name) and \(b.name) (\(w) + \(b.width) bp) fit in \(l) bp up to a gap of \(l - w - b.width); the experiment stops there")
                }
                for s in 0...maxSpacing {
                    let total = w + s + b.width
                    guard total <= l else { break }
                    let start = (l - total) / 2
                    for reverse in [false, true] {
                        let placements = [GlobalImportance.Placement(motif: first, position: start),
                                          GlobalImportance.Placement(motif: pb, position: start + w + s, reverse: reverse)]
                        settings.append(("\(s)", Double(s), reverse ? "\(b.name) reversed" : "\(b.name) same strand", placements, s * 2 + (reverse ? 1 : 0)))
                    }
                }
            }
            let bar = ProgressBar("gia \(experiment)", total: settings.count, quiet: runtime.quiet)
            var rows: [(label: String, x: Double, series: String, effect: GlobalImportance.Effect)] = []
            for setting in settings {
                let effect = gia.effect(null: nulls, placements: setting.placements, sample: sample, seed: seed &+ UInt64(setting.k))
                rows.append((setting.label, setting.x, setting.series, effect))
                bar.advance()
            }
            bar.finish()
            var text = "experiment\t\(experiment == "effect" ? "motif" : experiment)\tseries\tmean\tstandard_error\tn\n"
            for r in rows { text += "\(experiment)\t\(r.label)\t\(r.series)\t\(r.effect.mean)\t\(r.effect.standardError)\t\(r.effect.count)\n" }
            var canvas: Canvas?
            if plot != nil {
                let palette = Canvas.Color.categorical
                var seriesNames: [String] = []
                for r in rows where !seriesNames.contains(r.series) { seriesNames.append(r.series) }
                var series: [Chart.Series] = []
                for (k, name) in seriesNames.enumerated() {
                    let these = rows.filter { $0.series == name }
                    series.append(.init(name, x: these.map(\.x), y: these.map(\.effect.mean), style: experiment == "effect" ? .points : .line,
                                        color: palette[k % palette.count], errors: these.map(\.effect.standardError)))
                }
                let xLabel = ["effect": "motif", "position": "start position (bp)", "copies": "copies", "spacing": "gap between the motifs (bp)"][experiment]!
                var chart = Chart(title: "GIA: \(experiment), task \(m.taskNames[task])", xLabel: xLabel,
                                  yLabel: "mean Δ\(explain == .logit ? "logit" : "probability")", series: series,
                                  note: "\(count) \(null.rawValue) nulls, \(sample ? "sampled" : "consensus") motifs; bars ± 1 s.e.")
                if experiment == "effect" { chart.xTickNames = rows.map(\.label) }
                figure.apply(&chart)
                canvas = chart.render()
            }
            try outputs.write {
                if let output { try AtomicFile.write(text, to: output, overwrite: force) }
                if let plot, let canvas { try figure.write(canvas, to: plot, overwrite: force) }
            }
            if output == nil { print(text, terminator: "") } else { wrote(output!) }
            log("gia \(experiment): \(rows.count) settings × \(count) nulls (\(fixed(clock.seconds, 2)) s)")
            if let plot { wrote(plot) }
        }
    }
}
