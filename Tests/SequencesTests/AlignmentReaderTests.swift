import Testing
import TestSupport
import Sequences
import FileIO

@Suite struct AlignmentReaderTests {
    @Test func a3mDropsInsertionsAndDots() throws {
        let p = writeText(">q/5-9 query\nACDEF\n>s1\nAcC.DE-\n>s2\n-CDxyEF\n", "x.a3m")
        let msa = try AlignmentReader().read(p)
        #expect(msa.count == 3 && msa.length == 5)
        #expect(msa.sequence(1) == "ACDE-")
        #expect(msa.sequence(2) == "-CDEF")
        #expect(msa.residueNumbers == [5, 6, 7, 8, 9])
    }

    @Test func a2mKeepsTheFocusMatchColumnsAndNumbersItsResidues() throws {
        // Focus: lowercase 'a' (insert, residue 10), then match columns C D, a gap, E.
        let p = writeText(">F/10-13\naCD-E\n>s1\n-CDKE\n>s2\nyC-.E\n", "x.a2m")
        let msa = try AlignmentReader().read(p)
        #expect(msa.length == 3)
        #expect(msa.sequence(0) == "CDE")
        #expect(msa.sequence(2) == "C-E")
        #expect(msa.residueNumbers == [11, 12, 13])
        let all = try AlignmentReader(keepAllColumns: true).read(p)
        #expect(all.length == 5)
        #expect(all.residueNumbers == [10, 11, 12, -13, 13])
    }

    @Test func stockholmReadsMultipleBlocksAndAnnotation() throws {
        let text = """
        # STOCKHOLM 1.0
        #=GF ID test
        #=GS s1 DE first
        s1  ACD-
        s2  AC.E
        #=GC RF xxxx

        s1  EF
        s2  eF
        //

        """
        let msa = try AlignmentReader(keepAllColumns: true).read(writeText(text, "x.sto"))
        #expect(msa.names == ["s1", "s2"])
        #expect(msa.sequence(1) == "AC-EEF")
        #expect(try AlignmentReader().read(writeText(text, "y.sto")).length == 5)   // focus s1's uppercase columns
    }

    @Test func alnAndFocusByNumberOrName() throws {
        let p = writeText("ACDE\nAC-E\nCCDD\n", "x.aln")
        let msa = try AlignmentReader(focus: "3").read(p)
        #expect(msa.focus == 2 && msa.focusSequence == "CCDD")
        let q = writeText(">a\nAC\n>target sp|x\nCC\n", "x.fasta")
        #expect(try AlignmentReader(focus: "target").read(q).focus == 1)
        #expect(throws: FileIOError.self) { try AlignmentReader(focus: "9").read(p) }
        #expect(throws: FileIOError.self) { try AlignmentReader(focus: "nobody").read(q) }
        // A name two records share: the first is the focus, and the reader says so.
        let twice = try AlignmentReader(focus: "b").read(writeText(">a\nAC\n>b\nCC\n>b\nDD\n", "twice.fasta"))
        #expect(twice.focus == 1 && twice.warnings.contains { $0.contains("2 records are named 'b'; the first (record 2) is the focus") })
    }

    @Test func unknownLettersFollowTheDocumentedRule() throws {
        let msa = try AlignmentReader().read(writeText(">a\nBJOUXZ*\n", "u.fasta"))
        #expect(msa.sequence(0) == "--KC--")
    }

    @Test func writersRoundTrip() throws {
        let msa = try AlignmentReader().read(writeText(">a\nACDE\n>b\n-CDF\n", "w.fasta"))
        for format in [AlignmentFormat.fasta, .a3m, .aln, .stockholm] {
            let path = temporaryDirectory() + "/out." + (format == .stockholm ? "sto" : format.rawValue)
            try AlignmentWriter.write(msa, to: path, format: format)
            let back = try AlignmentReader(format: format).read(path)
            #expect(back.codes == msa.codes, "\(format)")
        }
    }

    @Test func gzippedFilesReadTheSame() throws {
        let p = writeText(">a\nACDE\n>b\n-CDF\n", "g.a3m")
        #expect(run("gzip -k \(p)") == 0)
        #expect(try AlignmentReader().read(p + ".gz").codes == AlignmentReader().read(p).codes)
    }

    // MARK: bad input: one clear error each, naming file and line

    func error(_ text: String, _ name: String, _ reader: AlignmentReader = .init()) -> String {
        do { _ = try reader.read(writeText(text, name)); return "no error" } catch { return "\(error)" }
    }

