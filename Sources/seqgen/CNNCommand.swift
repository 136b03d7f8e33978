import Console
import ArgumentParser
import DNAData
import Motifs

extension SyntheticMotifs.Task: ExpressibleByArgument {}

/// `seqgen cnn …`: the regulatory-genomics side (DNA datasets; models and attribution build on these).
struct CNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn",
        abstract: "Regulatory CNN toolkit: DNA datasets, synthetic benchmarks, training and evaluation.",
        subcommands: [CNNSynthCommand.self, CNNDataCommand.self, CNNTrainCommand.self, CNNPredictCommand.self, CNNEvaluateCommand.self, CNNAttributeCommand.self, CNNInterpretabilityCommand.self]
    )
}

struct CNNSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate a synthetic TF-binding benchmark with known motif positions (.npz).",
        discussion: """
        Uniform background; k motif instances per sequence (k uniform in --motifs-per-sequence), \
        sampled from JASPAR/MEME PWMs on a random strand at random non-overlapping positions. \
        multi: one task per motif (default the 12 TFs of Koo & Eddy 2019: \
        \(SyntheticMotifs.multiNames.joined(separator: ", "))), 30,000 sequences. \
        code: one binary task, positives carry core motifs (\(SyntheticMotifs.codeCore.joined(separator: ", "))), \
        negatives decoys (the other multi-task motifs), 20,000 sequences. Writes X_/Y_/model_{train,valid,test} \
        (70/10/20%) with model_* the ground-truth PWM at each position (0.25 = background).
        """
    )

    @Option(help: "Motif file (JASPAR or MEME), e.g. ../shared/data/regulatory/JASPAR2016_CORE_vertebrates.pfm.")
    var motifs: String

    @Option(name: .shortAndLong, help: "Output dataset (.npz).")
    var output: String

    @Option(help: "multi or code.")
    var task = SyntheticMotifs.Task.multi

    @Option(help: "Motif names to embed (comma-separated; default: the published set for the task).")
    var names: String?

    @Option(help: "code task: decoy motif names (comma-separated; default: the multi-task motifs outside the core).")
    var decoys: String?

    @Option(help: "Number of sequences (default 30000 for multi, 20000 for code).")
    var count: Int?

    @Option(help: "Sequence length.")
    var length = 200

    @Option(help: "Motif instances per sequence, MIN-MAX.")
    var motifsPerSequence = "1-5"

    @Option(help: "Random seed.")
    var seed: UInt64 = 0

    @Flag(help: "Overwrite an existing output file.")
    var force = false

    @OptionGroup var verbosity: OutputOptions

    func run() throws {
        let outputs = try declareOutputs(force: force, output)
        let parts = motifsPerSequence.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 1, parts[1] >= parts[0] else { throw ValidationError("--motifs-per-sequence: expected MIN-MAX, e.g. 1-5") }
        let all = try MotifFile.read(motifs)
        func list(_ s: String?, _ defaults: [String]) -> [String] { s.map { $0.split(separator: ",").map(String.init) } ?? defaults }
        do {
            let core = try SyntheticMotifs.select(list(names, task == .multi ? SyntheticMotifs.multiNames : SyntheticMotifs.codeCore), from: all)
            let decoyMotifs = task == .code ? try SyntheticMotifs.select(list(decoys, SyntheticMotifs.codeDecoys), from: all) : []
            let generator = SyntheticMotifs(task: task, motifs: core, decoys: decoyMotifs, count: count ?? (task == .multi ? 30000 : 20000),
                                            length: length, motifsPerSequence: parts[0]...parts[1], seed: seed)
            let clock = Stopwatch()
            let splits = try generator.generate()
            try outputs.write { try splits.write(to: output, overwrite: force) }
            log("wrote \(output): \(splits.train.count)/\(splits.valid.count)/\(splits.test.count) train/valid/test × \(length) bp, \(splits.taskNames.count) task(s) (\(fixed(clock.seconds, 2)) s)")
        } catch let e as SyntheticMotifs.SyntheticError {
            throw ValidationError("\(motifs): \(e.description)")
        }
    }
}

struct CNNDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Summarise a DNA dataset (.npz or HDF5 with X_/Y_{train,valid,test}, or FASTA with --labels): sizes, tasks, label balance; -o converts it to .npz."
    )

    @Argument(help: "Dataset (.npz, .h5, or FASTA with --labels).")
    var dataset: String

    @OptionGroup var input: DNADatasetOptions

    @Option(name: .shortAndLong, help: "Write the dataset (all three splits) to this .npz.")
    var output: String?

    @Flag(help: "Overwrite an existing output.")
    var force = false

    @OptionGroup var verbosity: OutputOptions

    func run() throws {
        let outputs = try declareOutputs(force: force, output)
        let splits = try input.read(dataset)
        if let output {
            try outputs.write { try splits.write(to: output, overwrite: force) }
            log("wrote \(output)")
        }
        print("file:     \(dataset)")
        print("length:   \(splits.train.length) bp, \(splits.train.tasks) task(s): \(splits.taskNames.joined(separator: ", "))")
        for (name, set) in zip(DNASplits.splitNames, [splits.train, splits.valid, splits.test]) {
            let positives = (0..<set.tasks).map { t in (0..<set.count).filter { set.y.scalars[$0 * set.tasks + t] > 0.5 }.count }
            let rate = positives.map { fixed(Double($0) / Double(Swift.max(set.count, 1)) * 100, 1) + "%" }.joined(separator: " ")
            print("\(name.padding(6)) \(String(set.count).padding(7)) sequences, positives per task: \(rate)\(set.groundTruth == nil ? "" : ", ground truth")")
        }
    }
}
