import Console
import ArgumentParser
import Sequences
import Pipelines
import Statistics

extension Seqgen {
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info",
            abstract: "Summarise an alignment: N, L, Neff, gaps, focus sequence, column occupancy.",
            discussion: """
            --plot draws four panels: each column's occupancy (non-gap fraction) and conservation \
            (bits of the weighted residue frequencies, gaps left out, as a logo's letters stack), and \
            histograms of the sequences' identity to the focus (over the focus's residues) and of \
            their gap fractions.
            """
        )

        @Argument(help: "Alignment file (A3M, A2M, FASTA, Stockholm, .aln; gzipped too).")
        var alignment: String

        @OptionGroup var input: AlignmentOptions

        @Option(parsing: .unconditional, help: "Identity threshold for sequence weights (0.8 = θ 0.2).")
        var identity = 0.8

        @Option(help: "θ = 1 − identity for the weights, or auto (GaussDCA/plmDCA: θ = min(0.5, 0.38·0.32 / mean pairwise identity)); instead of --identity.")
        var theta: String?

        @Option(help: "Identity definition for weights: plmc (over all columns; the default), plmc-inclusive (plmc's own ≥ rule) or deepsequence (over non-gap residues).")
        var weighting = SequenceWeights.Identity.plmc

        @Flag(help: "Print JSON.")
        var json = false

        @Option(help: "Figure (column occupancy and conservation, identity to the focus, gaps per sequence), .png or .svg.")
        var plot: String?

        @Flag(help: "Overwrite an existing figure.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try runtime.apply()
            let outputs = try declareOutputs(force: force, plot)
            let msa = try input.read(alignment)
            let identity = FitSettings.Theta.identity(theta.flatMap(FitSettings.Theta.init), otherwise: self.identity, for: msa)
            let weights = weightsShowingProgress(msa, identity: identity, definition: weighting, quiet: runtime.quiet)
            let s = AlignmentSummary(msa, identity: identity, weighting: weighting, weights: weights)
            if let plot {
                try outputs.write { try s.figure().write(to: plot, overwrite: force) }
                wrote(plot)
            }
            let others = s.identityOfOthers
            if json {
                JSONText.emit([
                    ("file", .string(s.source)), ("sequences", .int(s.sequences)), ("columns", .int(s.columns)),
                    ("identity_threshold", .double(s.identityThreshold)), ("weighting", .string(s.weighting.rawValue)),
                    ("neff", .double(s.neff)), ("mean_gap_fraction", .double(s.meanGapFraction)),
                    ("sequences_over_half_gaps", .int(s.sequencesWithGapsOverHalf)),
                    ("focus_name", .string(s.focusName)), ("focus_index", .int(s.focusRecord)),
                    ("focus_sequence", .string(s.focusSequence)), ("first_residue_number", .int(s.firstResidueNumber)),
                    ("column_occupancy", .array(s.columnOccupancy.map { .double($0) })),
                    ("column_conservation_bits", .array(s.columnConservation.map { .double($0) })),
                    ("median_identity_to_focus", others.isEmpty ? .null : .double(median(others))),
                    ("base_pairs", .array(msa.basePairs.map { .array([.int($0.i + 1), .int($0.j + 1)]) })),
                ])
                return
            }
            print("file:        \(s.source)")
            print("sequences:   \(s.sequences)")
            print("columns:     \(s.columns)")
            print("Neff:        \(fixed(s.neff, 1)) (\(s.weighting.rawValue) weights: \(s.weighting.rule(threshold: s.identityThreshold)))")
            print("gaps:        \(fixed(s.meanGapFraction * 100, 1))% of all cells; \(s.sequencesWithGapsOverHalf) sequences are over half gaps")
            print("focus:       record \(s.focusRecord) of the file, \(s.focusName), numbered from \(s.firstResidueNumber)")
            print("             \(s.focusSequence)")
            print("occupancy:   \(occupancyBar(s.columnOccupancy))")
            print("             (per column, ▁ < 25% … █ = 100% non-gap)")
            if !msa.basePairs.isEmpty {
                print("structure:   #=GC SS_cons, \(msa.basePairs.count) base pairs between model columns (the contact truth of a model fitted here)")
                print("             \(SecondaryStructure.notation(msa.basePairs, length: msa.length))")
            }
            if !others.isEmpty {
                func percent(_ x: Double) -> String { fixed(x * 100, 1) + "%" }
                print("identity:    to the focus, median \(percent(median(others))) (10–90%: \(percent(quantile(others, 0.1)))–\(percent(quantile(others, 0.9))) of the other sequences)")
            }
        }

        func occupancyBar(_ v: [Double]) -> String {
            let bars = Array("▁▂▃▄▅▆▇█")
            return String(v.map { bars[Swift.min(7, Int($0 * 8))] })
        }
    }
}
