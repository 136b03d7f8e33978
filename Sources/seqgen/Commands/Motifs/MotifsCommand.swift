import ArgumentParser

extension Seqgen {
    /// `seqgen motifs …`: motif files on their own (comparison against a database).
    struct Motifs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "motifs",
            abstract: "Motif files: compare motifs with a database (Tomtom's method).",
            subcommands: [Compare.self]
        )
    }
}
