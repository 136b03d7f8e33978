import ArgumentParser
import Potts
import Sequences
import FileIO
import Console

extension Seqgen {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Sample an alignment from a Potts model with planted, protein-like couplings (known answer).",
            discussion: "Writes the alignment (A3M/FASTA) and, with --truth, the planted pairs as a contact-truth file. The planted topology (positions scale with L): an α-helix with (i, i+3) and (i, i+4) contacts, a four-stranded β-sheet (three antiparallel ladders and a parallel one) and the helix packed against the sheet; each planted pair couples one partner residue per residue."
        )

        @Option(parsing: .unconditional, help: "Sites (columns); at least 40.")
        var length = 64

        @Option(parsing: .unconditional, help: "Sequences to sample (independent Gibbs chains).")
        var sequences = 2000

        @Option(parsing: .unconditional, help: "Coupling strength of each planted pair.")
        var strength: Float = 1.6

        @Option(parsing: .unconditional, help: "Gibbs sweeps per chain.")
        var sweeps = 20

        @Option(parsing: .unconditional, help: "Random seed (same seed, same alignment).")
        var seed: UInt64 = 1

        @Option(name: .shortAndLong, help: "Output alignment, in the format its extension names (.a3m, .fasta, .aln, .sto; default A3M).")
        var output: String

        @Option(help: "Write the planted pairs (1-based columns) here.")
        var truth: String?

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var verbosity: OutputOptions

        func run() throws {
            guard length >= 40 else { throw ValidationError("--length must be at least 40") }
            guard sequences >= 1 else { throw ValidationError("--sequences must be at least 1") }
            // The planted model's couplings (L² × 21² floats) and the alignment, before any output is claimed.
            let bytes = 4 * Double(length) * Double(length) * 441 + Double(length) * Double(sequences)
            if let available = SystemMemory.available(), bytes > Double(available) {
                throw ValidationError("--length \(length) --sequences \(sequences) needs about \(SystemMemory.describe(Int(Swift.min(bytes, 9e18)))) (the planted model's L² × 21² couplings) but \(SystemMemory.describe(available)) is available")
            }
            let outputs = try declareOutputs(force: force, output, truth)
            let pairs = PlantedPotts.proteinLikeContacts(length: length)
            let model = PlantedPotts.model(length: length, pairs: pairs, strength: strength, seed: seed)
            let sampler = GibbsSampler(model: model, burnIn: sweeps, allowedStates: 21)
            let bar = ProgressBar("simulate", total: sequences, quiet: verbosity.quiet)
            nonisolated(unsafe) let progressBar = bar
            let codes = sampler.sample(count: sequences, seed: seed, block: 100) { progressBar.update($0) }
            bar.finish()
            // The first sample is the focus, named by the residues it holds (a sample may hold gaps).
            let residues = codes.prefix(length).filter { $0 != Alphabet.protein.gap }.count
            let names = (0..<sequences).map { $0 == 0 ? "planted/1-\(residues)" : "sample\($0)" }
            let msa = MultipleSequenceAlignment(alphabet: .protein, names: names, codes: codes, length: length)
            try outputs.write {
                try AlignmentWriter.write(msa, to: output, format: AlignmentFormat.named(by: output) ?? .a3m, overwrite: force)
                if let truth {
                    let text = "# planted contacts of `seqgen simulate --length \(length) --sequences \(sequences) --seed \(seed)` (1-based columns)\n"
                        + pairs.map { "\($0.0 + 1) \($0.1 + 1)" }.joined(separator: "\n") + "\n"
                    try AtomicFile.write(text, to: truth, overwrite: force)
                }
            }
            log("wrote \(output): \(sequences) sequences × \(length) columns, \(pairs.count) planted pairs")
        }
    }
}
