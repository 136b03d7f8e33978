import ArgumentParser

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score predictions against ground truth.",
        subcommands: [EvalContactsCommand.self, EvalMutationsCommand.self, EvalGenerativeCommand.self]
    )
}
