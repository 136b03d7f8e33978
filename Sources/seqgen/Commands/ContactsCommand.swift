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
import LanguageModel

extension BlockNorm: ExpressibleByArgument {}
extension ContactScore: ExpressibleByArgument {}

extension Seqgen {
    struct Contacts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contacts",
            abstract: "Contact scores from a model's couplings: PREFIX.csv (ranked pairs), PREFIX.mat (CCMpred), PREFIX.npy, and a PNG.",
            discussion: "Scores are Frobenius norms of each zero-sum-centred 20×20 coupling block (gap excluded), APC-corrected unless --raw; --score di: direct information (Morcos et al. 2011) of every pair, which needs the single-site frequencies (--alignment, or a Gaussian model's stored mean). --evcouplings also writes EVcouplings' PREFIX_CouplingScores.csv and PREFIX_CouplingScores_longrange.csv (fn, cn and the skew-normal/log-normal mixture probability). Columns are numbered by the focus sequence."
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

        @Option(help: "LM: score pairs by this logistic regression over the heads (a CSV written by `seqgen eval contacts --fit-head-regression`) instead of the head average.")
        var headRegression: String?

        @Option(help: "Pair score: frobenius (APC-corrected block norms) or di (direct information, Morcos et al. 2011; not APC-corrected).")
        var score = ContactScore.frobenius

        @Option(help: "Alignment the model was fitted to: its weighted single-site frequencies for --score di (weights at the model's identity threshold).")
        var alignment: String?

        @OptionGroup(title: "Reading --alignment") var reading: AlignmentOptions

        @Option(help: "VAE: average the saliency couplings over this many sequences of --alignment, spread evenly over it (default: the focus sequence alone).")
        var saliencySequences: Int?

        @Flag(help: "Also write EVcouplings' tables PREFIX_CouplingScores.csv and PREFIX_CouplingScores_longrange.csv (fn, cn = APC-corrected fn, mixture probability).")
        var evcouplings = false

        @Option(help: "Minimum |i − j| (residue numbers) of PREFIX_CouplingScores_longrange.csv (EVcouplings' min_sequence_distance).")
        var longRange = 6

        @Option(help: "Contact-map figure, .png or .svg (default: PREFIX.png).")
        var plot: String?

        @OptionGroup var plotOptions: ContactPlotOptions

        @OptionGroup var truthOptions: TruthOptions

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var verbosity: OutputOptions

        func run() throws {
            let png = plot ?? output + ".png"
            let tables = evcouplings ? [output + "_CouplingScores.csv", output + "_CouplingScores_longrange.csv"] : []
            let paths = [output + ".csv", output + ".mat", output + ".npy"] + tables + [png]
            let outputs = try declareOutputs(force: force, plot, group: plot == nil ? paths : Array(paths.dropLast()))
            let archive = try ModelArchive.read(model, need: "contacts needs a Potts, Gaussian, attention, ArDCA, VAE or language model")
            let msa = try alignment.map { try reading.read($0) }
            let inputs = try saliencySequences.map { try archive.saliencyInputs(from: msa!, count: $0, path: model) }
            let regression = try headRegression.map { try HeadRegression.read($0) }
            let frobenius = score == .frobenius || evcouplings
                ? try archive.contactMap(path: model, raw: true, partialCorrelation: partialCorrelation, norm: norm, lmHeads: lmHeads,
                                         headRegression: regression, saliencyInputs: inputs) : nil
            let map = score == .di ? try archive.directInformation(path: model, alignment: msa, saliencyInputs: inputs)
                : archive.kind == .lm || raw ? frobenius! : frobenius!.apc()
            var evTables: (all: String, longRange: String, mixture: ScoreMixtureModel?)?
            if evcouplings, let frobenius {
                evTables = archive.evcouplingsTables(fn: frobenius, cn: archive.kind == .lm ? frobenius : frobenius.apc(), longRange: longRange)
                if let m = evTables?.mixture {
                    log("mixture of cn scores: noise fraction \(fixed(m.noiseFraction, 4)), skew-normal ω \(fixed(m.scale, 4)) α \(fixed(m.skew, 3)), log-normal μ \(fixed(m.logMean, 3)) σ \(fixed(m.logSD, 3)) (\(m.iterations) EM iterations)")
                } else {
                    log("warning: no cn score is positive: no mixture fitted, every probability is 0")
                }
            }
            let csv = archive.contactTable(map, minimumSeparation: minSeparation)
            let truth = try truthOptions.load(focus: archive.focusSequence, length: map.length)
            if let described = truth?.1, truthOptions.pdb != nil { log("structure \(described)") }
            let name = archive.focusName.isEmpty ? model : archive.focusName
            try outputs.write {
                try AtomicFile.write(csv, to: paths[0], overwrite: force)
                try AtomicFile.write(map.matText(ccmpredExact: ccmpredMat), to: paths[1], overwrite: force)
                try NPYFormat.write(NumPyArray(floats: map.scores, shape: [map.length, map.length]), to: paths[2], overwrite: force)
                if let evTables {
                    try AtomicFile.write(evTables.all, to: tables[0], overwrite: force)
                    try AtomicFile.write(evTables.longRange, to: tables[1], overwrite: force)
                }
                try plotOptions.plot(map, truth: truth?.0, archive: archive, name: name).write(to: png, overwrite: force, dpi: plotOptions.figure.dpi)
            }
            log("wrote \(paths.joined(separator: ", ")) (L = \(map.length))")
        }
    }
}
