import Testing
import TestSupport
import Sequences
import FileIO

/// The format is read from the content, not only the name; an A2M read as A3M is flagged; binary
/// files and all-insertion A3M files get messages that say what they are.
@Suite struct FormatDetectionTests {
    static func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    // A2M: every record 6 long counting lower case (column 2 is an insert); the focus has a gap in
    // column 5, which A2M drops (4 match columns) and A3M keeps (5 columns).
    static let a2m = ">F/1-5\nAcDE-F\n>s1\nAkDEGF\n>s2\nA.DEGF\n"

    @Test func sniffTellsTheLayoutsApart() {
        func sniff(_ s: String) -> AlignmentFormat? { AlignmentFormat.sniff(Array(s.utf8), complete: true) }
        #expect(sniff(Self.a2m) == .a2m)
        #expect(sniff(">q\nACDEF\n>s1\nAcC.DE-\n>s2\n-CDxyEF\n") == .a3m)
        #expect(sniff(">a\nACDE\n>b\nAC-E\n") == .fasta)
        #expect(sniff("\u{FEFF}# STOCKHOLM 1.0\ns1 AC\n//\n") == .stockholm)
        #expect(sniff("#A3M comment\n>a\nAC\n>b\nAcC\n") == .a3m)
        #expect(sniff("ACDE\nAC-E\n") == .aln)
        #expect(sniff("ACDE\n>a\nACDE\n") == .fasta)
        #expect(sniff("") == nil)
        // A cut-off last record does not count.
        #expect(AlignmentFormat.sniff(Array(">a\nACDE\n>b\nAcDE\n>c\nAC".utf8), complete: false) == .a2m)
    }

    @Test func a2mReadAsA3MIsFlagged() throws {
        let named = try AlignmentReader().read(writeText(Self.a2m, "x.a2m"))
        #expect(named.length == 4 && named.warnings.isEmpty && named.format == .a2m)
        let forced = try AlignmentReader(format: .a3m).read(writeText(Self.a2m, "y.a2m"))
        #expect(forced.format == .a3m && forced.length == 5)
        #expect(forced.warnings.count == 1 && forced.warnings[0].contains("looks like A2M") && forced.warnings[0].contains("--format a2m"), "\(forced.warnings)")
        #expect(forced.warnings[0].hasSuffix("(5 columns read; A2M would keep 4)"), "\(forced.warnings)")
        let byName = try AlignmentReader().read(writeText(Self.a2m, "z.a3m"))
        #expect(byName.warnings.count == 1 && byName.warnings[0].contains("looks like A2M"), "\(byName.warnings)")
        #expect(try AlignmentReader().read(writeText(Self.a2m, "n.msa")).format == .a2m)
        // A real A3M named .a2m is read as A3M, with a note; --format a2m insists and fails with a hint.
        let a3m = ">q\nACDEF\n>s1\nAcC.DE-\n>s2\n-CDxyEF\n"
        let renamed = try AlignmentReader().read(writeText(a3m, "r.a2m"))
        #expect(renamed.format == .a3m && renamed.length == 5 && renamed.warnings.first?.contains("as in A3M") == true)
        let insist = Self.message { _ = try AlignmentReader(format: .a2m).read(writeText(a3m, "i.a2m")) }
        #expect(insist.contains("use --format a3m"), "\(insist)")
    }

    @Test func formatComesFromTheContentWhateverTheName() throws {
        let fasta = ">a\nACDE\n>b\nAC-E\n"
        for name in ["x.msa", "x.txt", "noextension", "x.aln"] {
            let msa = try AlignmentReader().read(writeText(fasta, name))
            #expect(msa.names == ["a", "b"] && msa.sequence(1) == "AC-E", "\(name)")
        }
        let sto = "# STOCKHOLM 1.0\ns1  ACD-\ns2  AC.E\n//\n"
        #expect(try AlignmentReader().read(writeText(sto, "s.fasta")).names == ["s1", "s2"])
        #expect(try AlignmentReader().read(writeText("ACDE\nAC-E\n", "p.fasta")).count == 2)
        #expect(try AlignmentReader().read(writeText(">q\nACDEF\n>s1\nAcC.DE-\n", "q.fasta")).format == .a3m)
    }

    @Test func binaryFilesAreNamedNotParsed() throws {
        let cases: [([UInt8], String)] = [
            ([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 1], "looks like HDF5"),
            ([0x50, 0x4B, 0x03, 0x04, 20, 0], "looks like a zip archive"),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0], "looks like PNG"),
            (Array(">a\nAC".utf8) + [0, 0, 7], "NUL bytes"),
        ]
        for (k, (bytes, expected)) in cases.enumerated() {
            let path = writeText("", "b\(k).a3m")
            try AtomicFile.write(bytes, to: path)
            let m = Self.message { _ = try AlignmentReader().read(path) }
            #expect(m.contains("b\(k).a3m: not a text alignment: " + (expected == "NUL bytes" ? "looks like binary data" : expected)), "\(m)")
        }
    }

    @Test func lowerCaseOnlyA3MExplainsWhyNothingIsLeft() {
        let m = Self.message { _ = try AlignmentReader().read(writeText(">a\nacde\n>b\nacdf\n", "low.a3m")) }
        #expect(m.contains("no sequences found: every residue is lower case") && m.contains("--format fasta"), "\(m)")
        let bom = Self.message { _ = try AlignmentReader().read(writeText("\u{FEFF}>a\nACDE\n", "bom.fasta")) }
        #expect(bom.isEmpty, "\(bom)")
    }

    @Test func a2mNamedFASTAIsFlaggedButAllLowerCaseFASTAIsNot() throws {
        let named = try AlignmentReader().read(writeText(Self.a2m, "a2m-as.fasta"))
        #expect(named.format == .fasta && named.length == 6)
        #expect(named.warnings.count == 1 && named.warnings[0].contains("looks like A2M") && named.warnings[0].hasSuffix("(6 columns read; A2M would keep 4)"), "\(named.warnings)")
        // MAFFT writes aligned FASTA in lower case: A2M would keep no column, so nothing to say.
        let mafft = try AlignmentReader().read(writeText(">a\nac-de\n>b\nacfde\n", "mafft.fasta"))
        #expect(mafft.length == 5 && mafft.warnings.isEmpty, "\(mafft.warnings)")
        // An A2M read as A3M that keeps the same columns (the focus has no gap in them) is not flagged.
        let same = try AlignmentReader().read(writeText(">F/1-5\nAcDEF\n>s1\nAkDEF\n>s2\nA.DEF\n", "same.a3m"))
        #expect(same.length == 4 && same.warnings.isEmpty, "\(same.warnings)")
    }

    @Test func aBadCharacterIsNamedOnItsOwnLine() {
        let fasta = Self.message { _ = try AlignmentReader().read(writeText(">a\nACDEF\nGHIK\n>b\nACDEF\nGH1K\n", "bad-line.fa")) }
        #expect(fasta.contains("bad-line.fa:6: record 'b' has an invalid character '1'"), "\(fasta)")
        let sto = Self.message { _ = try AlignmentReader().read(writeText("# STOCKHOLM 1.0\na ACDEF\nb ACDEF\n\na GHIK\nb GH1K\n//\n", "bad-line.sto")) }
        #expect(sto.contains("bad-line.sto:6: record 'b' has an invalid character '1'"), "\(sto)")
        // A3M insertions are not states, and a final '*' is a stop codon: neither is an error.
        #expect(Self.message { _ = try AlignmentReader().read(writeText(">a\nACDEF*\n>b\nACkDEF\n", "ok.a3m")) }.isEmpty)
    }
}
