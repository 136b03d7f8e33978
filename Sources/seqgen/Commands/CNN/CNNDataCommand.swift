import Console
import ArgumentParser
import DNAData
import Motifs

extension Seqgen.CNN {
    struct Data: ParsableCommand {
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
}
