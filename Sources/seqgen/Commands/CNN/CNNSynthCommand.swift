import Console
import ArgumentParser
import DNAData
import FileIO
import Motifs

extension SyntheticMotifs.Task: ExpressibleByArgument {}
extension SyntheticMotifs.Recipe: ExpressibleByArgument {}

extension Seqgen.CNN {
    struct Synth: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth",
            abstract: "Generate a synthetic TF-binding benchmark with known motif positions (.npz).",
            discussion: """
            Uniform background; motif instances sampled from JASPAR/MEME PWMs on a random strand at \
            random non-overlapping positions. \
            multi: one task per motif (default the 12 TFs of Koo & Eddy 2019: \
            \(SyntheticMotifs.multiNames.joined(separator: ", "))), 30,000 sequences, k uniform in \
            --motifs-per-sequence (default 1-5). \
            code: one binary task, 20,000 sequences; positives carry core motifs \
            (\(SyntheticMotifs.codeCore.joined(separator: ", "))). --recipe published (default; Koo & \
            Ploenzke 2021): 3-7 motifs per sequence (probabilities 0.50/0.25/0.17/0.05/0.03), \
            negatives drawn from the core plus \(SyntheticMotifs.publishedDecoyCount) random JASPAR motifs \
            (seeded; or --decoys), both strands, the published spacing; motifs that a core motif \
            matches at Tomtom q < --lookalike-q are never decoys (the published notebook removes such \
            look-alikes by hand). --recipe uniform (this \
            project's earlier code task): k uniform in --motifs-per-sequence, negatives from --decoys \
            only (default the 7 other multi-task motifs). Writes X_/Y_/model_/truth_task_{train,valid,test} \
            (70/10/20%) with model_* the ground-truth PWM at each position (0.25 = background) and \
            truth_task_* the task whose motif each position belongs to (-1: background or decoy). \
            interaction: one task; every sequence has motif A then motif B (--names A,B, default \
            SP1,GABPA, forward strand); positives have B exactly --spacing bases after A's end, \
            negatives a gap at least 5 bases away from it. \
            activity: one regression task (train with --objective regression), 20,000 sequences, k uniform \
            in --motifs-per-sequence drawn from the core and --decoys (defaults as for code with --recipe \
            uniform); label = Σ over core instances of --weights (default 1, 1.5, 2, … in --names order) \
            + N(0, --noise²).
            """
        )

        @Option(help: "Motif file (JASPAR or MEME), e.g. ../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm.")
        var motifs: String

        @Option(name: .shortAndLong, help: "Output dataset (.npz).")
        var output: String

        @Option(help: "Also write the motifs embedded in the sequences (MEME): the benchmark's ground truth, e.g. as a --database for `seqgen cnn motifs`.")
        var planted: String?

        @Option(help: "multi, code, interaction or activity.")
        var task = SyntheticMotifs.Task.multi

        @Option(parsing: .unconditional, help: "interaction task: bases between the end of the first motif and the start of the second in positives (default \(Self.defaultSpacing)).")
        var spacing: Int?

        @Option(help: "Motif names to embed (comma-separated; default: the published set for the task).")
        var names: String?

        @Option(help: "code task: decoy motif names (comma-separated; default: 50 random JASPAR motifs, look-alikes of the core excluded, with the published recipe; the multi-task motifs outside the core with --recipe uniform).")
        var decoys: String?

        @Option(parsing: .unconditional, help: "Number of sequences, at least 10 (default 30000 for multi, 20000 for code and interaction).")
        var count: Int?

        @Option(parsing: .unconditional, help: "Sequence length.")
        var length = 200

        @Option(help: "Motif instances per sequence, MIN-MAX (multi, and code with --recipe uniform; default 1-5).")
        var motifsPerSequence: String?

        @Option(help: "code task recipe: published (3-7 motifs, 50 random JASPAR decoys; default) or uniform (the earlier one).")
        var recipe: SyntheticMotifs.Recipe?

        @Option(parsing: .unconditional, help: "Published code recipe: a motif that a core motif matches below this Tomtom q-value is no decoy (0 keeps every motif; default \(SyntheticMotifs.defaultLookalikeQ)).")
        var lookalikeQ: Double?

        @Option(help: "activity task: what each core motif's instance adds to the label, comma-separated in --names order (default 1, 1.5, 2, …).")
        var weights: String?

        @Option(parsing: .unconditional, help: "activity task: standard deviation of the label noise (default 0.3).")
        var noise: Double?

        @Option(parsing: .unconditional, help: "Random seed.")
        var seed: UInt64 = 0

        @Flag(help: "Overwrite an existing output file.")
        var force = false

        @OptionGroup var verbosity: OutputOptions

        /// The interaction task's gap between the two motifs in positives where --spacing is not given.
        static let defaultSpacing = 10

        func run() throws {
            let outputs = try declareOutputs(force: force, output, planted)
            let lookalikeQ = self.lookalikeQ ?? SyntheticMotifs.defaultLookalikeQ, recipe = self.recipe ?? .published
            let parts = (motifsPerSequence ?? "1-5").split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, parts[0] >= 1, parts[1] >= parts[0] else { throw ValidationError("--motifs-per-sequence: expected MIN-MAX, e.g. 1-5") }
            let published = task == .code && recipe == .published
            let all = try MotifFile.read(motifs)
            func list(_ s: String?, _ defaults: [String]) -> [String] { s.map { $0.split(separator: ",").map(String.init) } ?? defaults }
            do {
                if task == .interaction { return try runInteraction(all, outputs: outputs) }
                let n = count ?? (task == .multi ? 30000 : 20000)
                let coreNames = list(names, task == .multi ? SyntheticMotifs.multiNames : SyntheticMotifs.codeCore)
                var generator: SyntheticMotifs
                if published {
                    if let decoys {   // named decoys instead of the 50 random ones
                        generator = SyntheticMotifs(task: .code, motifs: try SyntheticMotifs.select(coreNames, from: all),
                                                    decoys: try SyntheticMotifs.select(list(decoys, []), from: all), count: n, length: length,
                                                    motifsPerSequence: 3...7, recipe: .published, seed: seed)
                    } else {
                        generator = try SyntheticMotifs.publishedCode(from: all, core: coreNames, count: n, length: length,
                                                                      lookalikeQ: lookalikeQ, seed: seed)
                        if !generator.lookalikes.isEmpty {
                            log("not decoys: \(generator.lookalikes.count) look-alikes of the core (Tomtom q < \(lookalikeQ)): \(generator.lookalikes.map(\.name).joined(separator: ","))")
                        }
                    }
                } else {
                    let core = try SyntheticMotifs.select(coreNames, from: all)
                    let decoyMotifs = task == .multi ? [] : try SyntheticMotifs.select(list(decoys, SyntheticMotifs.codeDecoys), from: all)
                    generator = SyntheticMotifs(task: task, motifs: core, decoys: decoyMotifs, count: n,
                                                length: length, motifsPerSequence: parts[0]...parts[1], seed: seed)
                    if task == .activity {
                        if let weights {
                            let w = weights.split(separator: ",").compactMap { Double($0.trimmingWhitespace()) }
                            guard w.count == core.count, w.allSatisfy(\.isFinite) else { throw ValidationError("--weights: expected \(core.count) numbers, one per core motif (\(core.map(\.name).joined(separator: ",")))") }
                            generator.activityWeights = w
                        }
                        if let noise { generator.activityNoise = noise }
                    }
                }
                let clock = Stopwatch()
                let splits = try generator.generate()
                try outputs.write {
                    try splits.write(to: output, overwrite: force)
                    if let planted { try AtomicFile.write(MEMEFormat.render(generator.motifs + generator.decoys), to: planted, overwrite: force) }
                }
                log("wrote \(output): \(splits.train.count)/\(splits.valid.count)/\(splits.test.count) train/valid/test × \(length) bp, \(splits.taskNames.count) task(s) (\(fixed(clock.seconds, 2)) s)")
                if task == .code { log("core: \(generator.motifs.map(\.name).joined(separator: ",")); decoys: \(generator.decoys.map(\.name).joined(separator: ","))") }
                if task == .activity {
                    log("activity = Σ over core instances of \(zip(generator.motifs, generator.weights).map { "\($0.name) \(fixed($1, 2))" }.joined(separator: ", ")) + N(0, \(fixed(generator.activityNoise, 2))²); decoys \(generator.decoys.map(\.name).joined(separator: ",")) add nothing")
                }
            } catch let e as SyntheticMotifs.SyntheticError {
                throw ValidationError("\(motifs): \(e.description)")
            }
        }

        /// The interaction task: the pair --names A,B (default SP1,GABPA), B --spacing bases after A in positives.
        func runInteraction(_ all: [Motif], outputs: OutputSet) throws {
            let pair = names.map { $0.split(separator: ",").map(String.init) } ?? ["SP1", "GABPA"]
            guard pair.count == 2 else { throw ValidationError("--names: the interaction task needs exactly two motif names, A,B") }
            let chosen = try SyntheticMotifs.select(pair, from: all)
            let generator = InteractionMotifs(first: chosen[0], second: chosen[1], spacing: spacing ?? Self.defaultSpacing, count: count ?? 20000, length: length, seed: seed)
            let clock = Stopwatch()
            let splits: DNASplits
            do { splits = try generator.generate() } catch let e as SyntheticMotifs.SyntheticError { throw ValidationError(e.description) }  // about options, not the motif file
            try outputs.write {
                try splits.write(to: output, overwrite: force)
                if let planted { try AtomicFile.write(MEMEFormat.render(chosen), to: planted, overwrite: force) }
            }
            log("wrote \(output): \(splits.train.count)/\(splits.valid.count)/\(splits.test.count) train/valid/test × \(length) bp, 1 task(s) (\(fixed(clock.seconds, 2)) s)")
            log("pair: \(chosen[0].name) then \(chosen[1].name); positives \(generator.spacing) bases apart, negatives at gaps ≥ \(generator.margin) from it")
        }
    }
}
