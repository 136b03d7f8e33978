import Testing
import TestSupport
import DNAData
import Tensors
import FileIO

/// Peaks + genome → dataset: BED parsing, windows cut from the genome, labels, negatives and splits.
@Suite struct PeakDatasetTests {
    /// chr1: 60 bases, soft-masked start; chr2: 40 bases with an N at 30.
    static let genome = ">chr1 first\nacgtACGTAC\nGTACGTTTGGCCAAGTCAGT\nCATGCATGCAGGCCTTAAGGTTCCAAGGTT\n>chrM\nACGT\n>chr2\n" + String(repeating: "GATC", count: 7) + "TAN" + String(repeating: "C", count: 9) + "\n"

    func error(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func bedAndNarrowPeakRows() throws {
        let p = writeText("track name=x\n# comment\nchr1\t10\t20\nchr2 5 15 name\nchr1\t0\t30\tp\t0\t.\t1\t2\t3\t12\nchr1\t0\t30\tp\t0\t.\t1\t2\t3\t-1\n", "p.narrowPeak")
        let rows = try BEDFile.read(p)
        #expect(rows.map(\.centre) == [15, 10, 12, 15])
        #expect(rows[2].summit == 12 && rows[2].line == 5 && rows[3].summit == nil)
        #expect(error { _ = try BEDFile.read(writeText("chr1\t20\t10\n", "bad.bed")) }.contains("bad.bed:1: an interval needs 0 <= start < end, got 20-10"))
        #expect(error { _ = try BEDFile.read(writeText("chr1\tten\t20\n", "nan.bed")) }.contains("nan.bed:1: start and end must be whole numbers"))
        #expect(error { _ = try BEDFile.read(writeText("chr1\t0\t5\tp\t0\t.\t1\t2\t3\t9\n", "far.bed")) }.contains("summit offset 9 lies beyond the peak"))
        #expect(error { _ = try BEDFile.read(writeText("track only\n", "empty.bed")) }.contains("no intervals"))
    }

    @Test func vcfRowsGiveOneVariantPerAllele() throws {
        let p = writeText("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                          + "chr1\t12\trs1\tA\tG,t\t.\tPASS\t.\nchr1\t20\t.\tAC\tA\t.\t.\t.\nchr2\t5\t.\tG\t<DEL>,*\t.\t.\t.\nchr2\t7\tmnv\tGA\tTT\n", "v.vcf")
        let (variants, skipped) = try VCFFile.read(p)
        #expect(variants == [GenomeVariant(chromosome: "chr1", position: 12, id: "rs1", reference: "A", alternative: "G", line: 3),
                             GenomeVariant(chromosome: "chr1", position: 12, id: "rs1", reference: "A", alternative: "T", line: 3),
                             GenomeVariant(chromosome: "chr1", position: 20, id: ".", reference: "AC", alternative: "A", line: 4),
                             GenomeVariant(chromosome: "chr2", position: 7, id: "mnv", reference: "GA", alternative: "TT", line: 6)])
        #expect(skipped == 2)                                                             // <DEL> and *
        #expect(error { _ = try VCFFile.read(writeText("chr1 12 . A G\n", "spaces.vcf")) }.contains("spaces.vcf:1: expected tab-separated CHROM POS ID REF ALT"))
        #expect(error { _ = try VCFFile.read(writeText("chr1\t0\t.\tA\tG\n", "zero.vcf")) }.contains("zero.vcf:1: POS '0' is not a 1-based position"))
        #expect(error { _ = try VCFFile.read(writeText("chr1\t3\t.\tR\tG\n", "ref.vcf")) }.contains("ref.vcf:1: REF 'R' is not a run of bases"))
    }

