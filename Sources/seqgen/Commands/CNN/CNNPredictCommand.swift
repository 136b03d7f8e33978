import ArgumentParser
import Console
import DNAData
import FileIO
import NumPyIO
import RegulatoryCNN
import Tensors

extension Seqgen.CNN {
    struct Predict: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "predict",
            abstract: "Predict task probabilities (or logits; a regression: its predicted values) for sequences: FASTA, a split of a dataset, or genome regions (--bed with --genome).",
            discussion: "Writes one row per sequence (id, then one column per task) as CSV, TSV (by extension), or an (N, T) .npy; to stdout without -o. --bed: the model's window centred on each region's summit (narrowPeak column 10, else its midpoint), ids chrom:start-end of the window (0-based, half-open, as BED); a window that runs off a chromosome end reads N there (a warning counts them)."
        )

        @Argument(help: "Model (.npz from `seqgen cnn train`).")
        var model: String

        @Argument(help: "Sequences: FASTA (optionally .gz; every sequence the model's length, or any with --fit-length; - reads standard input) or a dataset (.npz, .h5); none with --bed.")
        var input: String?

        @Option(help: "Regions to predict (BED or narrowPeak) in --genome: the model's window centred on each summit or midpoint.")
        var bed: String?

        @Option(help: "Genome FASTA (gzipped or not) for --bed.")
        var genome: String?

        @Option(name: .shortAndLong, help: "Output: .csv, .tsv or .npy (default or -: CSV on stdout).")
        var output: String?

        @Option(help: "Dataset input: split to predict (train, valid or test; default test).")
        var split: String?

        @Flag(help: "Write logits instead of probabilities σ(logit).")
        var logits = false

        @Option(parsing: .unconditional, help: "Sequences per forward batch.")
        var batchSize = 500

        @Flag(help: "FASTA of other lengths than the model's: crop longer sequences to their central L bp, pad shorter ones with N (0.25 per base) split between the two ends.")
        var fitLength = false

        @Flag(help: "Refuse sequences with N or other IUPAC ambiguity codes (by default they are encoded as 0.25 per base, with a warning).")
        var strict = false

        @Flag(help: "Overwrite an existing output.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try runtime.apply(ownThreading: true)
            let toFile = output.flatMap { $0 == "-" ? nil : $0 }
            let outputs = try declareOutputs(force: force, toFile)
            guard batchSize >= 1 else { throw ValidationError("--batch-size must be positive") }
            let m = try CNNModel.read(model)
            if logits && m.objective == .regression { throw ValidationError("\(model) is a regression: its outputs are predicted values, written as they are; --logits goes with classifiers") }
            // A dataset's one-hot sequences, or the bases of FASTA sequences or --bed's windows, one-hot
            // encoded a batch at a time (memory: N·L bytes, not N·4·L floats).
            let ids: [String], x: Tensor?, bases: [[UInt8]]
            guard (input == nil) != (bed == nil) else { throw ValidationError(bed == nil ? "give the sequences to predict (FASTA or a dataset), or --bed REGIONS with --genome" : "--bed predicts genome regions: give no sequence file beside it") }
            guard (bed == nil) == (genome == nil) else { throw ValidationError(bed == nil ? "--genome goes with --bed" : "--bed needs --genome FASTA (the assembly its coordinates refer to)") }
            if fitLength && (input == nil || !LabeledFASTA.looksLikeFASTA(input!)) { throw ValidationError("--fit-length brings FASTA sequences to the model's length; a dataset's or --bed's windows already have it") }
            if let bed, let genome {
                if let split { throw ValidationError("--split \(split) picks a split of a dataset; --bed predicts every region") }
                let regions = try BEDFile.read(bed), half = m.length / 2
                let windows = regions.map { ($0.chromosome, $0.centre - half) }
                let bar = DeferredProgressBar("genome", quiet: runtime.quiet)      // chromosomes read
                var chromosomeLength: [String: Int] = [:]
                let cut = try GenomeWindows.extract(genome, windows: windows, length: m.length, paddedWithN: true, source: bed,
                                                    progress: bar.report) { name, bases in chromosomeLength[name] = bases.count }
                bar.finish()
                if let k = regions.indices.first(where: { regions[$0].centre >= chromosomeLength[regions[$0].chromosome] ?? 0 }) {
                    throw FileIOError(path: bed, line: regions[k].line, "the region's centre \(regions[k].chromosome):\(regions[k].centre) lies past the end of chromosome \(regions[k].chromosome) (\(chromosomeLength[regions[k].chromosome] ?? 0) bp in \(genome)): do the BED file and the genome share an assembly?")
                }
                // The padding is not an ambiguity of the genome's: only the bases on the chromosome are checked.
                let onChromosome = zip(windows, cut).map { w, c in
                    String(decoding: c![max(0, -w.1)..<min(m.length, (chromosomeLength[w.0] ?? 0) - w.1)], as: UTF8.self)
                }
                let padded = onChromosome.filter { $0.utf8.count < m.length }.count
                if padded > 0 { warn("\(bed): \(padded) region(s) lie within \(half) bp of a chromosome end: their windows read N (0.25 in every channel) off the chromosome") }
                ids = windows.map { "\($0.0):\($0.1)-\($0.1 + m.length)" }
                try checkAmbiguity(onChromosome, ids: ids, source: bed)
                x = nil
                bases = cut.map { $0! }
            } else if let input, LabeledFASTA.looksLikeFASTA(input) {
                if let split { throw ValidationError("--split \(split) picks a split of a dataset; \(input) is FASTA: every sequence is predicted") }
                let fasta = try LabeledFASTA.readFASTA(input, sameLength: false)
                if !fitLength, let k = fasta.sequences.firstIndex(where: { $0.utf8.count != m.length }) {
                    throw FileIOError(path: input, "sequence '\(fasta.ids[k])' is \(fasta.sequences[k].utf8.count) bp; the model expects \(m.length) (--fit-length crops or pads sequences around their centres)")
                }
                ids = fasta.ids
                if fitLength {
                    let (longer, shorter) = (fasta.sequences.filter { $0.utf8.count > m.length }.count, fasta.sequences.filter { $0.utf8.count < m.length }.count)
                    if longer + shorter > 0 { log("\(input): \(longer) sequence(s) cropped and \(shorter) padded with N to the model's \(m.length) bp around their centres") }
                }
                try checkAmbiguity(fasta.sequences, ids: ids, source: input)
                x = nil
                bases = fasta.sequences.map { Array((fitLength ? CentredWindow.fit($0, length: m.length) : $0).utf8) }
            } else {
                let input = input!
                let split = split ?? "test", set = try DNADatasetOptions.split(split, of: try DNASplits.read(input, objective: m.objective), path: input)
                ids = (0..<set.count).map { "\(split)\($0)" }; x = set.x; bases = []
            }
            if let x, x.shape[2] != m.length { throw ValidationError("\(input ?? ""): sequences of \(x.shape[2]) bp; the model expects \(m.length)") }
            let bar = ProgressBar("predict", total: ids.count, quiet: runtime.quiet || ids.count < 20 * batchSize)
            let inference = m.network.foldedForInference()
            var out = Tensor(shape: [ids.count, m.tasks], scalars: Tensor.mapRowRanges(count: ids.count, size: batchSize) { rows in
                defer { bar.advance(by: rows.count) }
                return m.predict(x?.rows(rows) ?? OneHot.encode(bytes: Array(bases[rows])), batchSize: batchSize, inference: inference)
            })
            bar.finish()
            if !logits && m.objective == .classification { out = out.sigmoid() }
            if let toFile, toFile.lowercased().hasSuffix(".npy") {
                try outputs.write { try NPYFormat.write(NumPyArray(out), to: toFile, overwrite: force) }
                wrote(toFile)
                return
            }
            let sep: Character = toFile?.lowercased().hasSuffix(".tsv") == true ? "\t" : ","
            var text = (["id"] + m.taskNames).map { $0.csvField(separator: sep) }.joined(separator: String(sep)) + "\n"
            for (n, id) in ids.enumerated() {
                text += ([id.csvField(separator: sep)] + (0..<m.tasks).map { fixed(Double(out.scalars[n * m.tasks + $0]), 6) }).joined(separator: String(sep)) + "\n"
            }
            if let toFile { try outputs.write { try AtomicFile.write(text, to: toFile, overwrite: force) }; wrote(toFile) } else { print(text, terminator: "") }
        }

        /// Warns of N and other ambiguity codes (0.25 per base when encoded), or refuses them with
        /// --strict — judged on the sequences as given (before --fit-length's or --bed's N padding).
        func checkAmbiguity(_ sequences: [String], ids: [String], source: String) throws {
            let ambiguous = AmbiguousBases(sequences)
            if !ambiguous.isEmpty {
                let first = ids[ambiguous.firstSequence!]
                if strict { throw FileIOError(path: source, "\(ambiguous) (first: '\(first)'); --strict refuses them") }
                log("warning: \(source): \(ambiguous) (first: '\(first)'), encoded as 0.25 in every channel; --strict refuses them")
            }
        }
    }
}
