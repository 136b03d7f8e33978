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

extension Seqgen {
    struct Contacts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contacts",
            abstract: "Contact scores from a model's couplings: PREFIX.csv (ranked pairs), PREFIX.mat (CCMpred), PREFIX.npy, and a PNG.",
            discussion: "Scores are Frobenius norms of each zero-sum-centred 20×20 coupling block (gap excluded), APC-corrected unless --raw. Columns are numbered by the focus sequence."
        )

        @Argument(help: "Model file written by `seqgen fit`.")
        var model: String

        @Option(name: .shortAndLong, help: "Output prefix.")
        var output: String

        @Flag(help: "Write PREFIX.mat byte for byte as CCMpred does: each value as %.20e followed by a tab.")
        var ccmpredMat = false

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
            let archive = try ModelArchive.read(model, need: "contacts needs a Potts, Gaussian, attention, ArDCA, VAE or language model")
            let map = try archive.contactMap(path: model, raw: raw, partialCorrelation: partialCorrelation, norm: norm, lmHeads: lmHeads)
            let csv = archive.contactTable(map, minimumSeparation: minSeparation)
            let truth = try truthOptions.load(focus: archive.focusSequence, length: map.length)
            if let described = truth?.1, truthOptions.pdb != nil { log("structure \(described)") }
            let name = archive.focusName.isEmpty ? model : archive.focusName
            try outputs.write {
                try AtomicFile.write(csv, to: paths[0], overwrite: force)
                try AtomicFile.write(map.matText(ccmpredExact: ccmpredMat), to: paths[1], overwrite: force)
                try NPYFormat.write(NumPyArray(floats: map.scores, shape: [map.length, map.length]), to: paths[2], overwrite: force)
                try plotOptions.plot(map, truth: truth?.0, archive: archive, name: name).write(to: png, overwrite: force, dpi: plotOptions.figure.dpi)
            }
            log("wrote \(paths.joined(separator: ", ")) (L = \(map.length))")
        }
    }
}
