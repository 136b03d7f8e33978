import Console
import ArgumentParser
import Potts
import Contacts
import Structures
import Figures
import NumPyIO
import FileIO
import Tensors
import Pipelines

extension BlockNorm: ExpressibleByArgument {}
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
        let archive = try ModelArchive.read(model, need: "contacts needs a Potts, Gaussian, attention, ArDCA or VAE model")
        let map = try archive.contactMap(path: model, raw: raw, partialCorrelation: partialCorrelation, norm: norm)
        let csv = archive.contactTable(map, minimumSeparation: minSeparation)
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
