import ArgumentParser
import Console
import DNAData
import FileIO
import RegulatoryCNN

extension Seqgen.CNN {
    struct Variants: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "variants",
            abstract: "Variant effects: each VCF variant's change of a CNN's predictions (the model's window centred on it, reference against alternative allele).",
            discussion: "Writes chrom,pos,id,ref,alt and per task TASK_ref, TASK_alt (probabilities) and TASK_log_odds (logit(alt) − logit(ref), DeepSEA's log-odds change) as CSV, to stdout without -o. Multi-allelic rows give one line per ALT; an insertion or deletion keeps the window's left end (the alternative sequence cut to the model's length); symbolic, missing or ambiguous alleles (<DEL>, *, N) are left out and counted. The genome's bases must match each REF."
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

        @Flag(help: "Overwrite an existing output.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try runtime.apply(ownThreading: true)
            let toFile = output.flatMap { $0 == "-" ? nil : $0 }
            let outputs = try declareOutputs(force: force, toFile)
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be positive") }
            let m = try CNNModel.read(model)
            let (variants, skipped) = try VCFFile.read(vcf)
            if skipped > 0 { log("\(vcf): \(skipped) allele(s) left out: symbolic, missing or ambiguous (<DEL>, *, N)") }
            guard !variants.isEmpty else { throw FileIOError(path: vcf, "no variant spelled in bases to score (nothing written)") }
            let bar = ProgressBar("genome", total: Set(variants.map(\.chromosome)).count, quiet: runtime.quiet)
            let effects = try VariantEffects(model: m, genome: genome, variants: variants, source: vcf, batchSize: batchSize) { done, _ in bar.update(done) }
            bar.finish()
            if let toFile { try outputs.write { try AtomicFile.write(effects.csv, to: toFile, overwrite: force) }; wrote(toFile) } else { print(effects.csv, terminator: "") }
            log("scored \(variants.count) variant(s) in the model's \(m.length)-bp window")
        }
    }
}
