import Console
import ArgumentParser
import DNAData
import Motifs

/// `seqgen cnn …`: the regulatory-genomics side (DNA datasets; models and attribution build on these).
struct CNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnn",
        abstract: "Regulatory CNN toolkit: DNA datasets, synthetic benchmarks, training and evaluation.",
        subcommands: [CNNSynthCommand.self, CNNDataCommand.self, CNNTrainCommand.self, CNNPredictCommand.self, CNNEvaluateCommand.self, CNNAttributeCommand.self, CNNInterpretabilityCommand.self]
    )
}
