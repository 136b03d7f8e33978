import Console
import ArgumentParser
import Sequences

/// Options that say how to read an alignment; shared by every command that reads one.
struct AlignmentOptions: ParsableArguments {
    @Option(help: "Alignment format: \(AlignmentFormat.allCases.map(\.rawValue).joined(separator: ", ")) (default: from the content and the extension).")
    var format: AlignmentFormat?

    @Option(help: "Residue alphabet: protein (ACDEFGHIKLMNPQRSTVWY + gap), rna (ACGU + gap; T reads as U), dna, or your own states: upper-case letters, digits or ASCII symbols (e.g. ACGUN, or _*^ as in plmc's Potts example; the gap is added last; other letters read as gap).")
    var alphabet = "protein"

    @Option(help: "Focus (query) sequence: 1-based record number or name (default: the first record).")
    var focus: String?

    @Flag(help: "A2M/Stockholm: keep every column instead of the focus's match (uppercase) columns.")
    var allColumns = false

    @Option(parsing: .unconditional, help: "Drop sequences with more than this fraction of gaps.")
    var maxSeqGaps = 1.0

    @Option(parsing: .unconditional, help: "Drop columns with more than this fraction of gaps.")
    var maxColGaps = 1.0

    @Option(parsing: .unconditional, help: "Drop sequences covering less than this fraction of the focus's residues.")
    var minCoverage = 0.0

    @Option(parsing: .unconditional, help: "Drop columns where no more than this fraction of sequences has a residue (EVcouplings' minimum_column_coverage).")
    var minColCoverage = 0.0

    @Flag(help: "EVcouplings' align-stage filters: --max-seq-gaps 0.5 (minimum_sequence_coverage 50%) and --min-col-coverage 0.7.")
    var evcouplingsFilters = false

    @Flag(help: "Drop sequences with letters outside the 20 amino acids and gaps (B, J, O, U, X, Z…), as plmc does, instead of reading them as gaps.")
    var dropNonstandard = false

    @Option(parsing: .unconditional, help: "Drop sequences more than this identical to one already kept, in file order (identity over all columns, gap–gap counting, as the weights'; not hhfilter -id, which counts only columns where both have a residue; 1 = off).")
    var maxIdentity = 1.0

    @Option(parsing: .unconditional, help: "Keep at most this many sequences (after the other filters).")
    var maxSeqs: Int?

    /// The options that shape an alignment's columns or filter its sequences, set away from their
    /// defaults (a language model reads the raw sequences and would ignore them).
    var alignmentShaping: [String] {
        [("--format", format != nil), ("--alphabet", alphabet != "protein"), ("--all-columns", allColumns),
         ("--max-seq-gaps", maxSeqGaps != 1), ("--max-col-gaps", maxColGaps != 1), ("--min-coverage", minCoverage != 0),
         ("--min-col-coverage", minColCoverage != 0), ("--evcouplings-filters", evcouplingsFilters), ("--drop-nonstandard", dropNonstandard),
         ("--max-identity", maxIdentity != 1), ("--max-seqs", maxSeqs != nil)].filter(\.1).map(\.0)
    }

    func read(_ path: String) throws -> MultipleSequenceAlignment {
        let states: Alphabet
        do { states = try Alphabet.named(alphabet) } catch { throw ValidationError("--alphabet \(alphabet): \(error)") }
        let msa = try AlignmentReader(format: format, focus: focus, keepAllColumns: allColumns, alphabet: states,
                                      dropsNonstandardSequences: dropNonstandard).read(path)
        for w in msa.warnings { log("warning: \(w)") }
        let ev = evcouplingsFilters ? AlignmentFilter.evcouplings : AlignmentFilter()
        let filtered = AlignmentFilter(maxSequenceGapFraction: Swift.min(maxSeqGaps, ev.maxSequenceGapFraction), maxColumnGapFraction: maxColGaps,
                                       minColumnCoverage: Swift.max(minColCoverage, ev.minColumnCoverage),
                                       minFocusCoverage: minCoverage, maxIdentity: maxIdentity, maxSequences: maxSeqs).apply(msa)
        let filters = alignmentShaping.filter { !["--format", "--alphabet", "--all-columns"].contains($0) }
        if !filters.isEmpty {
            log("\(path): kept \(filtered.count) of \(msa.count + msa.droppedNonstandard) sequences"
                + (msa.droppedNonstandard > 0 ? " (\(msa.droppedNonstandard) dropped for non-standard letters)" : "")
                + " and \(filtered.length) of \(msa.length) columns")
        }
        guard filtered.count >= 1, filtered.length >= 1 else {
            throw ValidationError("\(path): no \(filtered.count < 1 ? "sequences" : "columns") left after filtering (\(filters.joined(separator: ", ")))")
        }
        return filtered
    }
}

extension AlignmentFormat: ExpressibleByArgument {}
extension SequenceWeights.Identity: ExpressibleByArgument {}
