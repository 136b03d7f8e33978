import ArgumentParser
import Potts
import Scoring
import Mutations
import Sequences
import Figures
import NumPyIO
import FileIO
import ArDCA
import VAE

/// The model of an archive as a mutation-effect scorer (PSSM fields, or the Potts form of
/// Potts and Gaussian models; a VAE — with the members of `ensemble`'s files — by ΔELBO).
func scorer(for archive: ModelArchive, path: String, samples: Int = 100, seed: UInt64 = 0, ensemble: [String] = []) throws -> any MutationEffectModel {
    if archive.modelType == VAEArchive.kind {
        var members = try VAEArchive.models(archive, path: path)
        for other in ensemble {
            let a = try ModelArchive.read(other, need: "--ensemble-with needs VAE models")
            guard a.modelType == VAEArchive.kind else { throw FileIOError(path: other, "a '\(a.modelType)' model; --ensemble-with needs VAE models") }
            guard a.length == archive.length, a.focusSequence == archive.focusSequence else {
                throw FileIOError(path: other, "covers other columns than \(path) (L = \(a.length) vs \(archive.length), or another focus sequence)")
            }
            members += try VAEArchive.models(a, path: other)
        }
        return VAEScorer(members: members, samples: samples, seed: seed)
    }
    if !ensemble.isEmpty { throw ValidationError("--ensemble-with averages VAE models; \(path) is a \(archive.modelType) model") }
    if archive.modelType == ArDCAModel.kind { return try ArDCAModel(archive: archive, path: path) }
    if let potts = archive.pottsModel { return potts }
    return PSSM(alphabet: archive.alphabet, fields: archive.fields, pseudocount: archive.meta("pseudocount") ?? 0)
}

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score mutations with a fitted model (log-likelihood ratio, higher = fitter).",
        discussion: """
        PSSM: Σ field differences. Potts: EVmutation's ΔE in the wild-type background (couplings \
        between mutated sites corrected). Gaussian: the log-density difference. ArDCA: the exact \
        log-likelihood ratio. VAE: ΔELBO averaged over --samples seeded draws shared by wild type and \
        mutants (and over ensemble members). Mutants at positions \
        the model does not cover (A2M insert columns, filtered columns) are reported and left unscored.
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

    @Option(name: .shortAndLong, help: "Output: a CSV for --mutations/--mutants (default or -: stdout); a prefix for --scan.")
    var output: String?

    @Option(help: "Name of the mutant column.")
    var mutantColumn = "mutant"

    @Option(help: "Name of the measured-score column copied to the output (if present).")
    var scoreColumn = "DMS_score"

    @Option(parsing: .unconditional, help: "Added to table positions to get the model's residue numbers (negative values allowed: --offset -1071).")
    var offset = 0

    @Option(help: "VAE: ELBO draws per variant (latent noise and decoder weights, the same draws for wild type and mutants).")
    var samples = 100

    @Option(help: "VAE: seed of the ELBO draws (same seed, same scores).")
    var seed: UInt64 = 0

    @Option(help: "VAE: another VAE model file over the same columns to average with (repeatable; an ensemble over seeds).")
    var ensembleWith: [String] = []

    @Option(help: "Fit EVE's two-component Gaussian mixture to the evolutionary indices (−score) of the scored variants, add a pathogenic_probability column and save the mixture's parameters to this JSON file.")
    var mixture: String?

    @Flag(help: "Overwrite existing outputs.")
    var force = false

    @OptionGroup var verbosity: OutputOptions

    @OptionGroup(title: "Figure size") var figure: FigureOptions

    func validate() throws {
        let modes = [mutations != nil, mutants != nil, scan].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give exactly one of --mutations, --mutants, --scan") }
        if scan && (output == nil || output == "-") { throw ValidationError("--scan needs -o PREFIX (it writes PREFIX.csv, .npy and .png)") }
        if samples < 1 { throw ValidationError("--samples must be ≥ 1 (got \(samples))") }
        if mixture != nil && scan { throw ValidationError("--mixture applies to --mutations or --mutants") }
    }

    func run() throws {
        let toFile = output.flatMap { $0 == "-" ? nil : $0 }
        let outputs = scan ? try declareOutputs(force: force, group: ["csv", "npy", "png"].map { output! + "." + $0 })
                           : try declareOutputs(force: force, toFile, mixture)
        let archive = try ModelArchive.read(model, need: "score needs a Potts, PSSM, Gaussian, attention, ArDCA or VAE model (for DNA sequences: seqgen cnn predict)")
        let scorer = try scorer(for: archive, path: model, samples: samples, seed: seed, ensemble: ensembleWith)
        let mapping = VariantMapping(alphabet: archive.alphabet, focusSequence: archive.focusSequence, residueNumbers: archive.residueNumbers)
        if scan { try runScan(archive, scorer, mapping, outputs); return }
        var rows: [(Variant, Double?, Int?)] = []     // variant, measured score, source line
        var source = "--mutants"
        if let mutations {
            source = mutations
            let table = try MutationTable.read(mutations, mutantColumn: mutantColumn, scoreColumn: scoreColumn)
            rows = table.rows.map { ($0.variant, $0.score, $0.line) }
        } else if let mutants {
            for text in mutants.split(separator: ",") {
                guard let v = Variant(text) else { throw ValidationError("--mutants: cannot parse '\(text)' (expected e.g. A12G or A12G:K45R)") }
                rows.append((v, nil, nil))
            }
        }
        try mapping.requireConsistentNumbering(rows.map(\.0), offset: offset, source: source)
        var outside: [String] = [], firstOutside: (Variant, Int)?
        var mapped: [(row: Int, substitutions: [(column: Int, state: UInt8)])] = []
        for (k, (variant, _, line)) in rows.enumerated() {
            switch try mapping.map(variant, offset: offset, where: line.map { (source, $0) }) {
            case let .mapped(columns, states):
                mapped.append((k, zip(columns, states).map { ($0, $1) }))
            case let .outsideModel(residue):
                outside.append(variant.description)
                if firstOutside == nil { firstOutside = (variant, residue) }
            }
        }
        // One batched call: a VAE evaluates every variant of a draw together.
        var scores = [Double?](repeating: nil, count: rows.count)
        for (m, e) in zip(mapped, scorer.effects(of: mapped.map(\.substitutions), background: mapping.background)) { scores[m.row] = e }
        var fitted: EvolutionaryIndexMixture?
        if let mixture {
            guard let m = EvolutionaryIndexMixture.fit(scores.compactMap { $0.map { -$0 } }) else {
                throw ValidationError("--mixture needs at least 4 scored variants with different scores")
            }
            fitted = m
            log("mixture (evolutionary index = −score): benign mean \(fixed(m.means[0], 3)) sd \(fixed(m.standardDeviations[0], 3)) weight \(fixed(m.weights[0], 3)), pathogenic mean \(fixed(m.means[1], 3)) sd \(fixed(m.standardDeviations[1], 3)) weight \(fixed(m.weights[1], 3)) → \(mixture)")
        }
        var csv = "mutant,score" + (fitted != nil ? ",pathogenic_probability" : "") + (mutations != nil ? ",\(measuredColumn)" : "") + "\n"
        for (k, (variant, measured, _)) in rows.enumerated() {
            let score = scores[k].map { String($0) } ?? ""
            let probability = fitted.map { m in "," + (scores[k].map { String(m.pathogenicProbability(-$0)) } ?? "") } ?? ""
            csv += "\(variant),\(score)\(probability)" + (mutations != nil ? ",\(measured.map { String($0) } ?? "")" : "") + "\n"
        }
        if !rows.isEmpty && outside.count == rows.count, let (variant, residue) = firstOutside {
            throw FileIOError(path: source, "none of the \(rows.count) mutants can be scored (nothing written): \(variant): \(mapping.whyUnmapped(residue))\(offset != 0 ? " (offset \(offset))" : "")")
        }
        if toFile != nil || mixture != nil {
            try outputs.write {
                if let toFile { try AtomicFile.write(csv, to: toFile, overwrite: force) }
                if let mixture, let fitted { try AtomicFile.write(fitted.json(), to: mixture, overwrite: force) }
            }
        }
        if toFile == nil { print(csv, terminator: "") }
        log("scored \(rows.count - outside.count) of \(rows.count) variants" + (toFile.map { " → \($0)" } ?? ""))
        if !outside.isEmpty {
            log("\(outside.count) variants touch positions the model does not cover, left unscored (e.g. \(outside.prefix(3).joined(separator: ", ")))")
        }
    }

    func runScan(_ archive: ModelArchive, _ scorer: any MutationEffectModel, _ mapping: VariantMapping, _ outputs: OutputSet) throws {
        let paths = outputs.paths
        let letters = Array(archive.alphabet.letters.prefix(archive.alphabet.size - 1)).map { Character(UnicodeScalar($0)) }
        var values = [[Double]](), csv = "position,wild_type," + letters.map(String.init).joined(separator: ",") + "\n"
        var flat: [Float] = []
        var singles: [[(column: Int, state: UInt8)]] = []
        for c in 0..<archive.length { for a in letters.indices where UInt8(a) != mapping.background[c] { singles.append([(c, UInt8(a))]) } }
        var effects = scorer.effects(of: singles, background: mapping.background).makeIterator()
        for c in 0..<archive.length {
            let row = letters.indices.map { a -> Double in UInt8(a) == mapping.background[c] ? 0 : effects.next()! }
            values.append(row)
            flat += row.map(Float.init)
            csv += "\(archive.residueNumbers[c]),\(archive.focusSequence[archive.focusSequence.index(archive.focusSequence.startIndex, offsetBy: c)])," + row.map { String($0) }.joined(separator: ",") + "\n"
        }
        let wild = mapping.background.map { Int($0) < letters.count ? Int($0) : nil }
        var plot = HeatmapPlot(values: values, rowLabels: letters.map(String.init), columnNumbers: archive.residueNumbers.map { Swift.abs($0) },
                               wildType: wild, title: "\(archive.focusName): \(archive.modelType) single-mutant scan")
        figure.apply(&plot)
        try outputs.write {
            try AtomicFile.write(csv, to: paths[0], overwrite: force)
            try NPYFormat.write(NumPyArray(floats: flat, shape: [archive.length, letters.count]), to: paths[1], overwrite: force)
            try figure.write(plot.render(), to: paths[2], overwrite: force)
        }
        log("wrote \(paths.joined(separator: ", ")) (\(archive.length) positions × \(letters.count))")
    }
}