    @Test func windowsAreCutFromOneChromosomeAtATime() throws {
        let g = writeText(Self.genome, "g.fa")
        let w = try GenomeWindows.extract(g, windows: [("chr1", 0), ("chr2", 26), ("chr1", 55), ("chr1", -1), ("chr1", 8)], length: 6)
        #expect(w[0].map { String(decoding: $0, as: UTF8.self) } == "ACGTAC")          // soft-masked: upper case
        #expect(w[1].map { String(decoding: $0, as: UTF8.self) } == "TCTANC")
        #expect(w[2] == nil && w[3] == nil)                                               // off either end
        #expect(w[4].map { String(decoding: $0, as: UTF8.self) } == "ACGTAC")          // across a line break
        #expect(error { _ = try GenomeWindows.extract(g, windows: [("chr7", 0)], length: 4) }.contains("no chromosome 'chr7'"))
        // "> chr1", a space after '>' (tangermeme's test genome): named chr1, as samtools faidx names it.
        let spaced = writeText("> chr1 first\nACGTAC\n>\tchr2\nGGCC\n", "spaced.fa")
        let s = try GenomeWindows.extract(spaced, windows: [("chr1", 1), ("chr2", 0)], length: 4)
        #expect(s.map { $0.map { String(decoding: $0, as: UTF8.self) } } == ["CGTA", "GGCC"])
    }

