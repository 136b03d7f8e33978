import ArgumentParser

extension Seqgen {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Score predictions against ground truth.",
            subcommands: [Contacts.self, Mutations.self, Generative.self]
        )
    }
}
