import ArgumentParser
import Attribution
import Console
import Figures
import FileIO
import Motifs
import RegulatoryCNN
import Tensors

extension Seqgen.CNN {
    struct Interactions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "interactions",
            abstract: "Which motif pairs a CNN + attention hybrid's strongest attention pairs link, and at which distances.",
            discussion: """
            For each sequence (the first --count of --split): the --top strongest off-diagonal entries of the \
            head-averaged attention map of --layer; each pooled position is mapped back to its input window \
            (position × stride + offset … + receptive field); motif instances (scanned with the PWMs of \
            --motifs, --names only, both strands, relative log-odds score ≥ --threshold) overlapping the two \
            windows are tallied as (first motif, second motif, gap between them). A pair is counted once per \
            sequence. Prints (or writes, -o) a TSV table sorted by count; --plot draws count vs gap for the \
            motif pair with the most hits.
            """
        )

        @Argument(help: "Model (.npz from `seqgen cnn train` with an mha layer).")
        var model: String

        @Argument(help: "Dataset (.npz or HDF5, or FASTA with --labels).")
        var dataset: String

        @OptionGroup var input: DNADatasetOptions

        @OptionGroup var selection: AttentionSelection

        @Option(help: "Motif file (JASPAR or MEME).")
        var motifs: String

        @Option(help: "Motif names to scan for, comma-separated (default: every motif in the file).")
        var names: String?

        @Option(parsing: .unconditional, help: "Strongest attention pairs per sequence.")
        var top = 5

        @Option(parsing: .unconditional, help: "Relative log-odds score a motif instance needs, in (0, 1] (0.8: JASPAR's site-search default).")
        var threshold = 0.8

        @Option(name: .shortAndLong, help: "Write the table here (.tsv; default standard output).")
        var output: String?

        @Option(help: "Figure: count vs gap for the top motif pair (PNG or SVG).")
        var plot: String?

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        func validate() throws {
            guard top >= 1 else { throw ValidationError("--top must be at least 1") }
            guard threshold > 0, threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1], got \(threshold)") }
        }

        func run() throws {
            let outputs = try declareOutputs(force: force, output, plot)
            try runtime.apply(ownThreading: true)
            let clock = Stopwatch()
            let all = try MotifFile.read(motifs)
            var chosen = all
            if let names {
                chosen = try names.split(separator: ",").map { try all.motif(named: String($0), path: motifs) }
            }
            guard !chosen.isEmpty else { throw FileIOError(path: motifs, "no motifs") }
            if names == nil && chosen.count > 20 {
                log("note: scanning all \(chosen.count) motifs of \(motifs): look-alike motifs call the same site, and their pairs at negative distances are one site read twice; --names keeps the motifs you ask about")
            }
            let result = try selection.compute(model: model, dataset: dataset, input: input)
            let instances = MotifScanner(motifs: chosen, threshold: threshold).scan(result.x)
            let rows = AttentionInteractions.tally(maps: result.maps, window: result.window, length: result.length,
                                                   instances: instances, names: chosen.map(\.name), top: top)
            var text = "first\tsecond\tdistance\tcount\tmean_attention\n"
            for r in rows { text += "\(r.first)\t\(r.second)\t\(r.distance)\t\(r.count)\t\(r.meanAttention)\n" }
            let best = AttentionInteractions.topPair(rows)
            var canvas: Canvas?
            if plot != nil {
                let these = best.map { b in rows.filter { $0.first == b.first && $0.second == b.second }.sorted { $0.distance < $1.distance } } ?? []
                // Every gap between the first and last seen, unseen ones at 0 (a line between two
                // seen gaps would draw counts the gaps between do not have).
                var counts: [Int: Int] = [:]
                for r in these { counts[r.distance, default: 0] += r.count }
                let gaps = these.isEmpty ? [] : Array(these.first!.distance...these.last!.distance)
                var chart = Chart(title: best.map { "attention pairs: \($0.first) → \($0.second)" } ?? "attention pairs: no motif pair hit",
                                  xLabel: "gap between the motifs (bp)", yLabel: "sequences",
                                  series: [.init("count", x: gaps.map(Double.init), y: gaps.map { Double(counts[$0] ?? 0) }, style: .line, color: .blue)],
                                  note: "\(result.maps.shape[0]) sequences, top \(top) pairs, layer \(selection.layer)")
                figure.apply(&chart)
                canvas = chart.render()
            }
            try outputs.write {
                if let output { try AtomicFile.write(text, to: output, overwrite: force) }
                if let plot, let canvas { try figure.write(canvas, to: plot, overwrite: force) }
            }
            if output == nil { print(text, terminator: "") } else { wrote(output!) }
            let hits = instances.reduce(0) { $0 + $1.count }
            log("interactions: \(result.maps.shape[0]) sequences, \(hits) motif instances, \(rows.count) (pair, gap) rows; top pair \(best.map { "\($0.first) → \($0.second)" } ?? "none") (\(fixed(clock.seconds, 2)) s)")
            if let plot { wrote(plot) }
        }
    }
}
