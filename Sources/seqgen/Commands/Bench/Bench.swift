import ArgumentParser

extension Seqgen {
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench",
            abstract: "Measure kernel throughput.",
            subcommands: [Core.self, Potts.self, CNN.self]
        )
    }
}
