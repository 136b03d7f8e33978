import Testing
import Tensors
import Sequences
import Mutations
import Archive
import Potts
import Scoring
import Pipelines

struct MutationScoringTests {
    /// A PSSM over "ACD" (residues 1–3) whose field of letter a at column i is i + a/100.
    func pssmArchive() -> ModelArchive {
        let q = Alphabet.protein.size
        var h = Tensor(zeros: [3, q])
        for i in 0..<3 { for a in 0..<q { h.scalars[i * q + a] = Float(i) + Float(a) / 100 } }
        return ModelArchive(kind: .pssm, alphabet: .protein, fields: h, couplings: nil, focusName: "toy", focusSequence: "ACD",
                            residueNumbers: [1, 2, 3], metadata: [("pseudocount", .real(0))])
    }

    func mapping(_ a: ModelArchive) -> VariantMapping {
        VariantMapping(alphabet: a.alphabet, focusSequence: a.focusSequence, residueNumbers: a.residueNumbers)
    }

    @Test func eachKindGetsItsScorer() throws {
        #expect(try pssmArchive().scorer(path: "p") is PSSM)
        var potts = pssmArchive(); potts.kind = .potts; potts.couplings = Tensor(zeros: [3, 3, 21, 21])
        #expect(try potts.scorer(path: "p") is PottsModel)
    }

    @Test func variantsOutsideTheModelAreListedAndLeftUnscored() throws {
        let a = pssmArchive()
        let rows = [ScoredVariants.Row(Variant("A1C")!, measured: 0.5, line: 2), ScoredVariants.Row(Variant("A1C:C2D")!, measured: nil, line: 3),
                    ScoredVariants.Row(Variant("K9W")!, measured: 1, line: 4)]
        let scored = try ScoredVariants(rows, scorer: try a.scorer(path: "p"), mapping: mapping(a), offset: 0, source: "t.csv", measuredColumn: "DMS_score")
        let lines = scored.csv.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "mutant,score,DMS_score")
        // A1C: h_1(C) − h_1(A) = 0.01; C2D adds h_2(D) − h_2(C) = 0.01.
        #expect(lines[1].hasPrefix("A1C,0.0") && lines[1].hasSuffix(",0.5"))
        #expect(lines[3] == "K9W,,1.0")
        #expect(scored.scored == 2 && scored.outside == ["K9W"])
    }

    @Test func noScorableVariantIsAnError() throws {
        let a = pssmArchive()
        #expect(throws: PipelineError.self) {
            try ScoredVariants([ScoredVariants.Row(Variant("K9W")!)], scorer: try a.scorer(path: "p"), mapping: mapping(a), offset: 0, source: "--mutants", measuredColumn: nil)
        }
    }

    @Test func scanIsZeroAtTheWildTypeAndTheEffectElsewhere() throws {
        let a = pssmArchive()
        let scorer = try a.scorer(path: "p"), m = mapping(a)
        let scan = MutationScan(a, scorer: scorer, mapping: m)
        #expect(scan.letters.count == 20 && scan.values.count == 3)
        #expect(scan.wildType == [0, 1, 2])
        #expect(scan.values[1][1] == 0)
        #expect(scan.values[1][5] == scorer.effect(of: [(1, 5)], background: m.background))
        #expect(scan.array.shape == [3, 20])
        let csv = scan.csv.split(separator: "\n")
        #expect(csv[0].hasPrefix("position,wild_type,A,C,D,") && csv[2].hasPrefix("2,C,"))
    }

    /// A column where the focus has a gap holds no single mutant of the protein: left out.
    @Test func scanLeavesOutTheFocusGaps() throws {
        var a = pssmArchive()
        a.focusSequence = "A-D"; a.residueNumbers = [1, -2, 2]
        let scan = MutationScan(a, scorer: try a.scorer(path: "p"), mapping: mapping(a))
        #expect(scan.columns == [0, 2] && scan.values.count == 2 && scan.wildType == [0, 2])
        #expect(scan.array.shape == [2, 20])
        let rows = scan.csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
        #expect(rows == ["1,A", "2,D"])
    }
}
