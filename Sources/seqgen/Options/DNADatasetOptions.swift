import ArgumentParser
import DNAData
import Console

/// How a CNN command reads its dataset: `.npz`/HDF5 with X_/Y_{train,valid,test}, or FASTA with a
/// CSV/TSV label table (`--labels`), split by its `split` column or 70/10/20 by `--split-seed`.
struct DNADatasetOptions: ParsableArguments {
    @Option(help: "Labels (CSV/TSV: id column, one column per task, optional 'split' column) when the dataset is FASTA.")
    var labels: String?

    @Option(help: "Task columns of --labels to read, comma-separated header names, in that order (other columns such as coordinates are ignored; default every column but the id and split).")
    var labelColumns: String?

    @Option(parsing: .unconditional, help: "FASTA datasets without a split column: seed of the 70/10/20 train/valid/test split.")
    var splitSeed: UInt64 = 0

    /// The dataset, its labels checked against `objective` (a model's, or `--objective`).
    func read(_ dataset: String, objective: Objective = .classification) throws -> DNASplits {
        if labelColumns != nil && labels == nil { throw ValidationError("--label-columns chooses columns of --labels: give the label table too") }
        if let labels {
            let columns = labelColumns.map { $0.split(separator: ",").map { String($0.trimmingWhitespace()) } }
            let data = try LabeledFASTA.read(fasta: dataset, labels: labels, objective: objective, columns: columns, seed: splitSeed)
            data.warnings.forEach { warn($0) }
            return data
        }
        if LabeledFASTA.isFASTAPath(dataset) {
            throw ValidationError("\(dataset) is FASTA: give its labels with --labels FILE (CSV/TSV with an id column and one column per task)")
        }
        return try DNASplits.read(dataset, objective: objective)
    }

    /// The dataset and its `split` ("train", "valid" or "test"), which must hold sequences.
    func read(_ dataset: String, split: String, objective: Objective = .classification) throws -> (DNASplits, DNADataset) {
        let data = try read(dataset, objective: objective)
        return (data, try Self.split(split, of: data, path: dataset))
    }

    /// `data`'s split named by `--split`, which must hold sequences.
    static func split(_ name: String, of data: DNASplits, path: String) throws -> DNADataset {
        guard let set = data.split(named: name) else { throw ValidationError("--split must be train, valid or test") }
        try data.requireSequences(in: name, path: path)
        return set
    }
}
