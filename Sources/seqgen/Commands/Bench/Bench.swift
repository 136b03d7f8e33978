import ArgumentParser

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure kernel throughput.",
        subcommands: [BenchCore.self, BenchPotts.self, BenchCNN.self]
    )
}
