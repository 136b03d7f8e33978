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

        @Option(parsing: .unconditional, help: "Only list pairs with |i − j| ≥ this in the CSV.")
        var minSeparation = 1

        @OptionGroup(title: "Pair scores") var pairs: PairScoreOptions

        @Flag(help: "Also write EVcouplings' tables PREFIX_CouplingScores.csv and PREFIX_CouplingScores_longrange.csv (fn, cn = APC-corrected fn, mixture probability).")
        var evcouplings = false

        @Option(parsing: .unconditional, help: "Minimum |i − j| (residue numbers) of PREFIX_CouplingScores_longrange.csv (EVcouplings' min_sequence_distance).")
        var longRange = 6

        @Option(help: "Where the contact-map figure goes, .png or .svg (without this option: PREFIX.png).")
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
            guard minSeparation < archive.length else {
                throw ValidationError("--min-separation \(minSeparation): \(model) has \(archive.length) columns, so no pair is that far apart (nothing written)")
            }
            if evcouplings && longRange >= archive.length { warn("--long-range \(longRange): no pair of \(model)'s \(archive.length) columns is that far apart, so the long-range table is empty") }
            let (map, frobenius) = try pairs.scores(archive, path: model, frobeniusToo: evcouplings)
            var evTables: (all: String, longRange: String, mixture: ScoreMixtureModel?)?
            if evcouplings, let frobenius {
                evTables = archive.evcouplingsTables(fn: frobenius, corrected: archive.kind != .lm, longRange: longRange)
                if let m = evTables?.mixture {
                    log("mixture of cn scores: noise fraction \(fixed(m.noiseFraction, 4)), skew-normal ω \(fixed(m.scale, 4)) α \(fixed(m.skew, 3)), log-normal μ \(fixed(m.logMean, 3)) σ \(fixed(m.logSD, 3)) (\(m.iterations) EM iterations)")
                } else {
                    log("warning: the mixture of cn scores did not fit (no cn score is positive, or its signal component collapsed onto one score): every probability is 0")
                }
            }
            let csv = archive.contactTable(map, minimumSeparation: minSeparation)
            let truth = try truthOptions.load(archive, length: map.length)
            if let described = truth?.1, truthOptions.truth == nil { log(truthOptions.pdb != nil ? "structure \(described)" : "truth: \(described)") }
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
