import Testing
import FileIO

/// The one text-trimming helper: ends only, inner characters kept.
@Suite struct TextTests {
    @Test func trimmingKeepsInnerSpaces() {
        #expect(" \tHET ATM \r\n".trimmingWhitespace() == "HET ATM")       // the old StructureReader helper gave "HETATM"
        #expect("ATOM  ".prefix(6).trimmingWhitespace() == "ATOM")
        #expect("".trimmingWhitespace() == "" && "   ".trimmingWhitespace() == "")
        #expect("  a b  ".trimmingTrailingWhitespace() == "  a b")
        #expect("\" x y \"".trimming { $0.isWhitespace || $0 == "\"" } == "x y")
    }

    @Test func pathExtensionsReadTheLastComponentOnly() {
        #expect("dir.v2/x.A3M".pathExtension() == "a3m")
        #expect("dir.v2/x".pathExtension() == nil && "x.".pathExtension() == "")
        #expect("x.a3m.gz".pathExtension() == "gz" && "x.a3m.gz".pathExtension(throughGzip: true) == "a3m")
        #expect("x.gz".pathExtension(throughGzip: true) == nil)
        #expect("fig.tar.JPG".pathExtension() == "jpg")
    }

    @Test func csvFieldsAreQuotedOnlyWhenTheyMustBe() {
        #expect("chr1:1-60".csvField() == "chr1:1-60")
        #expect("chr1:1-60,peak\"1".csvField() == "\"chr1:1-60,peak\"\"1\"")
        #expect("TF,1".csvField(separator: "\t") == "TF,1" && "a\tb".csvField(separator: "\t") == "\"a\tb\"")
    }
}
