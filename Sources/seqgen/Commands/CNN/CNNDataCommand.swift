import Console
import ArgumentParser
import DNAData
import Motifs
import Statistics

extension Seqgen.CNN {
    struct Data: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "data",
            abstract: "Summarise a DNA dataset (.npz or HDF5 with X_/Y_{train,valid,test}, or FASTA with --labels): sizes, tasks, label balance; -o converts it to .npz. With --bed and --genome: build one from peak files.",
            discussion: "From peaks (Basset/DeepSEA's recipe): one window of --length bases centred on each peak's summit (narrowPeak column 10; the midpoint without one), one task per BED file, a window positive for task t when its centre lies in a peak of t; negatives by --negatives; splits by held-out chromosomes (--valid-chromosomes, --test-chromosomes) or 70/10/20 over the peaks (--split-seed). Windows off a chromosome's end or holding N are dropped and counted."
        )

        @Argument(help: "Dataset (.npz, .h5, or FASTA with --labels); none with --bed.")
        var dataset: String?

        @OptionGroup var input: DNADatasetOptions

        @Option(help: "What the labels are: classification (in [0, 1]; the summary counts positives) or regression (any finite values, such as log activities; the summary gives their mean ± sd). Peak datasets are classification.")
        var objective = Objective.classification

        @Option(help: "Peak file (BED or narrowPeak, gzipped or not), one task each; repeat for several tasks.")
        var bed: [String] = []

        @Option(help: "Genome FASTA (gzipped or not) the --bed coordinates refer to.")
        var genome: String?

        @Option(parsing: .unconditional, help: "--bed: window length in bases.")
        var length = 200

        @Option(help: "--bed negatives: shuffle (a dinucleotide-shuffled copy of each positive window), flank (windows --flank-distance either side of each peak that overlap no peak), gc (for each positive, a window of its chromosome with the same GC content to 2% that overlaps no peak: gkmSVM's and ChromBPNet's background) or none (several BED files' peaks alone).")
        var negatives: PeakDataset.Negatives = .shuffle

        @Option(parsing: .unconditional, help: "--negatives flank: distance of the negative windows' centres from the peak's (default: 3 × --length).")
        var flankDistance: Int?

        @Option(help: "--bed: regions no window may overlap (BED; e.g. ENCODE's blacklist): peaks there are dropped, no negative is drawn there.")
        var exclude: String?

        @Option(help: "--bed: chromosomes held out for validation, comma-separated (e.g. chr8).")
        var validChromosomes: String?

        @Option(help: "--bed: chromosomes held out for testing, comma-separated (e.g. chr9); no window of them is trained on.")
        var testChromosomes: String?

        @Option(name: .shortAndLong, help: "Write the dataset (all three splits) to this .npz.")
        var output: String?

        @Flag(help: "Overwrite an existing output.")
        var force = false

        @OptionGroup var verbosity: OutputOptions

        func run() throws {
            let outputs = try declareOutputs(force: force, output)
            let splits: DNASplits, source: String
            if bed.isEmpty {
                guard let dataset else { throw ValidationError("give a dataset, or --bed PEAKS and --genome FASTA to build one") }
                guard genome == nil, exclude == nil else { throw ValidationError("--genome and --exclude go with --bed") }
                (splits, source) = (try input.read(dataset, objective: objective), dataset)
            } else {
                guard objective == .classification else { throw ValidationError("--bed labels windows by peak overlap (classification); --objective regression goes with measured labels") }
                guard dataset == nil, input.labels == nil else { throw ValidationError("--bed builds a dataset from peaks: give no dataset file or --labels beside it") }
                guard let genome else { throw ValidationError("--bed needs --genome FASTA (the assembly its coordinates refer to)") }
                guard length >= 2 else { throw ValidationError("--length must be at least 2") }
                if let flankDistance, flankDistance < length { throw ValidationError("--flank-distance must be at least --length (\(length)), or the flank windows overlap the peak's") }
                var recipe = PeakDataset()
                recipe.length = length; recipe.negatives = negatives; recipe.flankDistance = flankDistance; recipe.seed = input.splitSeed
                recipe.validChromosomes = validChromosomes.map(Self.names) ?? []
                recipe.testChromosomes = testChromosomes.map(Self.names) ?? []
                recipe.excluded = try exclude.map(BEDFile.read) ?? []
                let bar = DeferredProgressBar("genome", quiet: verbosity.quiet)      // chromosomes with windows read
                splits = try recipe.build(beds: bed, genome: genome, progress: bar.report)
                bar.finish()
                splits.warnings.forEach { warn($0) }
                source = bed.joined(separator: ", ") + " in " + genome
            }
            if let output {
                try outputs.write { try splits.write(to: output, overwrite: force) }
                log("wrote \(output)")
            }
            print("file:     \(source)")
            print("length:   \(splits.train.length) bp, \(splits.train.tasks) task(s): \(splits.taskNames.joined(separator: ", "))")
            for (name, set) in zip(DNASplits.splitNames, [splits.train, splits.valid, splits.test]) {
                if objective == .regression {
                    let summary = (0..<set.tasks).map { t -> String in
                        let v = (0..<set.count).map { Double(set.y.scalars[$0 * set.tasks + t]) }
                        let (mean, variance) = meanAndSampleVariance(v) ?? (v.first ?? 0, 0)
                        return "\(fixed(mean, 3)) ± \(fixed(variance.squareRoot(), 3))"
                    }.joined(separator: ", ")
                    print("\(name.padding(6)) \(String(set.count).padding(7)) sequences, labels per task (mean ± sd): \(summary)")
                    continue
                }
                let positives = (0..<set.tasks).map { t in (0..<set.count).filter { set.y.scalars[$0 * set.tasks + t] > 0.5 }.count }
                let rate = positives.map { fixed(Double($0) / Double(Swift.max(set.count, 1)) * 100, 1) + "%" }.joined(separator: " ")
                print("\(name.padding(6)) \(String(set.count).padding(7)) sequences, positives per task: \(rate)\(set.groundTruth == nil ? "" : ", ground truth")")
            }
        }

        static func names(_ list: String) -> [String] { list.split(separator: ",").map { String(String($0).trimmingWhitespace()) }.filter { !$0.isEmpty } }
    }
}

extension PeakDataset.Negatives: ExpressibleByArgument {}
