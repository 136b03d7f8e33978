import Console
import ArgumentParser
import Sequences

/// Options that say how to read an alignment; shared by every command that reads one.
struct AlignmentOptions: ParsableArguments {
    @Option(help: "Alignment format: \(AlignmentFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: from the content and the extension).")
    var format: AlignmentFormat?

    @Option(help: "Focus (query) sequence: 1-based record number or name (default: the first record).")
    var focus: String?

    @Flag(help: "A2M/Stockholm: keep every column instead of the focus's match (uppercase) columns.")
    var allColumns = false

    @Option(help: "Drop sequences with more than this fraction of gaps.")
    var maxSeqGaps = 1.0

    @Option(help: "Drop columns with more than this fraction of gaps.")
    var maxColGaps = 1.0

    @Option(help: "Drop sequences covering less than this fraction of the focus's residues.")
    var minCoverage = 0.0

    @Option(help: "Drop columns where no more than this fraction of sequences has a residue (EVcouplings' minimum_column_coverage).")
    var minColCoverage = 0.0

    @Flag(help: "EVcouplings' align-stage filters: --max-seq-gaps 0.5 (minimum_sequence_coverage 50%) and --min-col-coverage 0.7.")
    var evcouplingsFilters = false

    @Flag(help: "Drop sequences with letters outside the 20 amino acids and gaps (B, J, O, U, X, Z…), as plmc does, instead of reading them as gaps.")
    var dropNonstandard = false

    @Option(help: "Drop sequences more than this identical to one already kept (hhfilter -id; 1 = off).")
    var maxIdentity = 1.0

    @Option(help: "Keep at most this many sequences (after the other filters).")
    var maxSeqs: Int?

    func read(_ path: String) throws -> MultipleSequenceAlignment {
        let msa = try AlignmentReader(format: format, focus: focus, keepAllColumns: allColumns,
                                      dropsNonstandardSequences: dropNonstandard).read(path)
        for w in msa.warnings { log("warning: \(w)") }
        let ev = evcouplingsFilters ? AlignmentFilter.evcouplings : AlignmentFilter()
        let filtered = AlignmentFilter(maxSequenceGapFraction: Swift.min(maxSeqGaps, ev.maxSequenceGapFraction), maxColumnGapFraction: maxColGaps,
                                       minColumnCoverage: Swift.max(minColCoverage, ev.minColumnCoverage),
                                       minFocusCoverage: minCoverage, maxIdentity: maxIdentity, maxSequences: maxSeqs).apply(msa)
        if dropNonstandard || evcouplingsFilters || minColCoverage > 0 {
            log("\(path): kept \(filtered.count) of \(msa.count + msa.droppedNonstandard) sequences"
                + (msa.droppedNonstandard > 0 ? " (\(msa.droppedNonstandard) dropped for non-standard letters)" : "")
                + " and \(filtered.length) of \(msa.length) columns")
        }
        guard filtered.count >= 1, filtered.length >= 1 else {
            throw ValidationError("\(path): no sequences or columns left after filtering")
        }
        return filtered
    }
}

extension AlignmentFormat: ExpressibleByArgument {}
extension SequenceWeights.Identity: ExpressibleByArgument {}

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Summarise an alignment: N, L, Neff, gaps, focus sequence, column occupancy."
    )

    @Argument(help: "Alignment file (A3M, A2M, FASTA, Stockholm, .aln; gzipped too).")
    var alignment: String

    @OptionGroup var input: AlignmentOptions

    @Option(help: "Identity threshold for sequence weights (0.8 = θ 0.2).")
    var identity = 0.8

    @Option(help: "Identity definition for weights: plmc (over all columns) or deepsequence (over non-gap residues).")
    var weighting = SequenceWeights.Identity.plmc

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var runtime: RuntimeOptions

    func run() throws {
        try runtime.apply()
        let msa = try input.read(alignment)
        let s = AlignmentSummary(msa, identity: identity, weighting: weighting)
        if json {
            JSONText.emit([
                ("file", .string(s.source)), ("sequences", .int(s.sequences)), ("columns", .int(s.columns)),
                ("identity_threshold", .double(s.identityThreshold)), ("weighting", .string(s.weighting.rawValue)),
                ("neff", .double(s.neff)), ("mean_gap_fraction", .double(s.meanGapFraction)),
                ("sequences_over_half_gaps", .int(s.sequencesWithGapsOverHalf)),
                ("focus_name", .string(s.focusName)), ("focus_index", .int(s.focusIndex + 1)),
                ("focus_sequence", .string(s.focusSequence)), ("first_residue_number", .int(s.firstResidueNumber)),
                ("column_occupancy", .array(s.columnOccupancy.map { .double($0) })),
            ])
            return
        }
        print("file:        \(s.source)")
        print("sequences:   \(s.sequences)")
        print("columns:     \(s.columns)")
        print("Neff:        \(fixed(s.neff, 1)) (identity > \(s.identityThreshold), \(s.weighting.rawValue) definition)")
        print("gaps:        \(fixed(s.meanGapFraction * 100, 1))% of all cells; \(s.sequencesWithGapsOverHalf) sequences are over half gaps")
        print("focus:       #\(s.focusIndex + 1) \(s.focusName), numbered from \(s.firstResidueNumber)")
        print("             \(s.focusSequence)")
        print("occupancy:   \(occupancyBar(s.columnOccupancy))")
        print("             (per column, ▁ < 25% … █ = 100% non-gap)")
    }

    func occupancyBar(_ v: [Double]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        return String(v.map { bars[Swift.min(7, Int($0 * 8))] })
    }
}
