import ArgumentParser
import Potts
import Contacts
import Structures
import Figures
import NumPyIO
import FileIO
import Tensors
import ArDCA

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
func contactMap(of archive: ModelArchive, path: String, raw: Bool = false, partialCorrelation: Bool = false) throws -> ContactMap {
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
    let block = 0..<(archive.alphabet.size - 1)     // every state but the gap
    let norms = ContactMap.frobeniusNorms(couplings: j, block: block)
    return raw ? norms : norms.apc()
}

/// Where the true contacts come from: a structure, or a pairs file.
struct TruthOptions: ParsableArguments {
    @Option(help: "PDB or mmCIF structure giving the true contacts.")
    var pdb: String?

    @Option(help: "Chain id in --pdb (default: the first chain).")
    var chain: String?

    @Option(help: "Model number in a multi-model --pdb file (default: the first).")
    var modelNumber: Int?

    @Option(help: "Contact distance threshold in Å (Cβ–Cβ, Cα for glycine).")
    var threshold = 8.0

    @Option(help: "Contact-truth file instead of a structure: one true pair per line, two 1-based column numbers.")
    var truth: String?

    /// nil when neither --pdb nor --truth was given.
    func load(focus: String, length: Int) throws -> (ContactTruth, String)? {
        if let pdb {
            guard truth == nil else { throw ValidationError("give --pdb or --truth, not both") }
            let structure = try StructureReader(chain: chain, model: modelNumber).read(pdb)
            let t = ContactTruth(structure: structure, focus: focus, threshold: threshold)
            return (t, "\(pdb) chain '\(structure.chain)': \(t.mapping.compactMap { $0 }.count) columns mapped, \(t.mismatches) mismatched letters")
        }
        if let truth { return (try ContactTruth.read(pairsFile: truth, length: length), truth) }
        return nil
    }
}

/// The contact-map figure: top `count` pairs with |i − j| ≥ separation above the diagonal.
func contactPlot(_ map: ContactMap, truth: ContactTruth?, archive: ModelArchive, count: Int, separation: Int, title: String) -> Canvas {
    let pairs = map.rankedPairs(minimumSeparation: separation).prefix(count).map { ContactMapPlot.Pair($0.i, $0.j) }
    var truthLookup: (@Sendable (Int, Int) -> Bool?)? = nil
    if let t = truth { truthLookup = { @Sendable i, j in t.isContact(i, j) } }
    return ContactMapPlot(length: map.length, predicted: Array(pairs), truth: truthLookup,
                          residueNumbers: archive.residueNumbers.map { Swift.abs($0) }, title: title).render()
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

    @Option(help: "Contact-map figure, .png or .svg (default: PREFIX.png).")
    var plot: String?

    @OptionGroup var plotOptions: ContactPlotOptions

    @OptionGroup var truthOptions: TruthOptions

    @Flag(help: "Overwrite existing outputs.")
    var force = false

    func run() throws {
        let png = plot ?? output + ".png"
        let paths = [output + ".csv", output + ".mat", output + ".npy", png]
        for p in paths { try refuseExisting(p, force: force) }
        let archive = try ModelArchive.read(model)
        let map = try contactMap(of: archive, path: model, raw: raw, partialCorrelation: partialCorrelation)
        let letters = Array(archive.focusSequence)
        var csv = "i,j,residue_i,residue_j,aa_i,aa_j,score\n"
        for p in map.rankedPairs(minimumSeparation: minSeparation) {
            csv += "\(p.i + 1),\(p.j + 1),\(archive.residueNumbers[p.i]),\(archive.residueNumbers[p.j]),\(letters[p.i]),\(letters[p.j]),\(p.score)\n"
        }
        let truth = try truthOptions.load(focus: archive.focusSequence, length: map.length)
        try AtomicFile.write(csv, to: paths[0], overwrite: force)
        try AtomicFile.write(map.matText(), to: paths[1], overwrite: force)
        try NPYFormat.write(NumPyArray(floats: map.scores, shape: [map.length, map.length]), to: paths[2], overwrite: force)
        let name = archive.focusName.isEmpty ? model : archive.focusName
        try plotOptions.plot(map, truth: truth?.0, archive: archive, name: name).write(to: png, overwrite: force)
        log("wrote \(paths.joined(separator: ", ")) (L = \(map.length))")
    }
}

/// Which predicted pairs a contact-map figure draws.
struct ContactPlotOptions: ParsableArguments {
    @Option(help: "Pairs drawn in the figure (default: L).")
    var plotPairs: Int?

    @Option(help: "Minimum |i − j| of the pairs drawn in the figure.")
    var plotSeparation = 6

    func plot(_ map: ContactMap, truth: ContactTruth?, archive: ModelArchive, name: String) throws -> Canvas {
        guard plotPairs.map({ $0 >= 1 }) ?? true, plotSeparation >= 1 else { throw ValidationError("--plot-pairs and --plot-separation must be at least 1") }
        let count = plotPairs ?? map.length
        return contactPlot(map, truth: truth, archive: archive, count: count, separation: plotSeparation,
                           title: "\(name)  TOP \(count) PAIRS, |I-J| >= \(plotSeparation)")
    }
}
