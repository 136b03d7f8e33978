import ArgumentParser
import Attribution
import Console
import DNAData
import Figures
import NumPyIO
import RegulatoryCNN
import Tensors
import Pipelines

extension Seqgen.CNN {
    struct Attribute: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attribute",
            abstract: "Attribution maps of a CNN's task logit: saliency, gradient × input, integrated gradients, SmoothGrad, GradientSHAP, ISM, DeepLIFT, DeepSHAP.",
            discussion: "Writes an (N, 4, L) .npy (A, C, G, T; (N, L, 4) with --channels-last), or an .npz with the maps (`attributions`), the explained sequences' one-hot (`x`, same layout) and their indices in the split (`index`; with --hypothetical also `hypothetical` = 1); with --logo, an attribution logo (map × one-hot for gradient methods, the ISM map centred per position) of one sequence."
        )

        @OptionGroup var options: AttributionOptions

        @Option(name: .shortAndLong, help: "Output attribution maps (.npy, or .npz with the sequences and their indices).")
        var output: String

        @Flag(help: "Write (N, L, 4) instead of (N, 4, L) (the Keras / TF-MoDISco layout).")
        var channelsLast = false

        @Option(help: "Attribution logo of one explained sequence (PNG or SVG).")
        var logo: String?

        @Option(parsing: .unconditional, help: "Which explained sequence the logo shows (0-based among those written).")
        var logoIndex = 0

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup(title: "Figure size") var figure: FigureOptions

        @Option(help: "ism2: heatmap of the position × position interaction norm of one explained sequence (--logo-index).")
        var heatmap: String?

        func run() throws {
            try requireExtension(output, ["npy", "npz"], holding: "a NumPy array (.npy: the maps) or archive (.npz: the maps with their sequences and indices)")
            if options.method == .ism2 { return try runSecondOrder() }
            if heatmap != nil { throw ValidationError("--heatmap is for --method ism2") }
            let outputs = try declareOutputs(force: force, output, logo)
            let clock = Stopwatch()
            let run = try options.compute()
            let (set, chosen, map) = (run.explained, run.chosen, run.map)
            let layout = { (t: Tensor) in channelsLast ? t.permuted([0, 2, 1]) : t }
            var logoPlot: SequenceLogo?
            if logo != nil {
                var plot = try run.logo(logoIndex, split: options.split)
                figure.apply(&plot)
                logoPlot = plot
            }
            try outputs.write {
                if output.lowercased().hasSuffix(".npz") {
                    // Streamed from the tensors: no copy of the maps or sequences (each 450 MB at 70,000 × 400 bp).
                    try NPZStreamWriter.write(to: output, overwrite: force) { npz in
                        try npz.add("attributions", layout(map))
                        try npz.add("x", layout(set.x))                       // set: the explained sequences
                        try npz.add("index", NumPyArray(ints: chosen, shape: [chosen.count]))
                        if options.hypothetical { try npz.add("hypothetical", NumPyArray(ints: [1], shape: [])) }   // `cnn motifs` reads them as they are
                    }
                } else {
                    try NPYFormat.write(NumPyArray(layout(map)), to: output, overwrite: force)
                }
                if let logo, let logoPlot { try figure.write(logoPlot.render(), to: logo, overwrite: force) }
            }
            log("\(options.method.rawValue): \(chosen.count) sequences × \(set.length) bp for task \(run.model.taskNames[options.task]) → \(output) (\(fixed(clock.seconds, 2)) s)")
            if let logo { wrote(logo) }
        }

        /// ism2: ε as (N, W, 4, W, 4) (.npy, or .npz with `epistasis`, `norms` (N, W, W), `index`,
        /// `window`), and the interaction-norm heatmap of one sequence.
        func runSecondOrder() throws {
            if logo != nil || channelsLast { throw ValidationError("--logo and --channels-last are not for --method ism2 (use --heatmap)") }
            let outputs = try declareOutputs(force: force, output, heatmap)
            let clock = Stopwatch()
            let (model, chosen, results) = try options.secondOrder()
            guard logoIndex >= 0, logoIndex < results.count else { throw ValidationError("--logo-index must be from 0 to \(results.count - 1)") }
            let w = results[0].width, range = results[0].window
            let eps = Tensor(shape: [results.count, w, 4, w, 4], scalars: results.flatMap(\.epistasis))
            let norms = Tensor(shape: [results.count, w, w], scalars: results.flatMap(\.norms))
            var canvas: Canvas?
            if heatmap != nil {
                let panel = MatrixPanel(values: results[logoIndex].norms, length: w,
                                        title: "ism2 ‖ε(i,j)‖, \(options.split) sequence \(chosen[logoIndex])",
                                        residueNumbers: range.map { $0 + 1 }, axisName: "Position (bp, 1-based as the logos)")
                canvas = MatrixPanel.grid([panel], columns: 1, size: figure.panelSize(columns: 1, default: 420),
                                          title: "second-order ISM, task \(model.taskNames[options.task])")
            }
            try outputs.write {
                if output.lowercased().hasSuffix(".npz") {
                    var archive = NPZArchive()
                    archive["epistasis"] = NumPyArray(eps)
                    archive["norms"] = NumPyArray(norms)
                    archive["index"] = NumPyArray(ints: chosen, shape: [chosen.count])
                    archive["window"] = NumPyArray(ints: [range.lowerBound, range.upperBound], shape: [2])
                    try archive.write(to: output, overwrite: force)
                } else {
                    try NPYFormat.write(NumPyArray(eps), to: output, overwrite: force)
                }
                if let heatmap, let canvas { try figure.write(canvas, to: heatmap, overwrite: force) }
            }
            log("ism2: \(chosen.count) sequences, window \(range.lowerBound)-\(range.upperBound) (0-based, end exclusive, as --window) for task \(model.taskNames[options.task]) → \(output) (\(fixed(clock.seconds, 2)) s)")
            if let heatmap { wrote(heatmap) }
        }
    }
}
