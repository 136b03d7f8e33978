import Testing
import Tensors
import Sequences
import Potts
import Scoring
import LanguageModel
import Pipelines

struct SequenceScoringTests {
    /// A Potts model over 7 sites with random fields and symmetric couplings.
    func randomPotts() -> PottsModel {
        var rng = RandomGenerator(seed: 11)
        let j = Couplings(length: 7, states: 21, scalars: Tensor.normal([7 * 7 * 21 * 21], using: &rng).scalars).symmetrised()
        return PottsModel(alphabet: .protein, fields: .normal([7, 21], using: &rng), couplings: j.tensor)
    }

    func alignment(_ rows: [String]) -> MultipleSequenceAlignment {
        let a = Alphabet.protein
        return MultipleSequenceAlignment(alphabet: a, names: rows.indices.map { "s\($0)" }, codes: rows.flatMap { a.encode($0)! }, length: rows[0].count)
    }

    /// Each aligned sequence scores E(x) − E(focus), however far it is from the focus (the focus 0).
    @Test func alignedSequencesScoreTheirEnergyDifferenceToTheFocus() throws {
        let model = randomPotts()
        let rows = ["ACDEFGH", "ACDEFGW", "WYVTSRQ", "A-DEF-H"]
        let msa = alignment(rows)
        let focus = Array(msa.row(0))
        let scored = try ScoredSequences(aligned: msa, scorer: model, background: focus, source: "s.fa")
        for (n, row) in scored.rows.enumerated() {
            let want = model.energy(msa.row(n)) - model.energy(focus)
            #expect(abs(try #require(row.score) - want) < 1e-3 * max(1, abs(want)), "\(rows[n])")
        }
        #expect(scored.rows.map(\.size) == [0, 1, 7, 2])
        #expect(scored.csv.hasPrefix("name,score,differences\ns0,0.0,0\n"))
        // Gaps as missing data: a sequence differing from the focus by a gap has no score.
        let residuesOnly = try ScoredSequences(aligned: msa, scorer: ResiduesOnly(model), background: focus, source: "s.fa")
        #expect(residuesOnly.rows.map { $0.score == nil } == [false, false, false, true] && residuesOnly.unscored == ["s3"])
        #expect(residuesOnly.unscoredReason == "different from the focus by a gap, where the model has no fitted gap state")
        // Another width is refused, naming both.
        #expect { try ScoredSequences(aligned: alignment(["ACDEF"]), scorer: model, background: focus, source: "s.fa") } throws: {
            "\($0)".contains("s.fa: the sequences are 5 columns wide and the model has 7")
        }
    }

    /// Unaligned sequences of any length under a language model score PLL(x) − PLL(focus); one
    /// longer than the model's positions is left unscored.
    @Test func unalignedSequencesScoreTheirPseudoLikelihoodDifference() {
        var c = LanguageModelConfiguration()
        c.layers = 1; c.dimension = 8; c.heads = 2; c.feedForward = 16; c.maxPositions = 12; c.dropout = 0
        let model = ProteinLanguageModel(c, seed: 2)
        let focus: [UInt8] = [0, 1, 2, 3, 4, 5]
        let tokens: [[UInt8]] = [focus, [0, 1, 2, 4, 5], [0, 1, 2, 3, 3, 4, 5, 9], Array(repeating: 7, count: 11)]
        let raw = RawSequences(names: ["wt", "del", "ins", "long"], tokens: tokens)
        var reported: [Int] = []
        let scored = ScoredSequences(unaligned: raw, model: model, focus: focus) { done, _ in reported.append(done) }
        #expect(scored.rows[0].score == 0 && reported == [1, 2, 3, 4])
        for k in 1...2 {
            let want = model.pseudoLogLikelihood(tokens[k]) - model.pseudoLogLikelihood(focus)
            #expect(scored.rows[k].score == want && want != 0)
        }
        #expect(scored.rows[3].score == nil && scored.unscored == ["long"] && scored.rows.map(\.size) == [6, 5, 8, 11])
        #expect(scored.unscoredReason == "longer than the model's 10 residues")
        #expect(scored.csv.hasPrefix("name,score,length\nwt,0.0,6\n"))
    }
}
