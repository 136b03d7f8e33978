import ArgumentParser
import Potts
import Sequences
import NumPyIO
import FileIO
import Figures
import Tensors
import Saliency
import VAE
import Archive
import Console
import LanguageModel
import Pipelines

extension Seqgen {
    /// `seqgen embed`: latent means of aligned sequences under a VAE (`SequenceEmbedder`), or a
    /// language model's representations of raw sequences, as .npy, with an optional 2-D scatter (VAE).
    struct Embed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "embed",
            abstract: "Embed sequences with a model: a VAE's latent means (N × d, with a 2-D scatter) or a language model's representations (mean-pooled (N, D) or per-residue (N, T, D)).",
            discussion: """
            The sequences must be aligned to the model's columns (read like `fit` reads alignments: an A2M's \
            upper-case columns). The scatter shows the two latent coordinates (d = 2) or the first two \
            principal axes of the embeddings, coloured by --labels (CSV/TSV: name,label) or by the residue \
            at --color-column (a residue number of the model's focus). \
            LM: the final layer's representations (after the final layer norm) of each sequence's residues; \
            mean-pooled over residues, or per residue zero-padded to the longest sequence T (--per-residue). \
            Gaps are removed; insert residues kept.
            """
        )

        @Argument(help: "Model file (.npz) from `seqgen fit --model vae` or `--model lm`.")
        var model: String

        @Argument(help: "VAE: aligned sequences over the model's columns; LM: sequences (FASTA, A2M, A3M or .aln; gaps removed).")
        var sequences: String

        @Option(name: .shortAndLong, help: "Output embeddings (.npy, float32, N × d, rows in the file's order).")
        var output: String

        @Option(help: "Scatter plot (PNG or SVG).")
        var plot: String?

        @Option(help: "Colour the scatter by this label table (CSV or TSV with a header: name, label).")
        var labels: String?

        @Option(parsing: .unconditional, help: "Colour the scatter by the residue at this column (residue number of the model's focus).")
        var colorColumn: Int?

        @Flag(help: "LM: per-residue representations (N, T, D), zero-padded, instead of the mean over residues.")
        var perResidue = false

        @OptionGroup var input: AlignmentOptions

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var verbosity: OutputOptions

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        func validate() throws {
            if labels != nil && colorColumn != nil { throw ValidationError("give --labels or --color-column, not both") }
            if (labels != nil || colorColumn != nil) && plot == nil { throw ValidationError("--labels and --color-column colour the --plot; give --plot F.png") }
        }

        func run() throws {
            try requireExtension(output, ["npy"], holding: "a NumPy array")
            let outputs = try declareOutputs(force: force, output, plot)
            let archive = try ModelArchive.read(model, need: "embed needs a VAE or language model (seqgen fit --model vae or lm)")
            if archive.kind == .lm {
                if plot != nil || labels != nil || colorColumn != nil { throw ValidationError("--plot, --labels and --color-column are for VAE models") }
                if let option = (input.alignmentShaping + (input.focus != nil ? ["--focus"] : [])).first {
                    throw ValidationError("\(option) reads an alignment for a VAE; a language model embeds each record of \(sequences) as it stands (gaps removed)")
                }
                return try embedLanguageModel(archive, outputs: outputs)
            }
            guard archive.kind == .vae else {
                throw FileIOError(path: model, "a '\(archive.modelType)' model; embed needs a VAE or language model (seqgen fit --model vae or lm)")
            }
            if perResidue { throw ValidationError("--per-residue is for language models") }
            let embedder: any SequenceEmbedder = try VAEArchive.models(archive, path: model)[0]
            let msa = try input.read(sequences)
            guard msa.length == embedder.length else {
                throw FileIOError(path: sequences, "the alignment has \(msa.length) columns but the model \(model) has \(embedder.length); align the sequences to the model's columns")
            }
            guard msa.alphabet == archive.alphabet else { throw FileIOError(path: sequences, "alphabet differs from the model's") }
            let z = embedder.embed((0..<msa.count).map { Array(msa.row($0)) })
            var groups: [String]? = nil
            if let labels {
                let table = try EmbeddingLabels.read(labels)
                groups = EmbeddingLabels.groups(table, names: msa.names)
                if groups!.allSatisfy({ $0 == "unlabelled" }) { throw FileIOError(path: labels, "no sequence name of \(sequences) is in the label table") }
            } else if let colorColumn {
                guard let c = archive.column(ofResidue: colorColumn) else {
                    throw ValidationError("--color-column: residue \(colorColumn) is not a model column (numbered \(archive.residueRange) by the focus)")
                }
                groups = (0..<msa.count).map { String(UnicodeScalar(archive.alphabet.letters[Int(msa[$0, c])])) }
            }
            var chart: Chart?
            if plot != nil {
                var c = EmbeddingScatter.chart(z, groups: groups, title: "\(archive.focusName): VAE latent space",
                                               note: colorColumn.map { "coloured by the residue at \($0)" })
                figure.apply(&c)
                chart = c
            }
            try outputs.write {
                try NPYFormat.write(NumPyArray(z), to: output, overwrite: force)
                if let plot, let chart { try figure.write(chart.render(), to: plot, overwrite: force) }
            }
            log("embedded \(msa.count) sequences in \(z.shape[1]) dimensions → \(output)" + (plot.map { ", \($0)" } ?? ""))
        }
    
        /// LM: the final layer's representations of each sequence (`LanguageModelEmbedding`).
        func embedLanguageModel(_ archive: ModelArchive, outputs: OutputSet) throws {
            let (lm, _) = try archive.languageModel(path: model)
            let raw = try RawSequences.read(sequences)
            let bar = ProgressBar("embed", total: raw.count, quiet: verbosity.quiet)
            let array = try LanguageModelEmbedding.embed(lm, sequences: raw, source: sequences, perResidue: perResidue) { done, _ in bar.update(done) }
            bar.finish()
            try outputs.write { try NPYFormat.write(array, to: output, overwrite: force) }
            wrote(output, "(\(raw.count) sequences, \(perResidue ? "per residue" : "mean-pooled"), D = \(lm.configuration.dimension))")
        }
    }
}
