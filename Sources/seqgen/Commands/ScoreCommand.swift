import ArgumentParser
import ArDCA
import Potts
import Scoring
import Mutations
import Sequences
import Figures
import NumPyIO
import FileIO
import Console
import Pipelines
import LanguageModel
import VAE

extension LanguageModelScorer.Method: ExpressibleByArgument {}

extension Seqgen {
    struct Score: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "score",
            abstract: "Score mutations with a fitted model (log-likelihood ratio, higher = fitter).",
            discussion: """
            PSSM: Σ field differences. Potts: EVmutation's ΔE in the wild-type background (couplings \
            between mutated sites corrected). Gaussian: the log-density difference. ArDCA: the exact \
            log-likelihood ratio. VAE: ΔELBO averaged over --samples seeded draws shared by wild type and \
            mutants (and over ensemble members). lm: the masked marginal Σ log p(mut) − log p(wt) with each mutated \
            position masked (ESM-1v; --lm-method). Mutants at positions \
            the model does not cover (A2M insert columns, filtered columns) are reported and left unscored. \
            --sequences scores whole sequences against the focus: log P(x) − log P(focus) over the model's \
            columns, or for a language model PLL(x) − PLL(focus) over unaligned sequences (insertions and \
            deletions included).
            """
        )

        @Argument(help: "Model file (.npz) from `seqgen fit`.")
        var model: String

        @Option(help: "Mutation table (CSV/TSV, ProteinGym layout; - reads standard input).")
        var mutations: String?

        @Option(help: "Mutants on the command line, comma-separated: \"A12G,K45R:V46I\".")
        var mutants: String?

        @Flag(help: "Score every single mutant of the focus sequence: OUT.csv (L×20), OUT.npy, OUT.png.")
        var scan = false

        @Option(help: "Score whole sequences against the focus (designs, samples, indel variants): aligned to the model's columns, or unaligned for a language model (PLL(x) − PLL(focus)). Writes name,score,differences (or length).")
        var sequences: String?

        @Option(name: .shortAndLong, help: "Output: a CSV for --mutations/--mutants (default or -: stdout); a prefix for --scan.")
        var output: String?

        @Option(help: "Name of the mutant column (A12G, A12G:K45R, or MAVE-HGVS p.Ala12Gly as MaveDB's hgvs_pro).")
        var mutantColumn = "mutant"

        @Option(help: "Name of the measured-score column copied to the output (if present).")
        var scoreColumn = "DMS_score"

        @Option(parsing: .unconditional, help: "Added to table positions to get the model's residue numbers (negative values allowed: --offset -1071).")
        var offset = 0

        @Option(help: "VAE: ELBO draws per variant (latent noise and decoder weights, the same draws for wild type and mutants).")
        var samples = Self.defaultSamples

        @Option(parsing: .unconditional, help: "VAE: seed of the ELBO draws (same seed, same scores).")
        var seed: UInt64 = 0

        @Option(help: "VAE: another VAE model file over the same columns to average with (repeatable; an ensemble over seeds).")
        var ensembleWith: [String] = []

        @Option(help: "Fit EVE's two-component Gaussian mixture to the evolutionary indices (−score) of the scored variants, add a pathogenic_probability column and save the mixture's parameters to this JSON file.")
        var mixture: String?

        @Option(help: "LM: masked-marginal (default; ESM-1v), wildtype-marginal or pseudo-likelihood (L passes per variant).")
        var lmMethod = LanguageModelScorer.Method.maskedMarginal

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        func validate() throws {
            let modes = [mutations != nil, mutants != nil, scan, sequences != nil].filter { $0 }.count
            guard modes == 1 else { throw ValidationError("give exactly one of --mutations, --mutants, --scan, --sequences") }
            if scan && (output == nil || output == "-") { throw ValidationError("--scan needs -o PREFIX (it writes PREFIX.csv, .npy and .png)") }
            if samples < 1 { throw ValidationError("--samples must be ≥ 1 (got \(samples))") }
            if mixture != nil && (scan || sequences != nil) { throw ValidationError("--mixture applies to --mutations or --mutants") }
            if sequences != nil && offset != 0 { throw ValidationError("--offset renumbers mutations; --sequences names no position") }
        }

        func run() throws {
            try runtime.apply()
            let toFile = output.flatMap { $0 == "-" ? nil : $0 }
            let outputs = scan ? try declareOutputs(force: force, group: ["csv", "npy", "png"].map { output! + "." + $0 })
                               : try declareOutputs(force: force, toFile, mixture)
            let archive = try ModelArchive.read(model, need: "score needs a Potts, PSSM, Gaussian, attention, ArDCA, VAE or language model (for DNA sequences: seqgen cnn predict)")
            guard archive.focusSequence.contains(where: { $0 != "-" }) else {
                throw FileIOError(path: model, "the model has no focus sequence (its focus is all gaps: a CCMpred or GREMLIN file converted without --alignment, or a focus record with no residue in the model's columns), so mutations cannot be named by its residues: convert it again with --alignment ALN, the alignment it was fitted to, or fit it with another --focus")
            }
            // Options another kind of model reads would be ignored without a word.
            let scoped: [(String, Bool, ModelKind)] = [("--samples", samples != Self.defaultSamples, .vae), ("--seed", seed != 0, .vae),
                                                       ("--lm-method", lmMethod != .maskedMarginal, .lm)]
            if let (name, _, kind) = scoped.first(where: { $0.1 && archive.kind != $0.2 }) {
                throw ValidationError("\(name) applies to a \(kind.rawValue) model; \(model) is a \(archive.modelType) model: it would be ignored")
            }
            if !ensembleWith.isEmpty && archive.kind != .vae { throw ValidationError("--ensemble-with averages VAE models; \(model) is a \(archive.modelType) model") }
            if let sequences {
                if lmMethod != .maskedMarginal { throw ValidationError("--lm-method chooses how mutations are scored; --sequences scores by pseudo-log-likelihood") }
                return try scoreSequences(sequences, archive: archive, toFile: toFile, outputs: outputs)
            }
            let table = try mutations.map { try MutationTable.read($0, mutantColumn: mutantColumn, scoreColumn: scoreColumn, wholeSequences: true) }
            if let table, table.holdsSequences {
                if mixture != nil { throw ValidationError("--mixture applies to substitutions; \(table.source) holds whole sequences") }
                if lmMethod != .maskedMarginal { throw ValidationError("--lm-method chooses how substitutions are scored; whole sequences are scored by pseudo-log-likelihood") }
                return try scoreSequenceTable(table, archive: archive, toFile: toFile, outputs: outputs)
            }
            let bar = DeferredProgressBar("score", quiet: runtime.quiet)     // a VAE's draws
            let scorer = try archive.scorer(path: model, samples: samples, seed: seed, ensemble: ensembleWith, lmMethod: lmMethod, progress: bar.report)
            // Below the default, the low end of where held-out clusters' likelihood peaks (ArDCAFit).
            if archive.kind == .ardca, let lambda = archive.meta("lambda_J"), Float(lambda) < ArDCAFit.defaultLambda, archive.meta("cross_validate") == nil {
                log("note: this ArDCA model was fitted at λ_J = \(Float(lambda)), below \(ArDCAFit.defaultLambda)–0.01, where held-out clusters' likelihood peaks on the families measured: it over-fits, and every mutation scan measured scores worse with it; refit at the default (\(ArDCAFit.defaultLambda)) or with λ chosen for the alignment by --cross-validate 5 (README: How ArDCA's regularisation was chosen)")
            }
            let mapping = VariantMapping(alphabet: archive.alphabet, focusSequence: archive.focusSequence, residueNumbers: archive.residueNumbers)
            if scan {
                let scan = MutationScan(archive, scorer: scorer, mapping: mapping)
                bar.finish()
                guard !scan.columns.isEmpty else { throw ValidationError("\(model): the focus has no residue in the model's columns: there is no single mutant to scan") }
                if scan.columns.count < archive.length {
                    log("note: \(archive.length - scan.columns.count) of \(archive.length) columns are gaps in the focus: the scan covers its \(scan.columns.count) residues")
                }
                var plot = scan.heatmap
                figure.apply(&plot)
                let paths = outputs.paths
                try outputs.write {
                    try AtomicFile.write(scan.csv, to: paths[0], overwrite: force)
                    try NPYFormat.write(scan.array, to: paths[1], overwrite: force)
                    try figure.write(plot.render(), to: paths[2], overwrite: force)
                }
                log("wrote \(paths.joined(separator: ", ")) (\(scan.columns.count) positions × \(scan.letters.count))")
                return
            }
            var rows: [ScoredVariants.Row] = []
            var source = "--mutants"
            if let mutations, let table {
                source = mutations
                rows = table.rows.map { ScoredVariants.Row($0.variant, measured: $0.score, line: $0.line) }
                logWithoutSubstitution(table)
            } else if let mutants {
                for text in mutants.split(separator: ",") {
                    switch Variant.parsing(text) {
                    case .success(let v): rows.append(ScoredVariants.Row(v))
                    case .failure(let problem): throw ValidationError("--mutants: \(problem)")
                    }
                }
            }
            let scored = try ScoredVariants(rows, scorer: scorer, mapping: mapping, offset: offset, source: source,
                                            measuredColumn: mutations != nil ? measuredColumn : nil, mixture: mixture != nil)
            bar.finish()
            if let m = scored.mixture {
                log("mixture (evolutionary index = −score): benign mean \(fixed(m.means[0], 3)) sd \(fixed(m.standardDeviations[0], 3)) weight \(fixed(m.weights[0], 3)), pathogenic mean \(fixed(m.means[1], 3)) sd \(fixed(m.standardDeviations[1], 3)) weight \(fixed(m.weights[1], 3))")
            }
            if toFile != nil || mixture != nil {
                try outputs.write {
                    if let toFile { try AtomicFile.write(scored.csv, to: toFile, overwrite: force) }
                    if let mixture, let m = scored.mixture { try AtomicFile.write(Self.json(m), to: mixture, overwrite: force) }
                }
            }
            if toFile == nil { print(scored.csv, terminator: "") }
            log("scored \(scored.scored) of \(rows.count) variants" + (toFile.map { " → \($0)" } ?? ""))
            if !scored.outside.isEmpty {
                log("\(scored.outside.count) variants touch positions the model does not cover, left unscored (e.g. \(scored.outside.prefix(3).joined(separator: ", ")))")
            }
            if !scored.nonsense.isEmpty {
                log("\(scored.nonsense.count) nonsense variant\(scored.nonsense.count == 1 ? "" : "s") (a stop codon) left unscored (e.g. \(scored.nonsense.prefix(3).joined(separator: ", ")))")
            }
            if !scored.toGap.isEmpty {
                log("\(scored.toGap.count) variant\(scored.toGap.count == 1 ? "" : "s") to a gap left unscored: the model has no fitted gap state (a language model, or a model fitted with gaps as missing data) (e.g. \(scored.toGap.prefix(3).joined(separator: ", ")))")
            }
        }

        /// `--sequences`: whole sequences against the focus (`ScoredSequences`).
        func scoreSequences(_ path: String, archive: ModelArchive, toFile: String?, outputs: OutputSet) throws {
            let scored: ScoredSequences
            if archive.kind == .lm {
                scored = try pseudoLikelihoods(RawSequences.read(path), archive: archive)
            } else {
                let bar = DeferredProgressBar("score", quiet: runtime.quiet)     // a VAE's draws
                let scorer = try archive.scorer(path: model, samples: samples, seed: seed, ensemble: ensembleWith, progress: bar.report)
                let msa = try AlignmentReader(alphabet: archive.alphabet).read(path)
                let mapping = VariantMapping(alphabet: archive.alphabet, focusSequence: archive.focusSequence, residueNumbers: archive.residueNumbers)
                scored = try ScoredSequences(aligned: msa, scorer: scorer, background: mapping.background, source: path)
                bar.finish()
            }
            try emit(scored, csv: scored.csv, source: path, scoredAs: "sequences against the focus", toFile: toFile, outputs: outputs)
        }

        /// `--mutations` naming whole sequences (ProteinGym's indel benchmark): a language model's
        /// PLL(x) − PLL(focus) per row, written as `mutant,score,length` and the measured column.
        func scoreSequenceTable(_ table: MutationTable, archive: ModelArchive, toFile: String?, outputs: OutputSet) throws {
            guard archive.kind == .lm else {
                throw FileIOError(path: table.source, "the mutants are whole sequences (ProteinGym's indel layout): a language model scores them; "
                                  + "a \(archive.modelType) model scores substitutions, or sequences aligned to its columns with --sequences")
            }
            var tokens: [[UInt8]] = []
            for r in table.rows {
                guard let t = ProteinTokens.encode(r.sequence!) else { throw FileIOError(path: table.source, line: r.line, "the sequence holds a letter that is not an amino acid") }
                tokens.append(t)
            }
            let scored = try pseudoLikelihoods(RawSequences(names: table.rows.map { $0.sequence! }, tokens: tokens), archive: archive)
            try emit(scored, csv: scored.csv(nameColumn: "mutant", measured: (measuredColumn, table.rows.map(\.score))), source: table.source,
                     scoredAs: "whole sequences by PLL(x) − PLL(focus)", toFile: toFile, outputs: outputs)
        }

        /// PLL(x) − PLL(focus) of every sequence of `raw` under the language model `archive` holds, with a progress bar.
        func pseudoLikelihoods(_ raw: RawSequences, archive: ModelArchive) throws -> ScoredSequences {
            let (lm, focus) = try archive.languageModel(path: model)
            let bar = ProgressBar("score", total: raw.count, quiet: runtime.quiet)
            defer { bar.finish() }
            return ScoredSequences(unaligned: raw, model: lm, focus: focus) { done, _ in bar.update(done) }
        }

        /// Writes `csv` (to `toFile`, else standard output) once a sequence is scored, and says how
        /// many were and which were not, and why.
        func emit(_ scored: ScoredSequences, csv: String, source: String, scoredAs: String, toFile: String?, outputs: OutputSet) throws {
            guard scored.scored > 0 else {
                throw FileIOError(path: source, "none of the \(scored.rows.count) sequences can be scored (nothing written): all are \(scored.unscoredReason)")
            }
            if let toFile { try outputs.write { try AtomicFile.write(csv, to: toFile, overwrite: force) } } else { print(csv, terminator: "") }
            log("scored \(scored.scored) of \(scored.rows.count) \(scoredAs)" + (toFile.map { " → \($0)" } ?? ""))
            if !scored.unscored.isEmpty {
                log("\(scored.unscored.count) sequence\(scored.unscored.count == 1 ? "" : "s") left unscored: \(scored.unscoredReason) (e.g. \(scored.unscored.prefix(3).joined(separator: ", ")))")
            }
        }

        /// EVE's mixture as `--mixture` saves it: one JSON object (the two components' weights,
        /// means and standard deviations, benign first; EM's iterations and mean log-likelihood).
        static let defaultSamples = 100

        static func json(_ m: EvolutionaryIndexMixture) -> String {
            JSONText.render([("weights", .array(m.weights.map(JSONText.double))), ("means", .array(m.means.map(JSONText.double))),
                             ("standard_deviations", .array(m.standardDeviations.map(JSONText.double))),
                             ("iterations", .int(m.iterations)), ("log_likelihood", .double(m.logLikelihood))]) + "\n"
        }
    }
}
