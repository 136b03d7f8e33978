import ArgumentParser
import Console
import DNAData
import Figures
import FileIO
import RegulatoryCNN

extension Seqgen.CNN {
    struct Variants: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "variants",
            abstract: "Variant effects: each VCF variant's change of a CNN's predictions (the model's window centred on it, reference against alternative allele).",
            discussion: "Writes chrom,pos,id,ref,alt and per task TASK_ref, TASK_alt (probabilities) and TASK_log_odds (logit(alt) − logit(ref), DeepSEA's log-odds change) as CSV, to stdout without -o; of a regression CNN TASK_ref, TASK_alt (predicted values) and TASK_change (alt − ref). Multi-allelic rows give one line per ALT; an insertion or deletion keeps the window's left end (the alternative sequence cut to the model's length); symbolic, missing or ambiguous alleles (<DEL>, *, N) are left out and counted. The genome's bases must match each REF; a window that runs off a chromosome end reads N there (a warning counts them)."
        )

        @Argument(help: "Model (.npz from `seqgen cnn train`).")
        var model: String

        @Option(help: "Variants (VCF, bgzipped or not).")
        var vcf: String

        @Option(help: "Genome FASTA (gzipped or not) the VCF's coordinates refer to.")
        var genome: String

        @Option(name: .shortAndLong, help: "Output CSV (default or -: stdout).")
        var output: String?

        @Option(parsing: .unconditional, help: "Sequences per forward batch.")
        var batchSize = 500

        @Option(help: "Also draw each task's log-odds changes (a regression: changes of the predicted value), variants ranked from the most damaging (.png or .svg; labelled by ID when at most 50).")
        var plot: String?

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try runtime.apply(ownThreading: true)
            let toFile = output.flatMap { $0 == "-" ? nil : $0 }
            let outputs = try declareOutputs(force: force, toFile, plot)
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be positive") }
            let m = try CNNModel.read(model)
            let (variants, skipped) = try VCFFile.read(vcf)
            if skipped > 0 { log("\(vcf): \(skipped) allele(s) left out: symbolic, missing or ambiguous (<DEL>, *, N)") }
            guard !variants.isEmpty else { throw FileIOError(path: vcf, "no variant spelled in bases to score\(skipped > 0 ? ": all \(skipped) allele(s) are symbolic, missing or ambiguous (<*>, <DEL>, *, N)" : "") (nothing written)") }
            let bar = ProgressBar("genome", total: Set(variants.map(\.chromosome)).count, quiet: runtime.quiet)
            var predicting: ProgressBar?                                  // both alleles, batch by batch
            let effects = try VariantEffects(model: m, genome: genome, variants: variants, source: vcf, batchSize: batchSize,
                                             progress: { done, _ in bar.update(done) }, predicted: { done, total in
                if predicting == nil { bar.finish(); predicting = ProgressBar("predict", total: total, quiet: runtime.quiet) }
                predicting?.update(done)
            })
            predicting?.finish()
            if effects.paddedWindows > 0 {
                warn("\(vcf): \(effects.paddedWindows) variant(s) lie within \(m.length / 2) bp of a chromosome end: their windows read N (0.25 in every channel) off the chromosome")
            }
            try outputs.write {
                if let toFile { try AtomicFile.write(effects.csv, to: toFile, overwrite: force) }
                if let plot {
                    var chart = Self.ranked(effects)
                    figure.apply(&chart)
                    try figure.write(chart.render(), to: plot, overwrite: force)
                }
            }
            if let toFile { wrote(toFile) } else { print(effects.csv, terminator: "") }
            if let plot { wrote(plot) }
            log("scored \(variants.count) variant(s) in the model's \(m.length)-bp window")
        }

        /// Per task, the variants' log-odds (or predicted value) changes in increasing order against their rank (the most
        /// damaging first), a zero line in view; points named by ID (or chrom:pos ref>alt) when few.
        static func ranked(_ e: VariantEffects) -> Chart {
            let names = e.variants.map { $0.id == "." ? "\($0.chromosome):\($0.position) \($0.reference)>\($0.alternative)" : $0.id }
            let series = e.taskNames.enumerated().map { t, task in
                let order = e.variants.indices.sorted { e.change($0, task: t) < e.change($1, task: t) }
                return Chart.Series(e.taskNames.count > 1 ? task : "", x: order.indices.map { Double($0 + 1) }, y: order.map { Double(e.change($0, task: t)) },
                                    style: .points, color: Canvas.Color.categorical[t % Canvas.Color.categorical.count],
                                    labels: e.taskNames.count == 1 ? order.map { names[$0] } : nil)
            }
            var chart = Chart(title: "variant effects", xLabel: "variant rank (most damaging first)", yLabel: e.objective == .classification ? "log-odds change, logit(alt) − logit(ref)" : "change of the prediction, alt − ref",
                              series: series, note: "\(e.variants.count) variant(s)")
            chart.yIncludes = [0]
            return chart
        }
    }
}
