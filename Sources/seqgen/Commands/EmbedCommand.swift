import ArgumentParser
import Archive
import Console
import FileIO
import NumPyIO
import LanguageModel
import Pipelines

extension Seqgen {
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "embed",
            abstract: "Sequence representations from a model: mean-pooled (N, D) or per-residue (N, T, D) .npy.",
            discussion: "LM: the final layer's representations (after the final layer norm) of each sequence's residues; mean-pooled over residues, or per residue zero-padded to the longest sequence T (--per-residue). Gaps are removed; insert residues kept."
        )
        @Argument(help: "Model file (.npz) from `seqgen fit --model lm`.")
        var model: String
        @Argument(help: "Sequences (FASTA, A2M, A3M or .aln; gaps removed).")
        var sequences: String
        @Option(name: .shortAndLong, help: "Output .npy.")
        var output: String
        @Flag(help: "Per-residue representations (N, T, D), zero-padded, instead of the mean over residues.")
        var perResidue = false
        @Flag(help: "Overwrite an existing output.")
        var force = false
        @OptionGroup var verbosity: OutputOptions

        func run() throws {
            let outputs = try declareOutputs(force: force, output)
            let archive = try ModelArchive.read(model, need: "embed needs a language model (seqgen fit --model lm)")
            switch archive.kind {
            case .lm: try embedLanguageModel(archive, outputs: outputs)
            default: throw ValidationError("\(model): a \(archive.modelType) model; embed needs a language model (seqgen fit --model lm)")
            }
        }

        /// LM: the final layer's representations of each sequence (`LanguageModelEmbedding`).
        func embedLanguageModel(_ archive: ModelArchive, outputs: OutputSet) throws {
            let (lm, _) = try archive.languageModel(path: model)
            let raw = try RawSequences.read(sequences)
            let array = try LanguageModelEmbedding.embed(lm, sequences: raw, source: sequences, perResidue: perResidue)
            try outputs.write { try NPYFormat.write(array, to: output, overwrite: force) }
            wrote(output, "(\(raw.count) sequences, \(perResidue ? "per residue" : "mean-pooled"), D = \(lm.configuration.dimension))")
        }
    }
}
