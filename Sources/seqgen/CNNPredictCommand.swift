import ArgumentParser
import Console
import DNAData
import FileIO
import NumPyIO
import RegulatoryCNN
import Tensors

struct CNNPredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict task probabilities (or logits) for sequences: FASTA, or a split of a dataset.",
        discussion: "Writes one row per sequence (id, then one column per task) as CSV, TSV (by extension), or an (N, T) .npy; to stdout without -o."
    )

    @Argument(help: "Model (.npz from `seqgen cnn train`).")
    var model: String

    @Argument(help: "Sequences: FASTA (optionally .gz; every sequence the model's length) or a dataset (.npz, .h5).")
    var input: String

    @Option(name: .shortAndLong, help: "Output: .csv, .tsv or .npy (default: CSV on stdout).")
    var output: String?

    @Option(help: "Dataset input: split to predict (train, valid or test).")
    var split = "test"

    @Flag(help: "Write logits instead of probabilities σ(logit).")
    var logits = false

    @Option(help: "Sequences per forward batch.")
    var batchSize = 500

    @Flag(help: "Overwrite an existing output.")
    var force = false

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        try runtime.apply(ownThreading: true)
        let outputs = try declareOutputs(force: force, output)
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be positive") }
        let m = try CNNModel.read(model)
        let ids: [String], x: Tensor
        if LabeledFASTA.isFASTAPath(input) {
            let fasta = try LabeledFASTA.readFASTA(input)
            ids = fasta.ids; x = OneHot.encode(fasta.sequences)
        } else {
            guard let set = try DNASplits.read(input).split(named: split) else { throw ValidationError("--split must be train, valid or test") }
            ids = (0..<set.count).map { "\(split)\($0)" }; x = set.x
        }
        guard x.shape[2] == m.length else { throw ValidationError("\(input): sequences of \(x.shape[2]) bp; the model expects \(m.length)") }
        let bar = ProgressBar("predict", total: ids.count, quiet: runtime.quiet || ids.count < 20 * batchSize)
        let inference = m.network.foldedForInference()
        var out = Tensor(shape: [ids.count, m.tasks], scalars: x.mapRowBatches(size: batchSize) { batch in
            defer { bar.advance(by: batch.shape[0]) }
            return m.predict(batch, batchSize: batchSize, inference: inference)
        })
        bar.finish()
        if !logits { out = out.sigmoid() }
        if let output, output.lowercased().hasSuffix(".npy") {
            try outputs.write { try NPYFormat.write(NumPyArray(out), to: output, overwrite: force) }
            wrote(output)
            return
        }
        let sep = output?.lowercased().hasSuffix(".tsv") == true ? "\t" : ","
        var text = (["id"] + m.taskNames).joined(separator: sep) + "\n"
        for (n, id) in ids.enumerated() {
            text += ([id] + (0..<m.tasks).map { fixed(Double(out.scalars[n * m.tasks + $0]), 6) }).joined(separator: sep) + "\n"
        }
        if let output { try outputs.write { try AtomicFile.write(text, to: output, overwrite: force) }; wrote(output) } else { print(text, terminator: "") }
    }
}
