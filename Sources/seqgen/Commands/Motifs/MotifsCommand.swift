import ArgumentParser
import Console

extension Seqgen {
    /// `seqgen motifs …`: motif files on their own (comparison against a database, scanning, conversion).
    struct Motifs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "motifs",
            abstract: "Motif files: compare motifs with a database (Tomtom's method), scan sequences for them (FIMO's), convert between MEME, JASPAR and TRANSFAC (MEME/STREME/DREME XML, HOMER and Cluster-Buster read too).",
            subcommands: [Compare.self, Scan.self, Convert.self]
        )
    }
}

