import Testing
import FileIO
import Motifs

@Suite struct MotifsTests {
    static let shared = "../shared/data/regulatory"

    @Test func jasparParsesBracketedAndPlainRows() throws {
        let text = ">MA0001.1\tAGL3\nA  [ 0 3 79 ]\nC  [ 94 75 4 ]\nG [1 0 3]\nT 4 0 12\n\n>MA0004.1 Arnt\nA [4 19 0]\nC [16 0 20]\nG [0 1 0]\nT [0 0 0]\n"
        let motifs = try JASPARFormat.parse(text, path: "m.pfm")
        #expect(motifs.count == 2)
        #expect(motifs[0].id == "MA0001.1" && motifs[0].name == "AGL3" && motifs[1].name == "Arnt")
        #expect(motifs[0].matrix == [[0, 94, 1, 4], [3, 75, 0, 0], [79, 4, 3, 12]])
        #expect(motifs[0].sites == 99)
        let p = motifs[1].probabilities()
        #expect(p[0] == [0.2, 0.8, 0, 0])
    }

    @Test func roundTripsThroughBothFormats() throws {
        let m = [Motif(id: "X1", name: "TEST", matrix: [[1, 2, 3, 4], [10, 0, 0, 0]], sites: 10)]
        let j = try JASPARFormat.parse(JASPARFormat.render(m), path: "x")
        #expect(j[0].matrix == m[0].matrix && j[0].name == "TEST")
        let e = try MotifFile.parse(MEMEFormat.render(m), path: "x")
        #expect(e[0].id == "X1" && e[0].sites == 10)
        for (a, b) in zip(e[0].matrix.joined(), m[0].probabilities().joined()) { #expect(Swift.abs(a - b) < 1e-12) }
    }

    @Test func reverseComplementSwapsBasesAndOrder() {
        let m = Motif(id: "a", name: "", matrix: [[1, 0, 0, 0], [0, 0, 1, 0]])     // "AG"
        #expect(m.reverseComplement.matrix == [[0, 1, 0, 0], [0, 0, 0, 1]])        // "CT"
    }

    @Test func conversionBetweenMEMEAndJASPARKeepsCountsAndProbabilities() throws {
        // JASPAR counts (every column 10 sites) → MEME → JASPAR: the same counts.
        let counts = ">MA1 ONE\nA [ 10 0 5 ]\nC [ 0 10 5 ]\nG [ 0 0 0 ]\nT [ 0 0 0 ]\n"
        let jaspar = try MotifFile.parse(counts, path: "j")
        let meme = MotifFile.render(jaspar, for: "x.meme")
        #expect(meme.contains("nsites= 10 "))
        let back = try MotifFile.parse(meme, path: "m")
        #expect(back[0].probabilities() == jaspar[0].probabilities())
        #expect(MotifFile.render(back, for: "x.pfm") == JASPARFormat.render(jaspar))
        #expect(try MotifFile.parse(MotifFile.render(back, for: "y.JASPAR"), path: "y")[0].matrix == jaspar[0].matrix)
        // MEME probabilities without nsites= become counts of Motif.defaultSites (20).
        let probabilities = "MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n0.25 0.5 0.25 0\n"
        #expect(MotifFile.render(try MotifFile.parse(probabilities, path: "p"), for: "z.jaspar") == ">a\t\nA  [ 5 ]\nC  [ 10 ]\nG  [ 5 ]\nT  [ 0 ]\n")
    }

    @Test func motifsAreSelectedByIDOrNameInFileOrder() throws {
        let motifs = try MotifFile.parse(">MA1 ONE\nA [1]\nC [0]\nG [0]\nT [0]\n>MA2 TWO\nA [0]\nC [1]\nG [0]\nT [0]\n", path: "m")
        #expect(try motifs.selecting("TWO, MA1", path: "m").map(\.id) == ["MA1", "MA2"])
        #expect(throws: FileIOError.self) { try motifs.selecting("MA1,NOPE", path: "m") }
        #expect(throws: FileIOError.self) { try motifs.selecting(" , ", path: "m") }
    }

    @Test func roundedProbabilityRowsAreRenormalised() throws {
        let text = "MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n0.33 0.33 0.33 0.00\n"
        let m = try #require(try MotifFile.parse(text, path: "m").first)
        #expect(m.probabilities()[0].map { ($0 * 1000).rounded() } == [333, 333, 333, 0])
    }

    @Test func badInputNamesTheLine() {
        let cases: [(String, String)] = [
            (">M1 X\nA [1 2]\nC [1 2]\nG [1]\nT [1 2]\n", "m:1: motif M1: base rows have different lengths"),
            (">M1 X\nA [1 2]\nC [1 -2]\n", "m:3: '-2' is not a non-negative count"),
            ("A [1 2]\n", "m:1: a matrix row before any '>ID NAME' header"),
            (">M1 X\nA [1]\nC [1]\nG [1]\n", "m:1: motif M1 has 3 base rows"),
            ("MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.25 0.25\n", "m:2: MOTIF a: w= 2 but 1 rows"),
            ("MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5\n", "m:4: 3 values in a matrix row"),
            ("MEME version 4\nALPHABET= ACDEFGHIKLMNPQRSTVWY\n", "m:2: alphabet"),
            ("MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n0 0 0 0\n", "m:4: a letter-probability row sums to 0.0, not 1"),
            ("MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n5 3 0 2\n", "m:4: a letter-probability row sums to 10.0, not 1"),
            (">M1 X\nA [1 0]\nC [1 0]\nG [1 0]\nT [1 0]\n", "m:1: motif M1: column 2 has no counts"),
            ("", "m: no motifs found"),
        ]
        for (text, message) in cases {
            do {
                _ = try MotifFile.parse(text, path: "m")
                Issue.record("accepted: \(text)")
            } catch {
                #expect("\(error)".hasPrefix(message), "\(error)")
            }
        }
    }

    @Test func readsTheSharedJASPARAndMEMEFiles() throws {
        guard access(Self.shared, F_OK) == 0 else { print("skipping: \(Self.shared) is absent"); return }
        let jaspar = try MotifFile.read(Self.shared + "/JASPAR2016_CORE_vertebrates.pfm")
        let meme = try MotifFile.read(Self.shared + "/JASPAR2016_CORE_vertebrates.meme")
        #expect(jaspar.count == 519 && meme.count == 518)
        let runx = try #require(jaspar.first { $0.id == "MA0002.2" }), runxMEME = try #require(meme.first { $0.id == "MA0002.2" })
        #expect(runx.name == "RUNX1" && runx.width == 11 && runxMEME.sites == 2000)
        for (a, b) in zip(runx.probabilities().joined(), runxMEME.matrix.joined()) { #expect(Swift.abs(a - b) < 1e-3) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

@Suite struct MotifLineEndingTests {
    @Test func motifFilesWithCRLFAndBOMReadLikeLF() throws {
        let m = [Motif(id: "X1", name: "TEST", matrix: [[1, 2, 3, 4], [10, 0, 0, 0]], sites: 10)]
        for (name, text) in [("m.pfm", JASPARFormat.render(m)), ("m.meme", MEMEFormat.render(m))] {
            let plain = "/tmp/seqgen-motif-lf-\(name)", windows = "/tmp/seqgen-motif-crlf-\(name)"
            try AtomicFile.write(text, to: plain)
            try AtomicFile.write("\u{FEFF}" + text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n"), to: windows)
            let a = try MotifFile.read(plain), b = try MotifFile.read(windows)
            #expect(a == b && a.count == 1, "\(name)")
        }
    }
}
