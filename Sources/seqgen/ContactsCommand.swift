import ArgumentParser
import Potts
import Contacts
import Structures
import Figures
import NumPyIO
import FileIO
import Tensors
import ArDCA
import LanguageModel

/// The symmetric (L, L, q, q) couplings contacts are scored from: the Potts form's J, or for an
/// autoregressive model its epistatic couplings in the focus background (ArDCA's epistatic score).
func symmetricCouplings(of archive: ModelArchive, path: String) throws -> Tensor? {
    if archive.modelType == ArDCAModel.kind {
        let model = try ArDCAModel(archive: archive, path: path)
        return model.epistaticCouplings(background: archive.focusSequence.map { archive.alphabet.code(of: $0) ?? archive.alphabet.gap })
    }
    return archive.couplings
}

/// Contact scores of a model with couplings: APC-corrected Frobenius norms (or raw norms).
/// Gaussian models can score partial correlations −Θ_uv/√(Θ_uu Θ_vv) instead of −Θ.
/// How a coupling block becomes one number: its Frobenius norm after zero-sum centring over the 20
/// amino acids (CCMpred, seqgen), or as stored over every state (plmc's CN score).
enum BlockNorm: String, ExpressibleByArgument, CaseIterable { case centred, plmc }

func contactMap(of archive: ModelArchive, path: String, raw: Bool = false, partialCorrelation: Bool = false, norm: BlockNorm = .centred,
                lmHeads: String? = nil) throws -> ContactMap {
    if archive.modelType == ProteinLanguageModel.kind { return try languageModelContacts(archive, path: path, heads: lmHeads) }
    guard var j = try symmetricCouplings(of: archive, path: path) else {
        throw ValidationError("\(path): a \(archive.modelType) model has no couplings to score contacts from")
    }
    if partialCorrelation {
        guard let diag = try archive.extra("precision_diagonal")?.tensor() else {
            throw ValidationError("\(path): --partial-correlation needs a gaussian model")
        }
        let (l, q, q1) = (archive.length, archive.alphabet.size, archive.alphabet.size - 1)
        for i in 0..<l { for k in 0..<l { for a in 0..<q1 { for b in 0..<q1 {
            j.scalars[((i * l + k) * q + a) * q + b] /= (diag.scalars[i * q1 + a] * diag.scalars[k * q1 + b]).squareRoot()
        } } } }
    }
    let block = norm == .plmc ? 0..<archive.alphabet.size : 0..<(archive.alphabet.size - 1)     // every state, or every state but the gap
    let norms = ContactMap.frobeniusNorms(couplings: j, block: block, centred: norm == .centred)
    return raw ? norms : norms.apc()
}

extension ContactDefinition: ExpressibleByArgument {}

/// Where the true contacts come from: a structure, or a pairs file.
struct TruthOptions: ParsableArguments {
    @Option(help: "PDB or mmCIF structure giving the true contacts.")
    var pdb: String?

    @Option(help: "Chain id in --pdb (default: the first chain).")
    var chain: String?

    @Option(help: "Model number in a multi-model --pdb file (default: the first).")
    var modelNumber: Int?

    @Option(help: "Contact definition: cb (Cβ–Cβ, Cα for glycine; CASP), ca (Cα–Cα) or heavy (minimum heavy-atom distance; EVcouplings).")
    var contactDefinition = ContactDefinition.betaCarbon

    @Option(help: "Contact distance threshold in Å (default: 8 for cb and ca, 5 for heavy).")
    var threshold: Double?

    @Option(help: "Contact-truth file instead of a structure: one true pair per line, two 1-based column numbers.")
    var truth: String?

    @Flag(help: "Evaluate even when the structure's sequence matches the model's focus at under 90% identity.")
    var allowMismatch = false

    /// nil when neither --pdb nor --truth was given.
    func load(focus: String, length: Int) throws -> (ContactTruth, String)? {
        if let pdb {
            guard truth == nil else { throw ValidationError("give --pdb or --truth, not both") }
            let structure = try StructureReader(chain: chain, model: modelNumber).read(pdb)
            if let threshold, !(threshold > 0) { throw ValidationError("--threshold must be positive") }
            let t = ContactTruth(structure: structure, focus: focus, definition: contactDefinition, threshold: threshold)
            if !allowMismatch { try t.requireAgreement(structure: pdb, chain: structure.chain) }
            return (t, "\(pdb) chain '\(structure.chain)': \(t.agreementSummary)")
        }
        if let truth { return (try ContactTruth.read(pairsFile: truth, length: length), truth) }
        return nil
    }
}