    @Test func raggedRowsNameTheRecordLine() {
        let e = error(">a\nACDE\n>b\nACD\n", "r.fasta")
        #expect(e.contains("r.fasta:3:") && e.contains("'b'") && e.contains("3 aligned columns, expected 4"), "\(e)")
    }
    @Test func emptyFileIsAnError() { #expect(error("", "e.a3m").contains("no sequences")) }
    @Test func invalidCharacterIsNamed() {
        let e = error(">a\nAC1E\n", "c.fasta")
        #expect(e.contains("c.fasta:2:") && e.contains("'1'"), "\(e)")        // the line that holds it
    }
    @Test func stockholmWithoutTerminator() {
        let e = error("# STOCKHOLM 1.0\ns1 ACD\n", "t.sto")
        #expect(e.contains("//"), "\(e)")
    }
    @Test func aNucleotideAlignmentReadAsProteinIsSaid() throws {
        let text = (0..<6).map { ">s\($0)\nACGTTGCA\n" }.joined()
        let protein = try AlignmentReader().read(writeText(text, "nt.fa"))
        #expect(protein.warnings.contains { $0.contains("every residue is A, C, G or T") && $0.contains("--alphabet dna") }, "\(protein.warnings)")
        #expect(try AlignmentReader(alphabet: .dna).read(writeText(text, "nt2.fa")).warnings.isEmpty)
        #expect(try AlignmentReader().read(writeText(">a\nACGT\n>b\nACGT\n", "nt3.fa")).warnings.isEmpty)   // 8 residues: too few to say
        #expect(try AlignmentReader().read(writeText(text + ">w\nACGTTGCE\n", "nt4.fa")).warnings.isEmpty)   // E: an amino acid only
        // Rfam-style: U (read as C by the protein alphabet) and a few ambiguity codes among the bases.
        let rna = (0..<6).map { ">s\($0)\nACGUUGCA\n" }.joined() + ">n\nACGUNGCR\n"
        let read = try AlignmentReader().read(writeText(rna, "rna.fa"))
        #expect(read.warnings.contains { $0.contains("A, C, G, T/U or a nucleotide ambiguity code (54 of 56 residues are A, C, G or T/U, the rest N, R)") && $0.contains("--alphabet dna (or rna)") }, "\(read.warnings)")
        #expect(try AlignmentReader(alphabet: .rna).read(writeText(rna, "rna2.fa")).warnings.isEmpty)
        // Fewer than 90% bases: a protein-like mix of N, R, S, … is not called nucleotide.
        #expect(try AlignmentReader().read(writeText(">a\nNRSWKMDHVNRSWKMDHVAC\n>b\nNRSWKMDHVNRSWKMDHVAC\n", "aa.fa")).warnings.isEmpty)
    }

    @Test func residueFrequenciesLeaveGapsOutAndSpreadOnePseudoSequence() throws {
        let msa = try AlignmentReader(alphabet: .dna).read(writeText(">a\nAA\n>b\nA-\n>c\nAC\n", "f.fa"))
        let f = msa.residueFrequencies(weights: [1, 1, 2], pseudocount: 1)
        #expect(f.count == 2 && f[0].count == 4)
        // Column 1: 4 weight units of A, + 1/4 each → A 4.25/5. Column 2: A 1, C 2 (the gap's 1 left out) → /4.
        #expect(Swift.abs(f[0][0] - 4.25 / 5) < 1e-12 && Swift.abs(f[0][1] - 0.25 / 5) < 1e-12)
        #expect(Swift.abs(f[1][0] - 1.25 / 4) < 1e-12 && Swift.abs(f[1][1] - 2.25 / 4) < 1e-12 && Swift.abs(f[1][2] - 0.25 / 4) < 1e-12)
        #expect(f.allSatisfy { Swift.abs($0.reduce(0, +) - 1) < 1e-12 })
    }

    @Test func stockholmNameTwiceInOneBlock() {
        let e = error("# STOCKHOLM 1.0\ns1 ACD\ns2 ACD\ns1 ACE\n//\n", "d.sto")
        #expect(e.contains("d.sto:4:") && e.contains("'s1' appears twice in one block (also line 2)"), "\(e)")
    }
    @Test func sequenceBeforeHeader() { #expect(error("ACDE\n>a\nACDE\n", "h.fasta").contains(":1:")) }
    @Test func truncatedGzip() throws {
        var text = ""
        var rng = SystemRandomNumberGenerator()
        for k in 0..<3000 { text += ">s\(k)\n" + String((0..<100).map { _ in "ACDEFGHIKLMNPQRSTVWY".randomElement(using: &rng)! }) + "\n" }
        let p = writeText(text, "big.a3m")
        #expect(run("gzip \(p) && head -c $(( $(stat -c %s \(p).gz) / 2 )) \(p).gz > \(p).cut.gz") == 0)
        #expect(throws: FileIOError.self) { try AlignmentReader(format: .a3m).read(p + ".cut.gz") }
    }
    @Test func missingFile() { #expect(throws: FileIOError.self) { try AlignmentReader().read("/nonexistent/x.a3m") } }

    @Test func anA3MFocusCountsItsOwnInsertedResidues() throws {
        // The focus (record 2) has an inserted k after E: F is its residue 6, as the A2M says.
        let a3m = try AlignmentReader(focus: "2").read(writeText(">q\nACDEFGHIK\n>t/1-10\nACDEkFGHIK\n>u\nACDEFGHIR\n", "ins.a3m"))
        let a2m = try AlignmentReader(focus: "2").read(writeText(">q\nACDE.FGHIK\n>t/1-10\nACDEkFGHIK\n>u\nACDE.FGHIR\n", "ins.a2m"))
        #expect(a3m.residueNumbers == [1, 2, 3, 4, 6, 7, 8, 9, 10])
        #expect(a2m.residueNumbers == a3m.residueNumbers)
        // By name too, a leading insertion and a '.' in the focus; gaps keep the next residue's number, negated.
        let named = try AlignmentReader(focus: "t").read(writeText(">q\nACDEFG\n>t/5-11\nmA.C-DkEF\n", "ins2.a3m"))
        #expect(named.residueNumbers == [6, 7, -8, 8, 10, 11], "\(named.residueNumbers)")
    }

    @Test func aHeaderRangeThatDisagreesWithTheFocusIsSaid() throws {
        let agrees = try AlignmentReader().read(writeText(">q/3-7\nACDEF\n>b\nACDEF\n", "r-ok.fa"))
        #expect(agrees.warnings.isEmpty && agrees.residueNumbers == [3, 4, 5, 6, 7])
        let longer = try AlignmentReader().read(writeText(">q/3-9\nACDEF\n>b\nACDEF\n", "r-bad.fa"))
        #expect(longer.residueNumbers == [3, 4, 5, 6, 7])
        #expect(longer.warnings.first?.contains("'q/3-9' names residues 3–9 (7), but holds 5: residues are numbered from 3") == true, "\(longer.warnings)")
        // A reverse-strand region (Rfam, Dfam: start > end) runs down the reference: numbered along the sequence.
        let reversed = try AlignmentReader().read(writeText(">q/14-10\nAC-GT\n>b\nACGGT\n", "r-rev.fa"))
        #expect(reversed.residueNumbers == [1, 2, -3, 3, 4])
        #expect(reversed.warnings.count == 1 && reversed.warnings[0].contains("'q/14-10' names residues 14–10, a reverse-strand region (5), but holds 4: its residues are numbered from 1 along the sequence"), "\(reversed.warnings)")
        let agreeing = try AlignmentReader().read(writeText(">q/14-10\nACAGT\n>b\nACGGT\n", "r-rev2.fa"))
        #expect(agreeing.residueNumbers == [1, 2, 3, 4, 5])
        #expect(agreeing.warnings.count == 1 && agreeing.warnings[0].contains("names residues 14–10, a reverse-strand region: its residues are numbered from 1"), "\(agreeing.warnings)")
        // Residue 0 would read as a gap's negated number: numbered from 1, and said.
        let zero = try AlignmentReader().read(writeText(">q/0-4\nACDEF\n>b\nACDEF\n", "r-zero.fa"))
        #expect(zero.residueNumbers == [1, 2, 3, 4, 5])
        #expect(zero.warnings.count == 1 && zero.warnings[0].contains("names residues 0–4, but residue numbers start at 1"), "\(zero.warnings)")
    }

    /// hhblits -addss writes >ss_pred / >ss_conf (and hhmake >ss_dssp) records before the query:
    /// read past, the query stays the focus and record numbers count sequences only.
    @Test func hhsuiteAnnotationRecordsAreNotSequences() throws {
        let text = ">ss_dssp\nCCHHHHEEE\n>ss_pred\nCCHHHHEEEC\n>ss_conf\n8999998765\n>q\nACDEFGHIKL\n>t\nACDEFGHIKV\n"
        let msa = try AlignmentReader().read(writeText(text, "ss.a3m"))
        #expect(msa.names == ["q", "t"] && msa.focus == 0 && msa.length == 10)
        #expect(msa.warnings.contains { $0.contains("ss_dssp, ss_pred, ss_conf") }, "\(msa.warnings)")
        #expect(try AlignmentReader(focus: "2").read(writeText(text, "ss2.a3m")).focus == 1)
    }

    /// MMseqs2's A3M (ColabFold's MSAs): a `#` line, tab-separated scores after each name, and a NUL
    /// byte ending each entry — ColabFold strips the NULs; so does the reader. Elsewhere a NUL is binary data.
    @Test func mmseqsA3MWithNULSeparatorsAndTabbedHeaders() throws {
        let text = "#10\t1\n>101\nACDEFGHIKL\n>UniRef100_A0\t95\t0.80\t1e-10\t0\t9\t10\t0\t9\t10\nACDqEFGHIKV\n\0>101\nACDEFGHIKL\n>MGYP0001\t50\t0.5\nAC-EFGHIKL\n\0"
        let msa = try AlignmentReader().read(writeText(text, "colabfold.a3m"))
        #expect(msa.names == ["101", "UniRef100_A0", "101", "MGYP0001"], "\(msa.names)")
        #expect(msa.length == 10 && msa.sequence(1) == "ACDEFGHIKV" && msa.sequence(3) == "AC-EFGHIKL")
        #expect(error(">a\nAC\0DE\n", "mid.a3m").contains("binary data"))
        // Two queries' MSAs in one file: the width check says what the NUL suggests.
        #expect(error(">101\nACDE\n>h\nACDF\n\0>102\nGGHHKK\n", "two.a3m").contains("two.a3m:5: record '102' has 6 aligned columns, expected 4 as in the first record (a NUL byte ended an MMseqs2 entry before it"))
    }
}
