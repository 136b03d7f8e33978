#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Console
import FileIO
import Figures
import Motifs

extension MotifComparison.ColumnScore: ExpressibleByArgument {}

extension Seqgen.Motifs {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Compare query motifs with a motif database (Tomtom's method): best alignment, p-, E- and q-values per pair.",
            discussion: """
            Column scores: Pearson correlation or minus the Euclidean distance of probability columns, \
            centred on each query column's median score against all database columns (Tomtom's complete \
            score); every offset with at least --min-overlap aligned columns, database motifs on both \
            strands. A pair's optimal alignment has the highest complete score; its p-value is that of \
            the best of all the pair's alignments, each alignment's null the exact sum of its aligned \
            columns' null scores (binned, --bins per unit score), as Tomtom computes it; E = p × database \
            size; q: Benjamini–Hochberg over the query's targets. \
            Writes Tomtom's tab-separated columns (Query_ID, Target_ID, Optimal_offset, p-value, E-value, \
            q-value, Overlap, Query_consensus, Target_consensus, Orientation) for pairs with q ≤ --thresh.
            """
        )

        /// The library's comparison settings: the options' defaults.
        static let library = MotifComparison()

        @Argument(help: "Query motifs (MEME, JASPAR or HOMER).")
        var query: String

        @Argument(help: "Database motifs (MEME, JASPAR or HOMER), e.g. ../shared/data/regulatory/JASPAR2016_CORE_vertebrates.meme.")
        var database: String

        @Option(help: "Column score: pearson or euclidean.")
        var dist = Self.library.columnScore

        @Option(parsing: .unconditional, help: "Report pairs with q-value at most this (Tomtom's -thresh).")
        var thresh = 0.5

        @Option(help: "Fewest aligned columns in an alignment.")
        var minOverlap = Self.library.minimumOverlap

        @Option(help: "Grid steps per unit of column score for the null distribution.")
        var bins = Self.library.bins

        @Flag(help: "Only each query's best match.")
        var best = false

        @Option(name: .shortAndLong, help: "Output table (.tsv; default standard output).")
        var output: String?

        @Option(help: "Also draw the reported pairs as Tomtom does (.png or .svg): each query's logo above its match's, the match on its matched strand and shifted to the optimal offset.")
        var plot: String?

        @Option(parsing: .unconditional, help: "Pairs drawn by --plot, in table order.")
        var plotPairs = 10

        @Flag(help: "Overwrite an existing output.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        func validate() throws {
            guard thresh > 0, thresh <= 1 else { throw ValidationError("--thresh must be in (0, 1], got \(thresh)") }
            guard minOverlap >= 1 else { throw ValidationError("--min-overlap must be at least 1, got \(minOverlap)") }
            guard (10...10000).contains(bins) else { throw ValidationError("--bins must be 10–10000, got \(bins)") }
            guard plotPairs >= 1 else { throw ValidationError("--plot-pairs must be at least 1, got \(plotPairs)") }
        }

        func run() throws {
            try runtime.apply()
            let outputs = try declareOutputs(force: force, output, plot)
            let queries = try MotifFile.read(query), targets = try MotifFile.read(database)
            let clock = Stopwatch()
            let comparison = MotifComparison(columnScore: dist, minimumOverlap: minOverlap, bins: bins)
            var matches = comparison.compare(queries, against: targets).filter { $0.qValue <= thresh }
            if best {
                var seen = Set<Int>()
                matches = matches.filter { seen.insert($0.query).inserted }
            }
            var text = "Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\tOrientation\n"
            /// The database motif on the strand it matched.
            func matched(_ m: MotifComparison.Match) -> Motif { m.reverseComplement ? targets[m.target].reverseComplement : targets[m.target] }
            for m in matches {
                let (t, shown) = (targets[m.target], matched(m))
                text += "\(queries[m.query].id)\t\(t.id)\t\(-m.offset)\t\(scientific(m.pValue))\t\(scientific(m.eValue))\t\(scientific(m.qValue))\t\(m.overlap)\t\(queries[m.query].consensus)\t\(shown.consensus)\t\(m.reverseComplement ? "-" : "+")\n"
            }
            if let output {
                try outputs.write { try AtomicFile.write(text, to: output, overwrite: force) }
                log("\(queries.count) queries × \(targets.count) targets: \(matches.count) pairs with q ≤ \(thresh) → \(output) (\(fixed(clock.seconds, 2)) s)")
            } else {
                print(text, terminator: "")
            }
            if let plot {
                guard !matches.isEmpty else { throw ValidationError("--plot: no pair has q ≤ \(thresh): nothing to draw (raise --thresh)") }
                let pairs = matches.prefix(plotPairs).map { m -> AlignedLogoPairs.Pair in
                    let (q, t, shown) = (queries[m.query], targets[m.target], matched(m))
                    return AlignedLogoPairs.Pair(
                        top: ("\(q.id) \(q.name)", q.probabilities()),
                        bottom: ("\(t.id) \(t.name) (\(m.reverseComplement ? "−" : "+") strand) p \(scientific(m.pValue)), E \(scientific(m.eValue)), q \(scientific(m.qValue))",
                                 shown.probabilities()),
                        offset: m.offset)
                }
                try outputs.write { try AlignedLogoPairs(pairs: pairs).render().write(to: plot, overwrite: force) }
                wrote(plot)
            }
        }
    }
}
