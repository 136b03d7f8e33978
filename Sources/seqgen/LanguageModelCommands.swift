import ArgumentParser
import Contacts
import FileIO
import Figures
import LanguageModel
import NumPyIO
import Potts
import Scoring

extension LanguageModelScorer.Method: ExpressibleByArgument {}

/// The language model of an 'lm' archive and its query as tokens.
func languageModel(_ archive: ModelArchive, path: String) throws -> (ProteinLanguageModel, [UInt8]) {
    let model = try ProteinLanguageModel(archive: archive, path: path)
    guard let focus = ProteinTokens.encode(archive.focusSequence) else { throw ValidationError("\(path): focus_sequence holds a non-residue letter") }
    guard focus.count + 2 <= model.configuration.maxPositions else {
        throw ValidationError("\(path): the query needs \(focus.count + 2) positions; the model has \(model.configuration.maxPositions)")
    }
    return (model, focus)
}

/// Contacts of an LM: the mean of the symmetrised APC attention maps of `heads` ("layer.head"
/// labels, 1-based; nil = every head) over the query.
func languageModelContacts(_ archive: ModelArchive, path: String, heads: String?) throws -> ContactMap {
    let (model, focus) = try languageModel(archive, path: path)
    let maps = AttentionContacts.headMaps(model, sequence: focus)
    guard let heads else { return AttentionContacts.average(maps) }
    let labels = AttentionContacts.headLabels(layers: model.configuration.layers, heads: model.configuration.heads)
    var picked: [ContactMap] = []
    for label in heads.split(separator: ",").map({ String($0.filter { $0 != " " }) }) {
        guard let k = labels.firstIndex(of: label) else {
            throw ValidationError("--lm-heads: '\(label)' is not a head of \(path) (layer.head, from 1.1 to \(labels.last ?? ""))")
        }
        picked.append(maps[k])
    }
    guard !picked.isEmpty else { throw ValidationError("--lm-heads: no heads given") }
    return AttentionContacts.average(picked)
}

