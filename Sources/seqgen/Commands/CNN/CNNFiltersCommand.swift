import Console
import ArgumentParser
import Attribution
import Figures
import FileIO
import Motifs
import RegulatoryCNN

extension Seqgen.CNN {
    struct Filters: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "filters",
            abstract: "First-layer filters as motifs: align the sequence windows that activate each filter (Koo & Eddy 2019), write MEME/JASPAR and a logo grid; optionally match them to a database.",
            discussion: """
            For each first-layer filter: the windows (filter width) at every position of the chosen split \
            whose activation (convolution, BatchNorm, activation, inference mode) exceeds --threshold × the \
            filter's largest activation; their base counts are the filter's frequency matrix, clipped about \
            its informative core (positions above --clip-information bits, widened by --clip-pad; Koo & \
            Ploenzke 2021) before it is written and matched. With \
            --database, each filter is compared with the database (`seqgen motifs compare`, Pearson, both \
            strands) and a summary counts the filters with a match at E < --e-threshold (the published \
            `tomtom -evalue -thresh 0.1`), and — with \
            --truth — the filters matching a ground-truth motif and the ground-truth motifs recovered \
            (published "filter interpretability"). --truth lists the ground-truth motifs, comma-separated, \
            each a database motif name or ID, or a group of them that counts as one motif, as the \
            published scoring lists JASPAR IDs per TF: `NAME=ID|ID…` (e.g. \
            `Arid3=MA0151.1|MA0601.1,NFYB=MA0502.1|MA0060.2`).
            """
        )

        @Argument(help: "Model (.npz from `seqgen cnn train`).")
        var model: String

        @Argument(help: "Dataset (.npz or HDF5, or FASTA with --labels).")
        var dataset: String

        @OptionGroup var input: DNADatasetOptions

        @Option(name: .shortAndLong, help: "Output motifs (.meme, or .jaspar/.pfm for JASPAR counts).")
        var output: String

        @Option(help: "Logo grid of all filters (PNG or SVG).")
        var logos: String?

        @Option(help: "Split to scan: train, valid or test.")
        var split = "test"

        @Option(parsing: .unconditional, help: "Fraction of the filter's largest activation a window must exceed.")
        var threshold: Float = 0.5

        @Option(help: "Motif database to match the filters against (MEME or JASPAR).")
        var database: String?

        @Option(help: "Ground-truth motifs (comma-separated names or IDs in the database, or NAME=ID|ID… groups), e.g. the 12 TFs of the multi task.")
        var truth: String?

        @Option(parsing: .unconditional, help: "E-value below which a filter matches a database motif (Tomtom's -evalue -thresh).")
        var eThreshold = 0.1

        @Option(parsing: .unconditional, help: "Clip each filter to the positions from the first to the last with more than this information (bits), plus --clip-pad; 0 keeps the whole filter.")
        var clipInformation = 0.5

        @Option(parsing: .unconditional, help: "Positions kept on each side of the informative core when clipping.")
        var clipPad = 3

        @Option(help: "Matches table (TSV: filter, best target, its name, p, E, q, ground truth) with --database.")
        var table: String?

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        func validate() throws {
            guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must be in (0, 1), got \(threshold)") }
            guard eThreshold > 0, eThreshold.isFinite else { throw ValidationError("--e-threshold must be a positive number, got \(eThreshold)") }
            guard clipInformation >= 0, clipInformation < 2 else { throw ValidationError("--clip-information must be in [0, 2) bits, got \(clipInformation)") }
            guard clipPad >= 0 else { throw ValidationError("--clip-pad must be at least 0, got \(clipPad)") }
            if truth != nil && database == nil { throw ValidationError("--truth needs --database") }
            if table != nil && database == nil { throw ValidationError("--table needs --database") }
        }

        func run() throws {
            let outputs = try declareOutputs(force: force, output, logos, table)
            try runtime.apply(ownThreading: true)
            let m = try CNNModel.read(model)
            let (_, set) = try input.read(dataset, split: split, objective: m.objective)
            guard set.length == m.length else { throw ValidationError("\(dataset): sequences of \(set.length) bp; the model expects \(m.length)") }
            let clock = Stopwatch()
            let bar = ProgressBar("filters", total: 2 * set.count, quiet: runtime.quiet)
            let result = try FilterMotifs.motifs(m, x: set.x, threshold: threshold) { done, _ in bar.update(done) }
            bar.finish()
            let written = clipInformation > 0 ? result.motifs.map { $0.clipped(minimumInformation: clipInformation, pad: clipPad) } : result.motifs
            var summary: FilterMatchSummary?
            if let database {
                let db = try MotifFile.read(database)
                let groups = truth.map { $0.split(separator: ",").map(TruthMotif.init(parsing:)) } ?? []
                for group in groups where !db.contains(where: group.matches) {
                    throw ValidationError("--truth: '\(group.aliases.sorted().joined(separator: "|"))' names no motif (name or ID) in \(database)")
                }
                summary = FilterMatchSummary(filters: written, database: db, truth: groups, eThreshold: eThreshold)
            }
            let text = MotifFile.render(written, for: output)
            try outputs.write {
                try AtomicFile.write(text, to: output, overwrite: force)
                if let logos { try FilterLogoGrid.render(written).write(to: logos, overwrite: force) }
                if let table, let summary { try AtomicFile.write(summary.table, to: table, overwrite: force) }
            }
            let active = result.motifs.filter { ($0.sites ?? 0) > 0 }.count
            log("\(result.motifs.count) filters (\(active) active) from \(set.count) \(split) sequences → \(output) (\(fixed(clock.seconds, 2)) s)")
            if let logos { wrote(logos) }
            if let summary { print(summary.text) }
        }
    }
}

/// The logo grid of a filter set: one information logo per filter titled with its site count.
enum FilterLogoGrid {
    static func render(_ motifs: [Motif]) throws -> Canvas {
        try LogoGrid(logos: motifs.map { ("\($0.id) (\(Int($0.sites ?? 0)) sites)", $0.probabilities()) }).render()
    }
}
