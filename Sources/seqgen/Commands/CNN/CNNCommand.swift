import Console
import ArgumentParser
import DNAData
import Motifs

extension Seqgen {
    /// `seqgen cnn …`: the regulatory-genomics side (DNA datasets; models and attribution build on these).
    struct CNN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cnn",
            abstract: "Regulatory CNN toolkit: DNA datasets, synthetic benchmarks, training and evaluation.",
            subcommands: [Synth.self, Data.self, Train.self, Predict.self, Variants.self, Evaluate.self, Attribute.self, Interpretability.self, Filters.self, Motifs.self, GIA.self, Design.self, Select.self, Attention.self, Interactions.self]
        )
    }
}
