import ArgumentParser

extension Seqgen {
    /// `seqgen motifs …`: motif files on their own (comparison against a database, conversion).
    struct Motifs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "motifs",
            abstract: "Motif files: compare motifs with a database (Tomtom's method), convert between MEME and JASPAR.",
            subcommands: [Compare.self, Convert.self]
        )
    }
}