    @Test func labelsNegativesAndSplitsFollowTheRecipe() throws {
        let g = writeText(Self.genome, "g2.fa")
        // Task a: peaks centred at chr1:20 and chr2:10; task b: a peak covering chr1:20 and one at chr1:44.
        let a = writeText("chr1\t18\t22\nchr2\t8\t12\n", "a.bed"), b = writeText("chr1\t15\t30\nchr1\t42\t46\n", "b.narrowPeak")
        var recipe = PeakDataset()
        recipe.length = 8
        recipe.negatives = .none
        recipe.testChromosomes = ["chr2"]; recipe.validChromosomes = ["chr1"]
        // chr1 in valid, chr2 in test: train is empty.
        #expect(error { _ = try recipe.build(beds: [a, b], genome: g) }.contains("the train split is empty"))
        recipe.validChromosomes = []
        recipe.testChromosomes = ["chr2"]
        #expect(error { _ = try recipe.build(beds: [a, b], genome: g) }.contains("the valid split is empty"))

        // Random splits over peaks, shuffled negatives: every negative keeps its peak's dinucleotides and split.
        recipe = PeakDataset()
        recipe.length = 8
        let data = try recipe.build(beds: [a, b], genome: g)
        #expect(data.taskNames == ["a", "b"])
        var positives: [String: [Float]] = [:], negatives: [String] = []
        for set in [data.train, data.valid, data.test] {
            var here: [String] = [], negHere: [String] = []
            for n in 0..<set.count {
                let s = OneHot.decode(set.x, sequence: n)
                let y = Array(set.y.scalars[(n * 2)..<(n * 2 + 2)])
                if y == [0, 0] { negHere.append(s) } else { positives[s] = y; here.append(s) }
            }
            // Each negative is a shuffle of a positive of the same split (same dinucleotide counts).
            func pairs(_ s: String) -> [String: Int] { Dictionary(zip(s, s.dropFirst()).map { ("\($0)\($1)", 1) }, uniquingKeysWith: +) }
            for neg in negHere { #expect(here.contains { pairs($0) == pairs(neg) && $0.first == neg.first && $0.last == neg.last }, "\(neg)") }
            negatives += negHere
        }
        // chr1:16–24 (a's peak, centre 20, inside b's 15–30) is positive for both tasks; b's own
        // window centred at 22 is not a's (a's peak is 18–22, half-open); chr1:40–48 is b's, chr2:6–14 a's.
        #expect(positives["TTGGCCAA"] == [1, 1], "\(positives)")
        #expect(positives["GGCCAAGT"] == [0, 1])
        #expect(positives["GGCCTTAA"] == [0, 1])
        #expect(positives["TCGATCGA"] == [1, 0])
        #expect(positives.count == 4 && negatives.count == 4)
        // Flank negatives overlap no peak of any task, and are unlabelled.
        recipe.negatives = .flank; recipe.flankDistance = 12
        let flank = try recipe.build(beds: [a, b], genome: g)
        var flanks = 0
        for set in [flank.train, flank.valid, flank.test] {
            for n in 0..<set.count where set.y.scalars[n * 2] == 0 && set.y.scalars[n * 2 + 1] == 0 { flanks += 1 }
        }
        // Flanks at ±12 of the windows 16, 18, 40 (chr1) and 6 (chr2): chr1 28–36 twice overlaps b's
        // 15–30 (dropped), chr2 −6 runs off the start; kept: chr1 4, 6, 30, 52 and chr2 18.
        #expect(flank.warnings.contains { $0.contains("1 window(s) run off") }, "\(flank.warnings)")
        let all = [flank.train, flank.valid, flank.test].reduce(0) { $0 + $1.count }
        #expect(all == 4 + flanks && flanks == 5, "\(all) \(flanks)")
    }

    /// gc: each positive's negative has its GC content, comes from its chromosome, overlaps no peak
    /// and lands in its split.
    @Test func gcMatchedNegativesShareTheirPositivesComposition() throws {
        let g = writeText(">chr1\n" + String(repeating: "GC", count: 50) + String(repeating: "AT", count: 50) + "\n", "gc.fa")
        let bed = writeText("chr1\t0\t20\nchr1\t150\t160\nchr1\t50\t60\n", "gc.bed")
        var recipe = PeakDataset()
        recipe.length = 10
        recipe.negatives = .gc
        let data = try recipe.build(beds: [bed], genome: g)
        var total = 0
        for set in [data.train, data.valid, data.test] {
            #expect(set.count == 2, "one peak and its negative in each split")
            let s = (0..<set.count).map { OneHot.decode(set.x, sequence: $0) }
            let gc = s.map { $0.filter { $0 == "G" || $0 == "C" }.count }
            #expect(gc[0] == gc[1], "\(s)")
            let negative = set.y.scalars[0] == 0 ? s[0] : s[1]
            #expect(["GCGCGCGCGC", "ATATATATAT"].contains(negative), "\(negative)")
            total += set.count
        }
        #expect(total == 6)
        // Tiles overlapping a peak are never drawn: with every GC-rich tile a peak, the GC positive finds none within 10%.
        let crowded = writeText("chr1\t0\t100\nchr1\t150\t160\nchr1\t170\t180\n", "crowded.bed")
        let sparse = try recipe.build(beds: [crowded], genome: g)
        #expect(sparse.warnings.contains { $0.contains("1 positive window(s) found no unused GC-matched window") }, "\(sparse.warnings)")
    }

    /// Excluded regions (a blacklist): the peak window inside one is dropped and said; no flank is drawn there.
    @Test func excludedRegionsHoldNoWindow() throws {
        let g = writeText(Self.genome, "g4.fa")
        let a = writeText("chr1\t18\t22\nchr2\t8\t12\nchr1\t42\t46\nchr2\t20\t24\n", "ex.bed")
        var recipe = PeakDataset()
        recipe.length = 8
        recipe.negatives = .flank; recipe.flankDistance = 12
        let all = try recipe.build(beds: [a], genome: g)
        recipe.excluded = [GenomicInterval(chromosome: "chr1", start: 0, end: 12), GenomicInterval(chromosome: "chr1", start: 40, end: 41)]
        let less = try recipe.build(beds: [a], genome: g)
        #expect(less.warnings.contains { $0.contains("1 peak window(s) overlap an excluded region") }, "\(less.warnings)")
        let count = { (d: DNASplits) in [d.train, d.valid, d.test].reduce(0) { $0 + $1.count } }
        // Gone: the chr1:40–48 peak window, its flank 52–60 (its other, 28–36, is also chr1:16's and
        // stays), and chr1:16's flank 4–12.
        #expect(count(all) - count(less) == 3, "\(count(all)) \(count(less))")
    }

    @Test func windowsWithNAreDroppedAndSaid() throws {
        let g = writeText(Self.genome, "g3.fa")
        var recipe = PeakDataset()
        recipe.length = 6
        recipe.negatives = .shuffle
        let bed = writeText("chr2\t27\t33\nchr1\t10\t16\nchr1\t30\t36\nchr1\t40\t46\nchr2\t5\t11\n", "n.bed")
        let data = try recipe.build(beds: [bed], genome: g)
        #expect(data.warnings.contains { $0.contains("1 window(s) hold N") }, "\(data.warnings)")
        #expect([data.train, data.valid, data.test].reduce(0) { $0 + $1.count } == 8)
    }
}
