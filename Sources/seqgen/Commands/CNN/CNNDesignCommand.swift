import ArgumentParser
import Console
import DNAData
import Figures
import FileIO
import Motifs
import RegulatoryCNN
import Tensors

extension SequenceDesign.Goal: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument { case "maximize": self = .maximize; case "minimize": self = .minimize; default: return nil }
    }
    public static var allValueStrings: [String] { ["maximize", "minimize"] }
}

/// How `cnn design` searches: edits tried one round at a time, or Ledidi's learned edit distribution.
enum DesignMethod: String, ExpressibleByArgument, CaseIterable { case substitution, ledidi }

extension Seqgen.CNN {
    struct Design: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "design",
            abstract: "Design sequences for a CNN's output by greedy or beam substitution of motifs or single bases (tangermeme's greedy_substitution), or by gradient (Ledidi).",
            discussion: """
            --method substitution (default): each round tries every edit — each motif's consensus from --motifs (and its reverse complement) \
            written over the sequence, or each single base without --motifs — at every start inside \
            --region, keeps the --beam sequences of lowest loss (1: greedy), and stops after --rounds edits \
            or when a round lowers the loss by no more than --tolerance. --method ledidi: Ledidi's \
            gradient design — single-base edits drawn from a learned (4, L) matrix by the Gumbel-softmax \
            straight-through estimator, --samples sequences an iteration, AdamW at --learning-rate \
            against the mean loss plus --edit-penalty per edit, at most --iterations, stopping after \
            --patience iterations without a better batch; the design is the best member of the best \
            batch (--prune: then its edits worth less than that are undone), its edits listed in position \
            order (--seed: the Gumbel noise). Loss over the --task(s): --goal \
            maximize (−mean logit; a regression: −mean value) or minimize, or --target (mean squared \
            difference of the probabilities, a regression's values, from the targets; --hold-others adds \
            every other task with its starting prediction as its target). Starts from the FASTA sequences \
            (each the model's length) or --count uniform random ones (--seed). Writes the designed \
            sequences as FASTA (-o; header: edits, loss, each task's prediction), --table: every accepted \
            edit (step 0: the start; start/end 0-based, end exclusive), --plot: predictions by edit.
            """
        )

        @Argument(help: "Model (.npz from `seqgen cnn train`).")
        var model: String

        @Argument(help: "Starting sequences: FASTA (optionally .gz), each the model's length; without it, --count random ones.")
        var sequences: String?

        @Option(name: .shortAndLong, help: "Designed sequences (FASTA: .fa, .fasta, .fna).")
        var output: String

        @Option(parsing: .unconditional, help: "Random starting sequences (uniform bases) when no FASTA is given.")
        var count: Int?

        @Option(help: "Task index or indices, comma-separated (e.g. 0 or 0,3).")
        var task = "0"

        @Option(help: "maximize or minimize the tasks' mean logit (a regression: value).")
        var goal: SequenceDesign.Goal?

        @Option(help: "Target prediction(s), one per --task, comma-separated: probabilities for a classifier, values for a regression.")
        var target: String?

        @Flag(help: "With --target: hold every other task at its starting prediction (they join the loss).")
        var holdOthers = false

        @Option(help: "Motif file (MEME, JASPAR, TRANSFAC, HOMER, …): edits are the motifs' consensus sequences (default: single bases).")
        var motifs: String?

        @Option(help: "With --motifs: the motif name(s) or ID(s) to use, comma-separated (default all).")
        var motif: String?

        @Flag(help: "With --motifs: do not add each motif's reverse complement.")
        var noReverseComplement = false

        @Option(help: "substitution (greedy or beam search over edits) or ledidi (gradient design, Gumbel-softmax).")
        var method = DesignMethod.substitution

        @Option(parsing: .unconditional, help: "Substitution: sequences kept each round (default 1: greedy).")
        var beam: Int?

        @Option(parsing: .unconditional, help: "Substitution: at most this many edits per sequence (default 10).")
        var rounds: Int?

        @Option(parsing: .unconditional, help: "Substitution: stop when a round lowers the loss by no more than this (default 0: when no edit lowers it).")
        var tolerance: Float?

        @Option(parsing: .unconditional, help: "Ledidi: the loss one edit must be worth, λ (default 0.1, Ledidi's l).")
        var editPenalty: Float?

        @Option(parsing: .unconditional, help: "Ledidi: sequences drawn per iteration (default 16).")
        var samples: Int?

        @Option(parsing: .unconditional, help: "Ledidi: at most this many iterations (default 1000).")
        var iterations: Int?

        @Option(parsing: .unconditional, help: "Ledidi: stop after this many iterations without a better batch (default 100).")
        var patience: Int?

        @Option(parsing: .unconditional, help: "Ledidi: AdamW's learning rate (default 1).")
        var learningRate: Float?

        @Option(parsing: .unconditional, help: "Ledidi: the Gumbel-softmax temperature τ of the soft samples (default 1).")
        var temperature: Float?

        @Option(parsing: .unconditional, help: "Ledidi: then undo, smallest first, each edit whose undoing moves the tasks' logits (summed |change|; a regression: values) by less than this (Ledidi's greedy_pruning).")
        var prune: Float?

        @Option(help: "Positions edits may touch, START-END (0-based, end exclusive; default the whole sequence).")
        var region: String?

        @Option(help: "Every accepted edit as CSV (sequence, step, edit, strand, start, end, bases written, bases replaced, loss, each task's prediction).")
        var table: String?

        @Option(help: "Figure of what the loss reads after each edit: the logit (a regression: the value), or with --target the probability and the target (PNG or SVG).")
        var plot: String?

        @Option(parsing: .unconditional, help: "Candidate sequences per forward batch.")
        var batchSize = 500

        @Option(parsing: .unconditional, help: "Random seed (the random starting sequences; Ledidi's Gumbel noise).")
        var seed: UInt64 = 0

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        func validate() throws {
            try checkCount("--count", count)
            try checkCount("--beam", beam)
            try checkCount("--rounds", rounds)
            try checkCount("--batch-size", batchSize)
            try checkNonNegative("--tolerance", tolerance)
            try checkNonNegative("--edit-penalty", editPenalty)
            try checkCount("--samples", samples)
            try checkCount("--iterations", iterations)
            try checkCount("--patience", patience)
            try checkPositive("--learning-rate", learningRate)
            try checkPositive("--temperature", temperature)
            try checkNonNegative("--prune", prune)
            let substitution = method == .substitution, ledidi = "--method ledidi", search = "--method substitution"
            try refuseIgnored([("--beam", beam != nil, substitution, search), ("--rounds", rounds != nil, substitution, search),
                               ("--tolerance", tolerance != nil, substitution, search), ("--motifs", motifs != nil, substitution, search),
                               ("--edit-penalty", editPenalty != nil, !substitution, ledidi), ("--samples", samples != nil, !substitution, ledidi),
                               ("--iterations", iterations != nil, !substitution, ledidi), ("--patience", patience != nil, !substitution, ledidi),
                               ("--learning-rate", learningRate != nil, !substitution, ledidi), ("--temperature", temperature != nil, !substitution, ledidi),
                               ("--prune", prune != nil, !substitution, ledidi)],
                              here: substitution ? search : ledidi + " (single-base edits)")
            if sequences != nil && count != nil { throw ValidationError("--count draws random starting sequences; give it or a FASTA file, not both") }
            if goal != nil && target != nil { throw ValidationError("give --goal or --target, not both") }
            try refuseIgnored([("--hold-others", holdOthers, target != nil, "--target"),
                               ("--motif", motif != nil, motifs != nil, "--motifs"),
                               ("--no-reverse-complement", noReverseComplement, motifs != nil, "--motifs")], here: "single-base design")
        }

        func run() throws {
            try requireExtension(output, ["fa", "fasta", "fna", "fas"], holding: "FASTA")
            if let table { try requireExtension(table, ["csv"], holding: "a CSV table") }
            let outputs = try declareOutputs(force: force, output, table, plot)
            try runtime.apply(ownThreading: true)
            let m = try CNNModel.read(model), l = m.length
            let tasks = try task.split(separator: ",", omittingEmptySubsequences: false).map { field -> Int in
                guard let t = Int(field.trimmingWhitespace()), (0..<m.tasks).contains(t) else {
                    throw ValidationError("--task: expected task indices from 0 to \(m.tasks - 1), comma-separated, got '\(task)'")
                }
                return t
            }
            guard Set(tasks).count == tasks.count else { throw ValidationError("--task names a task twice: '\(task)'") }
            var objective = SequenceDesign.Goal.maximize
            if let goal { objective = goal }
            if let target {
                let y = target.split(separator: ",", omittingEmptySubsequences: false).map { Float($0.trimmingWhitespace()) }
                guard y.count == tasks.count, y.allSatisfy({ $0?.isFinite == true }) else {
                    throw ValidationError("--target: expected \(tasks.count) number(s), one per --task, got '\(target)'")
                }
                if m.objective == .classification, let bad = y.first(where: { !(0...1).contains($0!) }) {
                    throw ValidationError("--target \(bad!): a classifier's targets are probabilities, from 0 to 1")
                }
                objective = .target(y.map { $0! })
            }
            let area = try region.map { try positions("--region", $0, length: l) } ?? 0..<l
            // The library: single bases, or each motif's consensus (and its reverse complement).
            var library = SequenceDesign.Edit.singleBases
            if let motifs {
                var chosen = try MotifFile.read(motifs)
                if let motif { chosen = try chosen.selecting(motif, path: motifs) }
                if let wide = chosen.first(where: { $0.width > area.count }) {
                    throw ValidationError("motif \(wide.name) (\(wide.width) bp) is wider than the \(area.count) bp edits may touch (--region, or the model's length)")
                }
                library = chosen.map { SequenceDesign.Edit(name: $0.name, bases: $0.consensus.utf8.map { OneHot.channel($0)! }) }
                if !noReverseComplement {
                    library += library.filter { $0.reverseComplement.bases != $0.bases }.map(\.reverseComplement)
                }
            }
            // The starting sequences.
            let ids: [String], starts: Tensor
            if let sequences {
                let fasta = try LabeledFASTA.readFASTA(sequences, sameLength: false)
                guard !fasta.ids.isEmpty else { throw FileIOError(path: sequences, "no sequence to design from") }
                if let k = fasta.sequences.firstIndex(where: { $0.utf8.count != l }) {
                    throw FileIOError(path: sequences, "sequence '\(fasta.ids[k])' is \(fasta.sequences[k].utf8.count) bp; the model expects \(l)")
                }
                let ambiguous = AmbiguousBases(fasta.sequences)
                if !ambiguous.isEmpty { warn("\(sequences): \(ambiguous), encoded as 0.25 in every channel until an edit writes over them") }
                ids = fasta.ids
                starts = OneHot.encode(fasta.sequences)
            } else {
                let n = count ?? 1
                var rng = RandomGenerator(seed: seed)
                ids = (1...n).map { "design\($0)" }
                starts = OneHot.encode(bytes: (0..<n).map { _ in (0..<l).map { _ in UInt8(ascii: ["A", "C", "G", "T"][rng.int(below: 4)]) } })
            }
            var design = SequenceDesign(model: m, tasks: tasks, goal: objective)
            design.holdOthers = holdOthers; design.region = area; design.batchSize = batchSize
            design.beamWidth = beam ?? design.beamWidth; design.rounds = rounds ?? design.rounds; design.tolerance = tolerance ?? design.tolerance
            var settings = SequenceDesign.Ledidi()
            settings.editPenalty = editPenalty ?? settings.editPenalty; settings.samples = samples ?? settings.samples
            settings.iterations = iterations ?? settings.iterations; settings.patience = patience ?? settings.patience
            settings.learningRate = learningRate ?? settings.learningRate; settings.temperature = temperature ?? settings.temperature
            settings.prune = prune
            let clock = Stopwatch()
            let perSequence = method == .substitution ? design.rounds : settings.iterations
            let bar = ProgressBar("design", total: ids.count * perSequence, quiet: runtime.quiet)
            var results: [SequenceDesign.Result] = []
            let xs = ids.indices.map { k in Tensor(shape: [4, l], scalars: Array(starts.scalars[(k * 4 * l)..<((k + 1) * 4 * l)])) }
            switch method {
            case .substitution:
                for (k, x) in xs.enumerated() {
                    results.append(design.design(x, library: library) { r, _ in bar.update(k * perSequence + r) })
                    bar.update((k + 1) * perSequence)
                }
            case .ledidi:
                // One Gumbel-noise stream per sequence, apart from the starts' (stream 0).
                let seeds = xs.indices.map { k in var noise = RandomGenerator(seed: seed, stream: UInt64(k) + 1); return noise.next() }
                nonisolated(unsafe) let progress = bar
                results = design.designsByGradient(xs, settings: settings, seeds: seeds) { progress.update($0) }
            }
            bar.finish()
            let shown = design.prediction
            var fasta = "", csv = (["sequence", "step", "edit", "strand", "start", "end", "bases", "replaced", "loss"] + m.taskNames).map { $0.csvField() }.joined(separator: ",") + "\n"
            for (k, (id, r)) in zip(ids, results).enumerated() {
                var current = Array(OneHot.decode(starts, sequence: k))        // replayed edit by edit for the bases each replaced
                let predictions = m.taskNames.indices.map { "\(m.taskNames[$0])=\(fixed(Double(shown(r.outputs[$0])), 4))" }.joined(separator: " ")
                fasta += ">\(id) designed: \(r.steps.count) edit(s), loss \(fixed(Double(r.loss), 4)), \(predictions)\n"
                fasta += OneHot.decode(Tensor(shape: [1, 4, l], scalars: r.sequence.scalars), sequence: 0) + "\n"
                func row(_ step: Int, _ edit: String, _ strand: String, _ span: String, _ bases: String, _ loss: Float, _ z: [Float]) -> String {
                    ([id.csvField(), "\(step)", edit.csvField(), strand, span, bases, fixed(Double(loss), 6)] + z.map { fixed(Double(shown($0)), 6) }).joined(separator: ",") + "\n"
                }
                csv += row(0, "start", "", ",", ",", r.startLoss, r.startOutputs)
                for (s, step) in r.steps.enumerated() {
                    let e = library[step.edit], span = step.start..<(step.start + e.bases.count)
                    let written = e.bases.map { OneHot.bases[$0] }, replaced = String(current[span])
                    current.replaceSubrange(span, with: written)
                    csv += row(s + 1, e.name, motifs == nil ? "" : (e.reverse ? "-" : "+"), "\(span.lowerBound),\(span.upperBound)",
                               String(written) + "," + replaced, step.loss, step.outputs)
                }
            }
            var canvas: Canvas?
            if plot != nil {
                var chart = Self.trajectories(results, ids: ids, design: design)
                figure.apply(&chart)
                canvas = chart.render()
            }
            try outputs.write {
                try AtomicFile.write(fasta, to: output, overwrite: force)
                if let table { try AtomicFile.write(csv, to: table, overwrite: force) }
                if let plot, let canvas { try figure.write(canvas, to: plot, overwrite: force) }
            }
            let edits = results.map(\.steps.count)
            let searched = results.map(\.iterations).reduce(0, +)
            let how = method == .substitution ? "from a library of \(library.count) in \(searched) round(s)" : "by Ledidi in \(searched) iteration(s)"
            log("designed \(ids.count) sequence(s): \(edits.reduce(0, +)) edit(s) \(how) (\(fixed(clock.seconds, 2)) s); loss \(fixed(Double(results.map(\.startLoss).reduce(0, +) / Float(ids.count)), 4)) → \(fixed(Double(results.map(\.loss).reduce(0, +) / Float(ids.count)), 4)) on average")
            wrote(output)
            if let table { wrote(table) }
            if let plot { wrote(plot) }
        }

        /// What the loss reads after 0, 1, … edits — the logit (a regression: the value) for --goal,
        /// the probability with the target drawn for --target — one line per task for one sequence,
        /// one line per sequence (the first chosen task) for several.
        static func trajectories(_ results: [SequenceDesign.Result], ids: [String], design: SequenceDesign) -> Chart {
            let (m, tasks, palette) = (design.model, design.tasks, Canvas.Color.categorical)
            var targets: [Float]?
            if case .target(let y) = design.goal { targets = y }
            func curve(_ r: SequenceDesign.Result, _ t: Int) -> [Double] {
                ([r.startOutputs] + r.steps.map(\.outputs)).map { Double(targets == nil ? $0[t] : design.prediction($0[t])) }
            }
            var series: [Chart.Series]
            if results.count == 1 {
                series = tasks.enumerated().map { k, t in
                    let y = curve(results[0], t)
                    return .init(m.taskNames[t], x: y.indices.map(Double.init), y: y, style: .line, color: palette[k % palette.count])
                }
            } else {
                series = results.enumerated().map { k, r in
                    let y = curve(r, tasks[0])
                    return .init(results.count <= 10 ? ids[k] : "", x: y.indices.map(Double.init), y: y, style: .line, color: palette[k % palette.count])
                }
            }
            let steps = Double(results.map(\.steps.count).max() ?? 0)
            for (k, y) in (targets ?? []).enumerated() where results.count == 1 || k == 0 {
                series.append(.init(k == 0 ? "target" : "", x: [0, Swift.max(steps, 1)], y: [Double(y), Double(y)], style: .line, color: .grey))
            }
            let unit = targets == nil ? (m.objective == .classification ? "logit" : "predicted value") : (m.objective == .classification ? "probability" : "predicted value")
            return Chart(title: "design: \(tasks.map { m.taskNames[$0] }.joined(separator: ", "))", xLabel: "edits",
                         yLabel: results.count == 1 ? unit : "\(m.taskNames[tasks[0]]) \(unit)", series: series,
                         note: "\(results.count) sequence(s)")
        }
    }
}
