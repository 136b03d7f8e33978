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
            (scan.background, scan.pseudocount, scan.bins, scan.threshold, scan.bothStrands) = (try backgroundFrequencies(), pseudocount, bins, thresh, !norc)
            // Records are coded one byte a base as they are read and scanned in batches of at least
            // `batchBases`, so a genome is held a chromosome at a time; RNA's U is kept for the output.
            let reader = try CompressedReader(path: sequences), size = reader.fileSize ?? 0
            nonisolated(unsafe) let bar = ProgressBar("scan", total: Swift.max(size, 1), quiet: runtime.quiet || size * chosen.count < 50_000_000)
            var stream = MotifScan.Stream(scan, motifs: chosen)
            var ids: [String] = [], rna: [Bool] = [], batch: [[UInt8]] = [], batchBases = 0, scanned = 0
            func scanBatch() {
                // The bar follows the file: the batch's bytes as its windows are scanned.
                let (from, to) = (scanned, reader.fileOffset), work = Swift.max(batchBases * chosen.count, 1)
                nonisolated(unsafe) var done = 0
                stream.add(batch) { done += $0; bar.update(from + (to - from) * Swift.min(done, work) / work) }
                (batch, batchBases, scanned) = ([], 0, to)
            }
            try LabeledFASTA.forEachRecord(reader) { id, bases, _ in
                ids.append(id); rna.append(bases.contains { $0 | 0x20 == 117 })
                batch.append(bases.map { Self.code[Int($0)] }); batchBases += bases.count
                if batchBases >= Self.batchBases { scanBatch() }
            }
            if !batch.isEmpty { scanBatch() }
            let hits = stream.hits()
            bar.finish()
            var text = "motif_id\tmotif_alt_id\tsequence_name\tstart\tstop\tstrand\tscore\tp-value\tq-value\tmatched_sequence\n"
            for h in hits {
                let m = chosen[h.motif], w = m.width, letters = rna[h.sequence] ? Self.rnaLetters : Self.dnaLetters
                let matched = String(decoding: h.bases.map { letters[Int($0)] }, as: UTF8.self)
                text += "\(m.id)\t\(m.name)\t\(ids[h.sequence])\t\(h.start + 1)\t\(h.start + w)\t\(h.minus ? "-" : "+")\t\(fixed(h.score, 4))\t\(scientific(h.pValue))\t\(scientific(h.qValue))\t\(matched)\n"
            }
            if let output {
                try outputs.write { try AtomicFile.write(text, to: output, overwrite: force) }
                log("\(chosen.count) motif(s) × \(ids.count) sequence(s): \(hits.count) hits with p ≤ \(thresh) → \(output) (\(fixed(clock.seconds, 2)) s)")
            } else {
                print(text, terminator: "")
            }
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