/// The contact-map figure: top `count` pairs with |i − j| ≥ separation above the diagonal.
func contactPlot(_ map: ContactMap, truth: ContactTruth?, archive: ModelArchive, count: Int, separation: Int, title: String, figure: FigureOptions) -> Canvas {
    let pairs = map.rankedPairs(minimumSeparation: separation).prefix(count).map { ContactMapPlot.Pair($0.i, $0.j) }
    var truthLookup: (@Sendable (Int, Int) -> Bool?)? = nil
    if let t = truth { truthLookup = { @Sendable i, j in t.isContact(i, j) } }
    var plot = ContactMapPlot(length: map.length, predicted: Array(pairs), truth: truthLookup,
                              residueNumbers: archive.residueNumbers.map { Swift.abs($0) }, title: title)
    figure.apply(&plot)
    return plot.render()
}

struct ContactsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "Contact scores from a model's couplings: PREFIX.csv (ranked pairs), PREFIX.mat (CCMpred), PREFIX.npy, and a PNG.",
        discussion: "Scores are Frobenius norms of each zero-sum-centred 20×20 coupling block (gap excluded), APC-corrected unless --raw. Columns are numbered by the focus sequence."
    )

    @Argument(help: "Model file written by `seqgen fit`.")
    var model: String

    @Option(name: .shortAndLong, help: "Output prefix.")
    var output: String

    @Flag(help: "Raw Frobenius norms, without APC.")
    var raw = false

    @Option(help: "Only list pairs with |i − j| ≥ this in the CSV.")
    var minSeparation = 1

    @Flag(help: "Gaussian models: score partial correlations instead of the precision matrix.")
    var partialCorrelation = false

    @Option(help: "Block norm: centred (zero-sum over the 20 amino acids; CCMpred) or plmc (as stored, every state; plmc's CN score).")
    var norm = BlockNorm.centred

    @Option(help: "LM: heads averaged, as layer.head labels \"1.2,2.4\" (default: every head; each map symmetrised and APC-corrected).")
    var lmHeads: String?

    @Option(help: "Contact-map figure, .png or .svg (default: PREFIX.png).")
    var plot: String?

    @OptionGroup var plotOptions: ContactPlotOptions

    @OptionGroup var truthOptions: TruthOptions

    @Flag(help: "Overwrite existing outputs.")
    var force = false

    @OptionGroup var verbosity: OutputOptions

    func run() throws {
        let png = plot ?? output + ".png"
        let paths = [output + ".csv", output + ".mat", output + ".npy", png]
        let outputs = try declareOutputs(force: force, plot, group: plot == nil ? paths : Array(paths.prefix(3)))
        let archive = try ModelArchive.read(model, need: "contacts needs a Potts, Gaussian, attention, ArDCA or language model")
        let map = try contactMap(of: archive, path: model, raw: raw, partialCorrelation: partialCorrelation, norm: norm, lmHeads: lmHeads)
        let letters = Array(archive.focusSequence)
        var csv = "i,j,residue_i,residue_j,aa_i,aa_j,score\n"
        for p in map.rankedPairs(minimumSeparation: minSeparation) {
            csv += "\(p.i + 1),\(p.j + 1),\(archive.residueNumbers[p.i]),\(archive.residueNumbers[p.j]),\(letters[p.i]),\(letters[p.j]),\(p.score)\n"
        }
        let truth = try truthOptions.load(focus: archive.focusSequence, length: map.length)
        if let described = truth?.1, truthOptions.pdb != nil { log("structure \(described)") }
        let name = archive.focusName.isEmpty ? model : archive.focusName
        try outputs.write {
            try AtomicFile.write(csv, to: paths[0], overwrite: force)
            try AtomicFile.write(map.matText(), to: paths[1], overwrite: force)
            try NPYFormat.write(NumPyArray(floats: map.scores, shape: [map.length, map.length]), to: paths[2], overwrite: force)
            try plotOptions.plot(map, truth: truth?.0, archive: archive, name: name).write(to: png, overwrite: force, dpi: plotOptions.figure.dpi)
        }
        log("wrote \(paths.joined(separator: ", ")) (L = \(map.length))")
    }
}

/// Which predicted pairs a contact-map figure draws.
struct ContactPlotOptions: ParsableArguments {
    @Option(help: "Pairs drawn in the figure (default: L).")
    var plotPairs: Int?

    @Option(help: "Minimum |i − j| of the pairs drawn in the figure.")
    var plotSeparation = 6

    @OptionGroup(title: "Figure size") var figure: FigureOptions

    func plot(_ map: ContactMap, truth: ContactTruth?, archive: ModelArchive, name: String) throws -> Canvas {
        guard plotPairs.map({ $0 >= 1 }) ?? true, plotSeparation >= 1 else { throw ValidationError("--plot-pairs and --plot-separation must be at least 1") }
        let count = plotPairs ?? map.length
        return contactPlot(map, truth: truth, archive: archive, count: count, separation: plotSeparation,
                           title: "\(name): top \(count) pairs, |i−j| ≥ \(plotSeparation)", figure: figure)
    }
}
