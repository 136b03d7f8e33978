import ArgumentParser
import Potts
import Generative
import Sequences
import Console
import Tensors

extension Seqgen {
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample",
            abstract: "Draw sequences from a fitted model and write them as FASTA.",
            discussion: """
            pssm and ardca sample exactly (independent draws); a vae exactly through its generative \
            process (z from the prior, or from the posterior of --from; columns independent given z); \
            potts, gaussian and attention models by Gibbs MCMC (--chains in parallel, --burn-in, --thin, --temperature), with a mixing check that \
            warns when chains have not mixed; a language model (lm) by masked Gibbs sampling. --fix and --from condition the samples (an ardca model then \
            runs Gibbs chains on its exact conditionals, as it does at --temperature ≠ 1 and with --no-gaps). The same --seed gives the same file.
            """
        )

        /// The library's sampling settings: the MCMC options' defaults.
        static let library = SamplingRequest(count: 0, seed: 0)

        @Argument(help: "Model file (.npz) from `seqgen fit`.")
        var model: String

        @Option(name: .short, parsing: .unconditional, help: "Number of sequences.")
        var n = 1000

        @Option(name: .shortAndLong, help: "Output alignment, in the format its extension names (.fasta, .a3m, .aln, .sto; default FASTA).")
        var output: String

        @Option(parsing: .unconditional, help: "Random seed.")
        var seed: UInt64 = 1

        @Option(help: "Fix residues, numbered like the focus sequence: \"12=A,45=K\".")
        var fix: String?

        @Option(help: "Start every chain at this sequence (L letters over the model's columns): local sampling around it.")
        var from: String?

        @Option(help: "MCMC: independent chains (run in parallel over --threads).")
        var chains = Self.library.chains

        @Option(help: "MCMC: sweeps before the first sample of each chain.")
        var burnIn = Self.library.burnIn

        @Option(help: "MCMC: sweeps between recorded samples.")
        var thin = Self.library.thinning

        @Option(help: "MCMC: temperature T (samples ∝ P^{1/T}).")
        var temperature = Self.library.temperature

        @Flag(help: "Never emit gaps (sample the 20 amino acids only). Always so for a model fitted with gaps as missing data (the Potts default, --pssm-style evmutation), which gives the gap no probability of its own.")
        var noGaps = false

        @Flag(help: "Overwrite the output.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try runtime.apply(ownThreading: true)
            let outputs = try declareOutputs(force: force, output)
            let archive = try ModelArchive.read(model)
            let sampler = try Generative.sampler(for: archive, path: model)
            var request = SamplingRequest(count: n, seed: seed)
            (request.chains, request.burnIn, request.thinning, request.temperature) = (chains, burnIn, thin, temperature)
            // A model fitted with gaps as missing data holds no gap parameters (its gap lane is 0, not a
            // fitted energy): sampling gaps from it would invent their frequency.
            let gapsMissing = archive.meta("gaps_as_missing") == 1
            if noGaps || gapsMissing { request.allowedStates = archive.alphabet.size - 1 }
            if gapsMissing && !noGaps {
                log("note: \(model) was fitted with gaps as missing data, which gives the gap no probability: the samples hold no gaps")
            }
            if archive.kind == .gaussian {
                log("note: a Gaussian model is a continuous density fitted to one-hot vectors (GaussDCA), not to sequences: drawn on sequences through its Potts form, its samples need not reproduce the alignment's statistics (check with seqgen eval generative); for generative use fit --model potts --refine bm, ardca or vae")
            }
            if let fix { request.fixed = try parseFixed(fix, archive) }
            if let from {
                let states = from.map { archive.alphabet.state(named: $0) }
                guard states.count == archive.length, !states.contains(nil) else {
                    throw ValidationError("--from must be \(archive.length) letters of \(archive.alphabet.string) (the model's columns)")
                }
                var start = states.map { $0! }
                for (i, a) in request.fixed { start[i] = a }
                request.start = start
            }
            let chainOptions = [("--chains", chains != Self.library.chains), ("--burn-in", burnIn != Self.library.burnIn), ("--thin", thin != Self.library.thinning)]
            if !sampler.runsChains(request), let name = chainOptions.first(where: \.1)?.0 {
                throw ValidationError("\(name) sets the Markov chains, but this \(archive.modelType) model is sampled exactly here (independent draws): it would be ignored")
            }
            if sampler.runsChains(request) {
                // Say the cost before the wait (the bar counts burn-in sweeps in proportion). Masked
                // Gibbs (an LM) runs a forward pass per site update.
                let c = Swift.max(1, Swift.min(chains, n)), sweeps = burnIn + thin * ((n + c - 1) / c)
                if archive.kind == .lm {
                    log("masked Gibbs: \(sweeps) sweeps × \(archive.length) sites = \(sweeps * archive.length) forward passes of \(c) chains; --burn-in, --thin and --chains set the cost")
                } else {
                    log("\(c) Markov chains: \(burnIn) burn-in sweeps, then a sample every \(thin) (\(sweeps) sweeps of \(archive.length) sites each)")
                }
            }
            let bar = ProgressBar("sample", total: n, quiet: runtime.quiet)
            nonisolated(unsafe) let progressBar = bar
            let clock = Stopwatch()
            let set: SampleSet
            do {
                set = try sampler.sample(request) { done in progressBar.update(Swift.min(done, n)) }
            } catch let e as SamplingError { throw ValidationError("\(model): \(e.description)") }
            bar.finish()
            let names = (0..<n).map { "sample_\($0 + 1)" }
            var msa = MultipleSequenceAlignment(alphabet: archive.alphabet, names: names, codes: set.codes, length: set.length)
            if set.length == archive.length { msa.basePairs = archive.basePairs }   // a Stockholm output keeps the family's SS_cons
            try outputs.write { try AlignmentWriter.write(msa, to: output, format: AlignmentFormat.named(by: output) ?? .fasta, overwrite: force) }
            log("\(archive.modelType): \(set.method); \(n) sequences × \(set.length) columns in \(fixed(clock.seconds, 2)) s → \(output)")
            if let m = set.mixing {
                if m.judged {
                    let value = { (x: Double) in x.isFinite ? fixed(x, 3) : "n/a" }
                    log("mixing: overlap within chains \(value(m.internalOverlap)), between chains \(value(m.externalOverlap)); score drift \(value(m.scoreDrift)) ± \(value(m.scoreDriftStandardError))")
                } else {
                    log("mixing: too few chains or samples per chain to judge (need ≥ 2 chains with ≥ 4 samples)")
                }
                for w in m.warnings { log("warning: \(w)") }
            }
        }

        /// "12=A,45=K" → column → state, numbered by the focus sequence.
        func parseFixed(_ text: String, _ archive: ModelArchive) throws -> [Int: UInt8] {
            var out: [Int: UInt8] = [:]
            for item in text.split(separator: ",") {
                let parts = item.split(separator: "=")
                guard parts.count == 2, let residue = Int(parts[0].trimmingCharacters()), parts[1].count == 1 else {
                    throw ValidationError("--fix: cannot parse '\(item)' (expected RESIDUE=LETTER, e.g. 12=A)")
                }
                guard let state = archive.alphabet.state(named: parts[1].first!) else {
                    throw ValidationError("--fix: '\(parts[1])' is not a state of the model (\(archive.alphabet.string))")
                }
                guard let column = archive.column(ofResidue: residue) else {
                    throw ValidationError("--fix: residue \(residue) is not a model column (numbered \(archive.residueRange) by the focus)")
                }
                if let earlier = out[column], earlier != state {
                    throw ValidationError("--fix: residue \(residue) is fixed twice, to \(archive.alphabet.letter(earlier)) and \(parts[1].uppercased())")
                }
                out[column] = state
            }
            return out
        }
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
