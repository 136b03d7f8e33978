import Testing
import TestSupport
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

    /// HOMER's rows are positions (A C G T probabilities), JASPAR's are bases: a four-position HOMER
    /// motif read as a raw JASPAR PFM would come out transposed.
    @Test func homerMotifsAreReadAsPositionRows() throws {
        let text = ">GGCA\tZnf(Zf)/Test/Homer\t6.5\t-1.2\t0\n0.1\t0.1\t0.7\t0.1\n0.0\t0.0\t1.0\t0.0\n0.0\t0.9\t0.1\t0.0\n0.97\t0.01\t0.01\t0.01\n>AT\tTwo words\t3.0\n0.5\t0\t0\t0.5\n0\t0\t0\t1\n"
        #expect(HOMERFormat.sniff(text))
        let motifs = try MotifFile.parse(text, path: "known.motifs")
        #expect(motifs.map(\.id) == ["Znf(Zf)/Test/Homer", "Two_words"] && motifs[0].name == "GGCA")
        #expect(motifs[0].matrix[3] == [0.97, 0.01, 0.01, 0.01] && motifs[0].probabilityRows && motifs[1].width == 2)
        #expect(try motifs.selecting("Znf(Zf)/Test/Homer", path: "m").map(\.name) == ["GGCA"])
        let commas = [Motif(id: "Oct4(POU,Homeobox)/mES/Homer", name: "ATTT", matrix: [[1, 0, 0, 0]]), Motif(id: "B", name: "", matrix: [[1, 0, 0, 0]])]
        #expect(try commas.selecting("Oct4(POU,Homeobox)/mES/Homer", path: "m").map(\.name) == ["ATTT"])   // the whole text first
        #expect(try commas.selecting("ATTT,B", path: "m").count == 2)
        #expect(!HOMERFormat.sniff(">MA0001.1\tAGL3\nA  [ 0 3 79 ]\n") && !HOMERFormat.sniff(">MA0001.1 AGL3\n0 3 79\n94 75 4\n"))
        #expect(throws: FileIOError.self) { try MotifFile.parse(">GGCA\tX\t6.5\n0.1 0.1 0.7\n", path: "bad.motifs") }
        // MEME entries without the `MEME version` line are MEME (hand-written or cut from a file).
        let bare = try MotifFile.parse("MOTIF SP1\nletter-probability matrix: alength= 4 w= 2\n0 0 1 0\n0 1 0 0\n", path: "bare.meme")
        #expect(bare.count == 1 && bare[0].id == "SP1" && bare[0].matrix == [[0, 0, 1, 0], [0, 1, 0, 0]])
    }

    /// One motif by ID or by name in any case, the first in file order; an unknown name names the file.
    @Test func motifNamedFindsByIDOrNameInAnyCase() throws {
        let m = [Motif(id: "MA0079.3", name: "SP1", matrix: [[1, 0, 0, 0]]), Motif(id: "MA0062.2", name: "Gabpa", matrix: [[0, 1, 0, 0]]),
                 Motif(id: "X", name: "GABPA", matrix: [[0, 0, 1, 0]])]
        #expect(try m.motif(named: "MA0079.3", path: "m").name == "SP1")
        #expect(try m.motif(named: "GABPA", path: "m").id == "MA0062.2")
        #expect(try m.motif(named: "sp1", path: "m").id == "MA0079.3")
        #expect(throws: FileIOError.self) { try m.motif(named: "NOPE", path: "m") }
    }

    @Test func roundTripsThroughBothFormats() throws {
        let m = [Motif(id: "X1", name: "TEST", matrix: [[1, 2, 3, 4], [10, 0, 0, 0]], sites: 10)]
        let j = try JASPARFormat.parse(JASPARFormat.render(m), path: "x")
        #expect(j[0].matrix == m[0].matrix && j[0].name == "TEST")
        let e = try MotifFile.parse(MEMEFormat.render(m), path: "x")
        #expect(e[0].id == "X1" && e[0].sites == 10)
        for (a, b) in zip(e[0].matrix.joined(), m[0].probabilities().joined()) { #expect(Swift.abs(a - b) < 1e-12) }
    }

    /// `w=` is optional in the MEME format: the width is then the matrix rows that follow.
    @Test func memeWidthDefaultsToTheRowsThatFollow() throws {
        let text = "MEME version 4\n\nALPHABET= ACGT\n\nMOTIF M1\nletter-probability matrix: alength= 4 nsites= 10\n0.1 0.2 0.3 0.4\n1 0 0 0\n0 0 0 1\n\nMOTIF M2\nletter-probability matrix: alength= 4 w= 1\n0.25 0.25 0.25 0.25\n"
        let motifs = try MEMEFormat.parse(text, path: "w.meme")
        #expect(motifs.count == 2 && motifs[0].matrix.count == 3 && motifs[0].matrix[1] == [1, 0, 0, 0] && motifs[1].matrix.count == 1)
        #expect(throws: FileIOError.self) { try MEMEFormat.parse("MOTIF M1\nletter-probability matrix: alength= 4\n\n", path: "e.meme") }
    }

    /// A MEME file's background, strands and E-values are the motifs' own: they survive a round
    /// trip (uniform and E= 0 read as "none stated"), and a clip or reverse complement keeps them.
    @Test func memeBackgroundStrandsAndEValuesAreKept() throws {
        let text = """
        MEME version 4

        ALPHABET= ACGT

        strands: +

        Background letter frequencies (from a genome):
        A 0.3 C 0.2
        G 0.2 T 0.3

        MOTIF m1 ONE
        letter-probability matrix: alength= 4 w= 2 nsites= 17 E= 3.2e-05
        0.1 0.2 0.3 0.4
        1 0 0 0

        MOTIF m2
        letter-probability matrix: alength= 4 w= 1 nsites= 5 E= 0
        0.25 0.25 0.25 0.25
        """
        let motifs = try MotifFile.parse(text, path: "m.meme")
        #expect(motifs.map(\.background) == [[0.3, 0.2, 0.2, 0.3], [0.3, 0.2, 0.2, 0.3]])
        #expect(motifs.map(\.bothStrands) == [false, false] && motifs.map(\.eValue) == [3.2e-05, nil])
        let again = try MotifFile.parse(MEMEFormat.render(motifs), path: "again.meme")
        #expect(again.map(\.background) == motifs.map(\.background) && again.map(\.bothStrands) == [false, false])
        #expect(again.map(\.eValue) == motifs.map(\.eValue) && again.map(\.sites) == [17, 5] && again.map(\.name) == ["ONE", ""])
        #expect(motifs[0].reverseComplement.background == [0.3, 0.2, 0.2, 0.3] && motifs[0].clipped(minimumInformation: 0, pad: 0).eValue == 3.2e-05)
        // No background stated, or the uniform one: none; both strands unless the file says otherwise.
        let plain = try MotifFile.parse("MEME version 4\nBackground letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n1 0 0 0\n", path: "p")
        #expect(plain[0].background == nil && plain[0].bothStrands)
        // Motifs from different files state different backgrounds: one file written from them says uniform.
        #expect(MEMEFormat.render([motifs[0], plain[0]]).contains("A 0.25 C 0.25 G 0.25 T 0.25\n"))
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
        #expect(MotifFile.render(back, for: "x.jaspar") == JASPARFormat.render(jaspar))
        #expect(MotifFile.render(back, for: "x.pfm") == ">MA1\tONE\n10\t0\t5\n0\t10\t5\n0\t0\t0\n0\t0\t0\n")
        #expect(try MotifFile.parse(MotifFile.render(back, for: "y.JASPAR"), path: "y")[0].matrix == jaspar[0].matrix)
        // MEME probabilities without nsites= become counts of Motif.defaultSites (20).
        let probabilities = "MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n0.25 0.5 0.25 0\n"
        #expect(MotifFile.render(try MotifFile.parse(probabilities, path: "p"), for: "z.jaspar") == ">a\t\nA  [ 5 ]\nC  [ 10 ]\nG  [ 5 ]\nT  [ 0 ]\n")
    }

    @Test func memeProbabilitiesBecomeCountsEvenWhenTheirRowsAreRounded() throws {
        // Rows summing to 0.999 and 1.001 (six-decimal files do): counts of nsites= all the same.
        let meme = "MEME version 4\nMOTIF m\nletter-probability matrix: alength= 4 w= 2 nsites= 1000 E= 0\n0.5 0.25 0.125 0.124\n0.9 0.05 0.03 0.021\n"
        let counts = try JASPARFormat.parse(MotifFile.render(try MotifFile.parse(meme, path: "m"), for: "x.jaspar"), path: "x")[0].matrix
        #expect(counts == [[500, 250, 125, 124], [900, 50, 30, 21]])
        // A JASPAR frequency matrix (columns of 1) is written back as it is, not rounded to 0/1.
        let frequencies = ">F1 freq\nA [ 0.7 0.1 ]\nC [ 0.1 0.7 ]\nG [ 0.1 0.1 ]\nT [ 0.1 0.1 ]\n"
        let f = try MotifFile.parse(frequencies, path: "f")
        #expect(try MotifFile.parse(MotifFile.render(f, for: "y.jaspar"), path: "y")[0].matrix == f[0].matrix)
    }

    @Test func jasparRawPFMRowsAreReadInACGTOrder() throws {
        let raw = ">MA0004.1\tArnt\n4\t19\t0\n16\t0\t20\n0\t1\t0\n0\t0\t0\n>MA0006.1 Ahr::Arnt\n3 0\n8 0\n2 23\n10 1\n"
        let m = try MotifFile.parse(raw, path: "r.pfm")
        #expect(m.map(\.id) == ["MA0004.1", "MA0006.1"] && m[1].name == "Ahr::Arnt")
        #expect(m[0].matrix == [[4, 16, 0, 0], [19, 0, 1, 0], [0, 20, 0, 0]] && m[0].sites == 20)
        #expect(MotifFile.render([m[0]], for: "back.pfm") == ">MA0004.1\tArnt\n4\t19\t0\n16\t0\t20\n0\t1\t0\n0\t0\t0\n")
    }

    /// TRANSFAC as JASPAR writes it (the matrix ID in AC, the factor in ID; `PO` with a letter O) and
    /// as Biopython's example holds it (a `VV` record first, a consensus letter after each row, ID
    /// only): counts in A, C, G, T order whatever the P0 line's order; written back and read the same.
    @Test func transfacRecordsAreRead() throws {
        let jaspar = "AC MA0056.1\nXX\nID MZF1\nXX\nDE MA0056.1 MZF1 ; From JASPAR 2018\nPO\tA\tC\tG\tT\n01\t3.0\t5.0\t4.0\t8.0\n02\t0.0\t0.0\t19.0\t1.0\nXX\nCC tax_group:vertebrates\nXX\n//\n"
        let m = try MotifFile.parse(jaspar, path: "t.transfac")
        #expect(m.count == 1 && m[0].id == "MA0056.1" && m[0].name == "MZF1" && m[0].matrix == [[3, 5, 4, 8], [0, 0, 19, 1]] && m[0].sites == 20)
        let example = "VV  EXAMPLE\nXX\n//\nID  motif1\nP0      T      G      C      A\n01      1      2      2      0      S\n02      2      1      2      0      R\n//\nID  motif2\nP0 A C G T\n1 0 5 0 0\n//\n"
        let e = try MotifFile.parse(example, path: "t.dat")
        #expect(e.map(\.id) == ["motif1", "motif2"] && e[0].matrix == [[0, 2, 2, 1], [0, 2, 1, 2]] && e[1].matrix == [[0, 5, 0, 0]])
        let back = try MotifFile.parse(MotifFile.render(m + e, for: "x.transfac"), path: "x")
        #expect(back.map(\.id) == ["MA0056.1", "motif1", "motif2"] && back.map(\.name) == ["MZF1", "motif1", "motif2"])
        #expect(back.map(\.matrix) == (m + e).map(\.matrix))
        #expect(TRANSFACFormat.sniff(jaspar) && !TRANSFACFormat.sniff(">MA0001.1 AGL3\nA [ 0 3 ]\nC [ 1 2 ]\n"))
    }

    /// Cluster-Buster (cisTarget's and SCENIC's motif collections): rows are positions. A file is read
    /// so when its blocks have rows of four numbers and one has other than four rows; a file of
    /// 4 × 4 blocks alone is JASPAR's layout.
    @Test func clusterBusterRowsArePositions() throws {
        let text = ">MA0004.1 Arnt\n# WEIGHT 1\n4   16  0   0\n19  0   1   0\n0   20  0   0\n0   0   20  0\n0   0   0   20\n>M2\n1 2 3 4\n"
        #expect(ClusterBusterFormat.sniff(text))
        let m = try MotifFile.parse(text, path: "c.cb")
        #expect(m.map(\.id) == ["MA0004.1", "M2"] && m[0].name == "Arnt" && m[0].width == 5 && m[0].matrix[1] == [19, 0, 1, 0] && m[1].matrix == [[1, 2, 3, 4]])
        let square = ">M1\n1 2 3 4\n5 6 7 8\n1 1 1 1\n2 2 2 2\n"
        let parsedSquare = try MotifFile.parse(square, path: "s")
        #expect(!ClusterBusterFormat.sniff(square) && parsedSquare[0].matrix[0] == [1, 5, 1, 2])
        #expect(!ClusterBusterFormat.sniff(">MA0004.1\tArnt\n4\t19\t0\n16\t0\t20\n0\t1\t0\n0\t0\t0\n") && !ClusterBusterFormat.sniff("1 2 3 4\n1 2 3 4\n1 2 3 4\n1 2 3 4\n1 2 3 4\n"))
    }

    /// JASPAR's older `.pfm` files hold one raw matrix and no header: the motif is named by the file.
    @Test func aHeaderlessRawPFMIsNamedByItsFile() throws {
        let m = try MotifFile.parse("# SRF\n 2  9  0\n 1 33 45\n39  2  1\n 4  2  0\n", path: "dir/MA0083.1.pfm")
        #expect(m.count == 1 && m[0].id == "MA0083.1" && m[0].name == "" && m[0].matrix == [[2, 1, 39, 4], [9, 33, 2, 2], [0, 45, 1, 0]])
    }

    @Test func memeSitesAndWidthsAreChecked() throws {
        func parse(_ header: String, _ rows: String = "0.25 0.25 0.25 0.25\n") throws -> Motif {
            try MotifFile.parse("MEME version 4\nMOTIF a\nletter-probability matrix: \(header)\n\(rows)", path: "m")[0]
        }
        #expect(try parse("alength= 4 w= 1 nsites= 0 E= 0").sites == nil)           // no sites said: unknown (20)
        #expect(try parse("alength=4 w=1 nsites=12").sites == 12)                   // key=value without spaces
        #expect(try MotifFile.parse("MEME version 4\nMOTIF TTTGCG MEME-1 width = 6 sites = 14 llr = 150\nletter-probability matrix: alength= 4 w= 1\n1 0 0 0\n", path: "m")[0].name == "MEME-1")
        let cases: [(String, String, String)] = [
            ("alength= 4 w= 1 nsites= -5", "0.25 0.25 0.25 0.25\n", "m:3: nsites= -5.0 is negative"),
            ("alength= 4 w= 1", "0.25 0.25 0.25 0.25\n1 0 0 0\n", "m:5: MOTIF a: w= 1 but more matrix rows follow"),
            ("alength= 4 w= 2", "0.25 0.25 0.25 0.25\nURL http://x\n", "m:5: MOTIF a: w= 2 but 1 matrix row before 'URL http://x'"),
        ]
        for (header, rows, message) in cases {
            do { _ = try parse(header, rows); Issue.record("accepted: \(header)") } catch { #expect("\(error)".hasPrefix(message), "\(error)") }
        }
    }

    @Test func motifsAreSelectedByIDOrNameInFileOrder() throws {
        let motifs = try MotifFile.parse(">MA1 ONE\nA [1]\nC [0]\nG [0]\nT [0]\n>MA2 TWO\nA [0]\nC [1]\nG [0]\nT [0]\n", path: "m")
        #expect(try motifs.selecting("TWO, MA1", path: "m").map(\.id) == ["MA1", "MA2"])
        #expect(try motifs.selecting("two", path: "m").map(\.id) == ["MA2"])          // a name in another case
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
            (">chr1\nGTCCCTGTGTCCCTGTGATCCCCACCTGAGACC\n", "m:2: 'TCCCTGTGTCCCTGTGATCC…' is not a non-negative count (a DNA sequence?"),
            ("A [1 2]\n", "m:1: motif m has 1 base rows"),
            (">M1 X\nA [1 2]\nC [1 2]\nG [1 2]\nT [1 2]\nA [1 2]\n", "m:6: second A row in one motif"),
            (">AHR_HUMAN.H11MO.0.B\n-0.5 0.2 1.1 -2.0\n0.3 -1.2 0.4 0.1\n", "m:2: expected four non-negative numbers (A, C, G, T) for one motif position (negative numbers are log-odds weights, as HOCOMOCO's .pwm"),
            ("<?xml version='1.0'?>\n<html>\n", "m: an XML or HTML file that is not MEME, STREME or DREME output"),
            ("<?xml version='1.0'?>\n<MEME version=\"5\">\n</MEME>\n", "m: no <motif> in this MEME suite XML file"),
            ("<MEME>\n<motifs>\n<motif id=\"motif_1\" name=\"AC\">\n<probabilities><alphabet_matrix><alphabet_array>\n<value letter_id=\"A\">x</value>", "m:5: value of letter 'A' is 'x', not a number"),
            ("<STREME>\n<motifs>\n<motif id=\"1-A\">\n<pos A=\"0.5\" C=\"0.5\" D=\"0\" E=\"0\"/>\n</motif>", "m:3: motif '1-A' has letters A, C, D, E: motif commands read DNA motifs"),
            ("<dreme>\n<motifs>\n<motif id=\"m01\" seq=\"A\">\n</motif>", "m:3: motif 'A' has no probability matrix"),
            ("AC M1\nP0 A C G T\n01 1 2 3 4\n03 1 2 3 4\n//\n", "m:4: position 03 where position 2 was expected"),
            ("AC M1\nP0 A C G T\n01 1 2 3\n//\n", "m:3: position 01: expected a non-negative count for each of A, C, G and T"),
            ("AC M1\nP0 A C G U\n01 1 2 3 4\n//\n", "m:2: the P0 line names A C G U; expected the columns A, C, G and T"),
            ("AC M1\nP0 A C G T\n01 0 0 0 0\n//\n", "m:2: motif M1: position 1 has no counts"),
            ("AC M1\nP0 A C G T\n01 1 2 3 4\nP0 A C G T\n//\n", "m:4: a second P0 line in one record"),
            (">M1 X\nA [1]\nC [1]\nG [1]\n", "m:1: motif M1 has 3 base rows"),
            ("MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.25 0.25\n", "m:2: MOTIF a: w= 2 but 1 rows"),
            ("MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5\n", "m:4: 3 values in a matrix row"),
            ("MEME version 4\nALPHABET= ACDEFGHIKLMNPQRSTVWY\n", "m:2: alphabet"),
            ("MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n0 0 0 0\n", "m:4: a letter-probability row sums to 0.0, not 1"),
            ("MEME version 4\nMOTIF a\nletter-probability matrix: alength= 4 w= 1\n5 3 0 2\n", "m:4: a letter-probability row sums to 10.0, not 1"),
            (">M1 X\nA [1 0]\nC [1 0]\nG [1 0]\nT [1 0]\n", "m:1: motif M1: column 2 has no counts"),
            (">M1 X\nA [1 0]\n1 2\n", "m:3: motif M1 mixes rows with and without base letters"),
            (">M1 X\n1\n1\n1\n1\n1\n", "m:6: motif M1 has a fifth row of numbers"),
            ("", "m: no motifs found"),
            ("MEME version 4\nBackground letter frequencies\nA 0.3 C 0.2 G 0.2\nMOTIF a\n", "m:2: background letter frequencies: expected 'A p C p G p T p'"),
            ("MEME version 4\nBackground letter frequencies\nA 0.6 C 0.6 G 0.6 T 0.6\n\nMOTIF a\n", "m:2: background letter frequencies sum to 2.4"),
            ("MEME version 4\nstrands: + x\n", "m:2: 'strands: + x': expected"),
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
            let dir = temporaryDirectory()
            let plain = dir + "/lf-\(name)", windows = dir + "/crlf-\(name)"
            try AtomicFile.write(text, to: plain)
            try AtomicFile.write("\u{FEFF}" + text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n"), to: windows)
            let a = try MotifFile.read(plain), b = try MotifFile.read(windows)
            #expect(a == b && a.count == 1, "\(name)")
        }
    }
}
