import ArgumentParser
import Potts
import Scoring
import Mutations
import Sequences
import Figures
import NumPyIO
import FileIO
import ArDCA
import LanguageModel

/// The model of an archive as a mutation-effect scorer (PSSM fields, or the Potts form of
/// Potts and Gaussian models).
func scorer(for archive: ModelArchive, path: String, lmMethod: LanguageModelScorer.Method = .maskedMarginal) throws -> any MutationEffectModel {
    if archive.modelType == ProteinLanguageModel.kind {
        let (model, focus) = try languageModel(archive, path: path)
        return LanguageModelScorer(model: model, background: focus, method: lmMethod)
    }
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
        log-likelihood ratio. Mutants at positions \
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

    @Option(help: "LM: masked-marginal (default; ESM-1v), wildtype-marginal or pseudo-likelihood (L passes per variant).")
    var lmMethod = LanguageModelScorer.Method.maskedMarginal

    @Flag(help: "Overwrite existing outputs.")
    var force = false

    @OptionGroup var verbosity: OutputOptions

    @OptionGroup(title: "Figure size") var figure: FigureOptions

    func validate() throws {
        let modes = [mutations != nil, mutants != nil, scan].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give exactly one of --mutations, --mutants, --scan") }
        if scan && (output == nil || output == "-") { throw ValidationError("--scan needs -o PREFIX (it writes PREFIX.csv, .npy and .png)") }
    }

    func run() throws {
        let toFile = output.flatMap { $0 == "-" ? nil : $0 }
        let outputs = scan ? try declareOutputs(force: force, group: ["csv", "npy", "png"].map { output! + "." + $0 })
                           : try declareOutputs(force: force, toFile)
        let archive = try ModelArchive.read(model, need: "score needs a Potts, PSSM, Gaussian, attention, ArDCA or language model (for DNA sequences: seqgen cnn predict)")
        let scorer = try scorer(for: archive, path: model, lmMethod: lmMethod)
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
        var csv = "mutant,score" + (mutations != nil ? ",\(measuredColumn)" : "") + "\n"
        var outside: [String] = [], firstOutside: (Variant, Int)?
        for (variant, measured, line) in rows {
            var score = ""
            switch try mapping.map(variant, offset: offset, where: line.map { (source, $0) }) {
            case let .mapped(columns, states):
                score = String(scorer.effect(of: zip(columns, states).map { ($0, $1) }, background: mapping.background))
            case let .outsideModel(residue):
                outside.append(variant.description)
                if firstOutside == nil { firstOutside = (variant, residue) }
            }
            csv += "\(variant),\(score)" + (mutations != nil ? ",\(measured.map { String($0) } ?? "")" : "") + "\n"
        }
        if !rows.isEmpty && outside.count == rows.count, let (variant, residue) = firstOutside {
            throw FileIOError(path: source, "none of the \(rows.count) mutants can be scored (nothing written): \(variant): \(mapping.whyUnmapped(residue))\(offset != 0 ? " (offset \(offset))" : "")")
        }
        if let toFile { try outputs.write { try AtomicFile.write(csv, to: toFile, overwrite: force) } } else { print(csv, terminator: "") }
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
        for c in 0..<archive.length {
            let row = letters.indices.map { a -> Double in
                UInt8(a) == mapping.background[c] ? 0 : scorer.effect(of: [(c, UInt8(a))], background: mapping.background)
            }
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
