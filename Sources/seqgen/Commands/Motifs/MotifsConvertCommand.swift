import ArgumentParser
import Console
import FileIO
import Motifs

extension Seqgen.Motifs {
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Convert motif files between MEME (Tomtom, FIMO), JASPAR count matrices and TRANSFAC.",
            discussion: """
            The input's format is read from its content, the output's from its name: JASPAR counts for \
            .jaspar or .pfm, TRANSFAC records for .transfac, MEME text format otherwise. MEME probabilities become JASPAR counts of the \
            motif's nsites= (\(Int(Motif.defaultSites)) when absent), rounded; JASPAR counts become \
            probabilities with nsites= the first column's count. --motif keeps only the named motifs.
            """
        )

        @Argument(help: "Motif file (MEME, JASPAR, TRANSFAC, HOMER or Cluster-Buster; gzip allowed).")
        var input: String

        @Option(name: .shortAndLong, help: "Output: .meme (or any other name) for MEME, .jaspar or .pfm for JASPAR, .transfac for TRANSFAC.")
        var output: String

        @Option(help: "Only these motifs, by ID or name, comma-separated.")
        var motif: String?

        @Flag(help: "Overwrite an existing output.")
        var force = false

        @OptionGroup var verbosity: OutputOptions

        func run() throws {
            let outputs = try declareOutputs(force: force, output)
            var motifs = try MotifFile.read(input)
            if let motif { motifs = try motifs.selecting(motif, path: input) }
            try outputs.write { try AtomicFile.write(MotifFile.render(motifs, for: output), to: output, overwrite: force) }
            log("\(motifs.count) motif(s) from \(input) → \(output)")
        }
    }
}
