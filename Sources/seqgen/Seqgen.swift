import ArgumentParser
import Console
import Tensors
import Optimizers
#if canImport(Glibc)
import Glibc
#endif

@main
struct Seqgen: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "seqgen",
        abstract: "Generative models of biological sequences: Potts/PSSM/Gaussian models over MSAs, contacts, mutation effects, regulatory CNNs.",
        discussion: "Exit status: 0 success; 1 bad input or run-time failure; 2 usage error; 130/143 interrupted by SIGINT/SIGTERM.",
        version: version,
        subcommands: [Fit.self, Contacts.self, Score.self, Compare.self, Eval.self, Embed.self, Info.self, Simulate.self, Sample.self, Logo.self, Convert.self, CNN.self, Motifs.self, Bench.self]
    )

    /// Parse errors and `validate()` failures are usage errors (status 2, followed by the
    /// subcommand's usage); errors thrown while a command runs are bad input or run-time failures
    /// (status 1, the message alone); see `ExitStatus`.
    static func main() {
        BLASRuntime.keepFreedMemory()
        // A reader that goes away (`seqgen fit … 2>&1 | head`) must not kill a run mid-way, leaving
        // its locks and temporary files and losing the model: a write to a closed pipe fails (EPIPE)
        // and is dropped instead.
        _ = Glibc.signal(SIGPIPE, SIG_IGN)
        // Past a file-size limit (`ulimit -f`) the kernel would kill the run mid-write with SIGXFSZ,
        // leaving locks and temporary files: the write fails (EFBIG) and is reported instead.
        _ = Glibc.signal(SIGXFSZ, SIG_IGN)
        var command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(ExitStatus.success)
            }
            writeStandardError(usageMessage(for: error) + "\n")
            Glibc.exit(ExitStatus.usage)
        }
        do {
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch let stop as Interrupted {     // the message is printed; 128 + signal
            Glibc.exit(stop.exitStatus)
        } catch where exitCode(for: error) == .success {      // --help of a subcommand, CleanExit
            let text = fullMessage(for: error)
            if !text.isEmpty { print(text) }
            Glibc.exit(ExitStatus.success)
        } catch {
            writeStandardError("seqgen: error: \(message(for: error))\n")
            Glibc.exit(ExitStatus.failure)
        }
    }

    /// The parser's message, with "seqgen: error:" as every other error, and for an unknown option
    /// the closest option of the command typed (prefix first, then edit distance).
    static func usageMessage(for error: Error) -> String {
        var text = fullMessage(for: error)
        if text.hasPrefix("Error: ") { text = "seqgen: error: " + text.dropFirst(7) }
        let marker = "Unknown option '"
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (k, line) in lines.enumerated() {
            guard let at = line.indices.first(where: { line[$0...].hasPrefix(marker) }) else { continue }
            let rest = line[line.index(at, offsetBy: marker.count)...]
            let typed = String(rest.prefix { $0 != "'" })
            let suggestion = OptionSuggestion.closest(to: typed, among: optionNames(of: typedSubcommand()))
            lines[k] = String(line[..<at]) + "Unknown option '\(typed)'" + (suggestion.map { ". Did you mean '\($0)'?" } ?? "")
        }
        return lines.joined(separator: "\n")
    }

    /// The deepest subcommand named on the command line (the root when none is).
    static func typedSubcommand() -> ParsableCommand.Type {
        var current: ParsableCommand.Type = Seqgen.self
        for word in CommandLine.arguments.dropFirst() {
            guard let next = current.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            current = next
        }
        return current
    }

    /// Every `--name` in a command's help.
    static func optionNames(of command: ParsableCommand.Type) -> [String] {
        let help = command == Seqgen.self ? helpMessage() : helpMessage(for: command)
        var names: [String] = [], word = ""
        for c in help + " " {
            if c.isLetter || c.isNumber || c == "-" { word.append(c); continue }
            if word.hasPrefix("--"), word.count > 2 { names.append(word) }
            word = ""
        }
        return names
    }
}