/// `seqgen compare LM POTTS`: every head of the LM against the coupling model's contact map.
func compareLanguageModel(lmPath: String, lm: ModelArchive, otherPath: String, other: ModelArchive, minimumSeparation: Int,
                          topHeads: Int, json: Bool, plot: String?, figure: FigureOptions, force: Bool, outputs: OutputSet) throws {
    guard other.modelType != ProteinLanguageModel.kind else { throw ValidationError("compare LM needs a coupling model (Potts, Gaussian, attention, ArDCA) as the other model") }
    let couplings = try contactMap(of: other, path: otherPath)
    let (model, focus) = try languageModel(lm, path: lmPath)
    let maps = AttentionContacts.headMaps(model, sequence: focus)
    let labels = AttentionContacts.headLabels(layers: model.configuration.layers, heads: model.configuration.heads)
    let c: AttentionCouplingComparison
    do {
        c = try AttentionCouplingComparison(heads: maps + [AttentionContacts.average(maps)], labels: labels + ["mean"], lmNumbers: lm.residueNumbers,
                                            couplings: couplings, couplingNumbers: other.residueNumbers, minimumSeparation: minimumSeparation)
    } catch let e as LanguageModelError { throw ValidationError("\(lmPath) vs \(otherPath): \(e.problem)") }
    if json {
        JSONText.emit([("lm", .string(lmPath)), ("couplings", .string(otherPath)), ("positions", .int(c.positions.count)), ("top_L", .int(c.topCount)),
                       ("heads", .array(c.heads.map { .object([("head", .string($0.label)), ("spearman", .double($0.spearman)), ("top_L_overlap", .int($0.topOverlap))]) }))])
    } else {
        print("\(lmPath) (lm, \(labels.count) heads) vs \(otherPath) (\(other.modelType)): \(c.positions.count) common positions, pairs |i−j| ≥ \(minimumSeparation)")
        print("heads ranked by Spearman with the coupling contact map (top-L overlap of \(c.topCount)):")
        for h in c.heads.prefix(topHeads) { print("  head \(h.label): ρ = \(fixed(h.spearman, 3)), overlap \(h.topOverlap)/\(c.topCount)") }
        if let mean = c.heads.first(where: { $0.label == "mean" }) { print("  head average: ρ = \(fixed(mean.spearman, 3)), overlap \(mean.topOverlap)/\(c.topCount)") }
    }
    if let plot {
        let m = c.positions.count
        let numbers = c.positions.map { lm.residueNumbers[$0.lm] }
        var panels = [MatrixPanel(values: c.couplingMap.scores, length: m, title: "\(other.modelType) couplings (APC)", residueNumbers: numbers)]
        for h in c.heads.filter({ $0.label != "mean" }).prefix(Swift.min(topHeads, 5)) {
            panels.append(MatrixPanel(values: c.headMaps[h.index].scores, length: m, title: "head \(h.label): ρ = \(fixed(h.spearman, 2))", residueNumbers: numbers))
        }
        let title = "\(lm.focusName): attention heads beside \(other.modelType) couplings"
        try outputs.write { try figure.write(MatrixPanel.grid(panels, columns: 3, size: figure.panelSize(columns: 3), title: title), to: plot, overwrite: force) }
        wrote(plot)
    }
}

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Sequence representations from a model: mean-pooled (N, D) or per-residue (N, T, D) .npy.",
        discussion: "LM: the final layer's representations (after the final layer norm) of each sequence's residues; mean-pooled over residues, or per residue zero-padded to the longest sequence T (--per-residue). Gaps are removed; insert residues kept."
    )
    @Argument(help: "Model file (.npz) from `seqgen fit --model lm`.")
    var model: String
    @Argument(help: "Sequences (FASTA, A2M, A3M or .aln; gaps removed).")
    var sequences: String
    @Option(name: .shortAndLong, help: "Output .npy.")
    var output: String
    @Flag(help: "Per-residue representations (N, T, D), zero-padded, instead of the mean over residues.")
    var perResidue = false
    @Flag(help: "Overwrite an existing output.")
    var force = false
    @OptionGroup var verbosity: OutputOptions

    func run() throws {
        let outputs = try declareOutputs(force: force, output)
        let archive = try ModelArchive.read(model, need: "embed needs a language model (seqgen fit --model lm)")
        guard archive.modelType == ProteinLanguageModel.kind else { throw ValidationError("\(model): a \(archive.modelType) model; embed needs a language model (seqgen fit --model lm)") }
        let (lm, _) = try languageModel(archive, path: model)
        let raw = try RawSequences.read(sequences)
        if let k = raw.tokens.firstIndex(where: { $0.count + 2 > lm.configuration.maxPositions }) {
            throw ValidationError("\(sequences): record \(k + 1) ('\(raw.names[k])') has \(raw.tokens[k].count) residues; the model takes at most \(lm.configuration.maxPositions - 2)")
        }
        let reps = lm.representations(raw.tokens)
        let d = lm.configuration.dimension
        let array: NumPyArray
        if perResidue {
            let t = raw.maximumLength
            var flat = [Float](repeating: 0, count: raw.count * t * d)
            for (n, r) in reps.enumerated() { for k in 0..<r.count { flat[n * t * d + k] = r.scalars[k] } }
            array = NumPyArray(floats: flat, shape: [raw.count, t, d])
        } else {
            array = NumPyArray(floats: reps.flatMap { r in (0..<d).map { c in stride(from: c, to: r.count, by: d).reduce(Float(0)) { $0 + r.scalars[$1] } / Float(r.count / d) } },
                               shape: [raw.count, d])
        }
        try outputs.write { try NPYFormat.write(array, to: output, overwrite: force) }
        wrote(output, "(\(raw.count) sequences, \(perResidue ? "per residue" : "mean-pooled"), D = \(d))")
    }
}
