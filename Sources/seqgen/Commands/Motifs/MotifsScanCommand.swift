import ArgumentParser
import Console
import DNAData
import FileIO
import Motifs

extension Seqgen.Motifs {
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scan",
            abstract: "Find motif occurrences in DNA sequences (FIMO's method): log-odds scores, exact p-values, q-values.",
            discussion: """
            Each motif becomes a log-odds matrix log₂(p′/b) against the background b (--background; by \
            default the one the motif file states, as FIMO's --bfile --motif--, uniform when it states none), its probabilities smoothed as FIMO does: p′ = (p·n + π·b)/(n + π), n the \
            motif's sites (\(Int(Motif.defaultSites)) when unknown), π = --pseudocount. Every window is \
            scored on both strands unless --norc or the file says `strands: +` (windows with N or other ambiguous bases are skipped); the p-value is \
            exact for the score rounded down to 1/--bins bit per column. q-values: Benjamini–Hochberg \
            over all windows scored for the motif. Writes FIMO's tab-separated columns for windows with \
            p ≤ --thresh; start and stop are 1-based positions in the sequence as given, for hits on the − strand too (as FIMO reports them), and matched_sequence is read on the hit's strand.
            """
        )

        @Argument(help: "Motifs (MEME, JASPAR or HOMER).")
        var motifs: String

        @Argument(help: "Sequences (FASTA, any lengths; gzip allowed).")
        var sequences: String

        @Option(help: "Report windows with p-value at most this (FIMO's --thresh).")
        var thresh = 1e-4

        @Option(help: "Only these motifs, by ID or name, comma-separated.")
        var motif: String?

        @Option(help: "Background: four frequencies of A,C,G,T, or uniform (default: the motif file's \"Background letter frequencies\", uniform when it has none).")
        var background: String?

        @Option(parsing: .unconditional, help: "Pseudocount added to the motif's counts, in proportion to the background (FIMO's --motif-pseudo).")
        var pseudocount = 0.1

        @Option(parsing: .unconditional, help: "Grid steps per bit for the exact p-values.")
        var bins = 100

        @Flag(help: "Score the given strand only, not the reverse complement (FIMO's --norc).")
        var norc = false

        @Flag(help: "Where both strands of a window pass, report only the higher-scoring one (FIMO's --max-strand; a tie keeps the + strand).")
        var maxStrand = false

        @Flag(help: "Write each batch's hits as it is scanned (FIMO's --text): memory bounded by a batch, not by the hits; no q-values (the column is empty); rows by batch, then motif, sequence, position, strand.")
        var text = false

        @Option(help: "Keep at most this many hits (FIMO's --max-stored-scores; default: all): past it, those with p-values at or above the (N/2 + 1)-th best are dropped, with a warning, and later windows must beat that p-value. Not with --text, which keeps none.")
        var maxStoredScores: Int?

        @Flag(help: "Read headers that name a genomic region (>chr1:1001-1100, FIMO's --parse-genomic-coord; also chr1:1000-1100 as bedtools getfasta writes it, told apart by the sequence's length) and report hits on the chromosome.")
        var parseGenomicCoord = false

        @Option(name: .shortAndLong, help: "Output table (.tsv; default standard output).")
        var output: String?

        @Flag(help: "Overwrite an existing output.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        func validate() throws {
            guard thresh > 0, thresh <= 1 else { throw ValidationError("--thresh must be in (0, 1], got \(thresh)") }
            guard pseudocount > 0, pseudocount.isFinite else { throw ValidationError("--pseudocount must be positive (a zero probability would score −∞), got \(pseudocount)") }
            guard (10...10000).contains(bins) else { throw ValidationError("--bins must be 10–10000, got \(bins)") }
            _ = try backgroundFrequencies()
            if let maxStoredScores {
                guard maxStoredScores >= 1 else { throw ValidationError("--max-stored-scores must be at least 1, got \(maxStoredScores)") }
                guard !text else { throw ValidationError("--max-stored-scores bounds the hits kept for the q-values; --text keeps none (drop one of the two)") }
            }
        }

        /// nil: each motif's own.
        func backgroundFrequencies() throws -> [Double]? {
            guard let background else { return nil }
            if background == "uniform" { return Motif.uniformBackground }
            let v = background.split(separator: ",").map { Double($0.trimmingWhitespace()) }
            guard v.count == 4, v.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw ValidationError("--background takes four positive frequencies of A,C,G,T, e.g. 0.3,0.2,0.2,0.3, or uniform; got '\(background)'")
            }
            let total = v.reduce(0) { $0 + $1! }
            return v.map { $0! / total }
        }

        func run() throws {
            try runtime.apply()
            let outputs = try declareOutputs(force: force, output)
            var chosen = try MotifFile.read(motifs)
            if let motif { chosen = try chosen.selecting(motif, path: motifs) }
            let clock = Stopwatch()
            var scan = MotifScan()
            (scan.background, scan.pseudocount, scan.bins, scan.threshold, scan.bothStrands, scan.maxStrand) = (try backgroundFrequencies(), pseudocount, bins, thresh, !norc, maxStrand)
            let header = "motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\tscore\tp-value\tq-value\tmatched_sequence\n"
            var count = (hits: 0, sequences: 0)
            if let output {
                try outputs.write {
                    try AtomicFile.write(to: output, overwrite: force) { sink in
                        try sink.write(Array(header.utf8))
                        count = try scanAll(scan, chosen) { try sink.write(Array($0.utf8)) }
                    }
                }
                log("\(chosen.count) motif(s) × \(count.sequences) sequence(s): \(count.hits) hits with p ≤ \(thresh)\(text ? " (no q-values: --text)" : "") → \(output) (\(fixed(clock.seconds, 2)) s)")
            } else {
                // The header with the first rows: a bad record found while reading prints nothing.
                var started = false
                _ = try scanAll(scan, chosen) { print((started ? "" : header) + $0, terminator: ""); started = true }
            }
        }

        /// Reads the sequences and scans them a batch at a time; `emit` gets the table's rows, a block
        /// at a time: with --text each batch's as it is scanned (q-value column empty), else all at
        /// the end, ordered and with q-values. Returns the numbers of hits and sequences.
        func scanAll(_ scan: MotifScan, _ chosen: [Motif], emit: (String) throws -> Void) throws -> (hits: Int, sequences: Int) {
            // Records are coded one byte a base as they are read and scanned in batches of at least
            // `batchBases`, so a genome is held a chromosome at a time; RNA's U is kept for the output.
            let reader = try CompressedReader(path: sequences), size = reader.fileSize ?? 0
            nonisolated(unsafe) let bar = ProgressBar("scan", total: Swift.max(size, 1), quiet: runtime.quiet || size * chosen.count < 50_000_000)
            var stream = MotifScan.Stream(scan, motifs: chosen)
            stream.maxStored = maxStoredScores
            // Per sequence: its name in the output, the position its first base is reported at, RNA or not.
            var names: [String] = [], firstBase: [Int] = [], rna: [Bool] = [], conventions: [GenomicRegionName.Convention: Int] = [:]
            var batch: [[UInt8]] = [], batchBases = 0, scanned = 0, emitted = 0
            func row(_ h: MotifScan.Hit, q: String) -> String {
                let m = chosen[h.motif], start = firstBase[h.sequence] + h.start, letters = rna[h.sequence] ? Self.rnaLetters : Self.dnaLetters
                let matched = String(decoding: h.bases.map { letters[Int($0)] }, as: UTF8.self)
                return "\(m.id)\t\(m.name)\t\(names[h.sequence])\t\(start)\t\(start + m.width - 1)\t\(h.minus ? "-" : "+")\t\(fixed(h.score, 4))\t\(scientific(h.pValue))\t\(q)\t\(matched)\n"
            }
            func scanBatch() throws {
                // The bar follows the file: the batch's bytes as its windows are scanned.
                let (from, to) = (scanned, reader.fileOffset), work = Swift.max(batchBases * chosen.count, 1)
                nonisolated(unsafe) var done = 0
                let progress: @Sendable (Int) -> Void = { done += $0; bar.update(from + (to - from) * Swift.min(done, work) / work) }
                if text {
                    try stream.pass(batch, progress: progress) { found in try emit(found.map { row($0, q: "") }.joined()); emitted += found.count }
                } else {
                    let bound = stream.dropBound
                    stream.add(batch, progress: progress)
                    if let t = stream.dropBound, t != bound {
                        warn("more than \(maxStoredScores ?? 0) hits kept (--max-stored-scores): those with p-value ≥ \(scientific(t)) were dropped, \(stream.storedCount) kept")
                    }
                }
                (batch, batchBases, scanned) = ([], 0, to)
            }
            try LabeledFASTA.forEachRecord(reader) { id, bases, _ in
                if parseGenomicCoord, let region = GenomicRegionName(id) {
                    names.append(region.chromosome); firstBase.append(region.firstBase(length: bases.count))
                    conventions[region.convention(length: bases.count), default: 0] += 1
                } else {
                    names.append(id); firstBase.append(1)
                }
                rna.append(bases.contains { $0 | 0x20 == 117 })
                batch.append(bases.map { Self.code[Int($0)] }); batchBases += bases.count
                if batchBases >= Self.batchBases { try scanBatch() }
            }
            if !batch.isEmpty { try scanBatch() }
            bar.finish()
            if parseGenomicCoord {
                let (ucsc, bed, unclear) = (conventions[.ucsc, default: 0], conventions[.bed, default: 0], conventions[.unclear, default: 0])
                log("--parse-genomic-coord: \(ucsc + bed + unclear) of \(names.count) headers name a region — \(ucsc) UCSC style (1-based start), \(bed) BED style (0-based start, as bedtools getfasta writes)"
                    + (unclear > 0 ? "; \(unclear) whose length matches neither, their start read as 1-based (FIMO's reading)" : ""))
            }
            if text { return (emitted, names.count) }
            var hits = 0, block = ""
            try stream.forEachMotif { found in
                for h in found {
                    block += row(h, q: scientific(h.qValue))
                    if block.utf8.count >= 1 << 20 { try emit(block); block = "" }
                }
                hits += found.count
            }
            try emit(block)
            return (hits, names.count)
        }

        /// Bases read before a batch is scanned: a chromosome at a time, or many short peaks at once.
        static let batchBases = 1 << 24

        /// The letters of codes 0–3 in the matched_sequence column.
        static let dnaLetters = Array("ACGT".utf8), rnaLetters = Array("ACGU".utf8)

        /// A, C, G, T (U) → 0–3, either case; anything else 4 (ambiguous, never scored).
        static let code: [UInt8] = (0..<256).map { c in
            switch UInt8(c) | 0x20 { case 97: return 0; case 99: return 1; case 103: return 2; case 116, 117: return 3; default: return 4 }
        }
    }
}
