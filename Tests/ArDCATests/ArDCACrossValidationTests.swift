import Testing
import Tensors
import Sequences
import ArDCA

@Suite struct ArDCACrossValidationTests {
    func alignment(_ codes: [UInt8], length l: Int) -> MultipleSequenceAlignment {
        MultipleSequenceAlignment(alphabet: .protein, names: (0..<(codes.count / l)).map { "s\($0)" }, codes: codes, length: l)
    }

    /// ℓ is the weighted mean of the exact log-likelihoods of the held-out rows.
    @Test func heldOutLikelihoodIsTheWeightedMean() {
        let model = randomModel(length: 4, seed: 3)
        let msa = alignment(model.sample(count: 10, seed: 2), length: 4)
        let weights: [Float] = [1, 0.5, 2, 1, 1, 0.25, 1, 3, 1, 1]
        let rows = [1, 2, 7]
        let direct = rows.reduce(0.0) { $0 + Double(weights[$1]) * model.logLikelihood(msa.row($1)) } / 5.5
        #expect(Swift.abs(ArDCACrossValidation.heldOutLogLikelihood(model, msa, rows: rows, weights: weights) - direct) < 1e-9)
    }

    /// Known answers: sequences drawn from a strongly coupled model in number need little
    /// regularisation; a few sequences with independent columns (no coupling to learn) need a lot.
    /// The chosen λ is the argmax of the reported held-out likelihoods.
    @Test func theChoiceFollowsTheData() {
        let l = 6
        func choose(_ msa: MultipleSequenceAlignment) -> ArDCACrossValidation.Outcome {
            let weights = [Float](repeating: 1, count: msa.count)
            let held = ClusterHoldout.rows(clusters: Array(0..<msa.count), keeping: 0, target: msa.count / 5, seed: 1)
            return ArDCACrossValidation.choose(msa, weights: weights, heldOut: held, fitter: ArDCAFit(ordering: .natural)) { f, part, w in
                f.fit(part, weights: w).model
            }!
        }
        let coupled = choose(alignment(randomModel(length: l, scale: 1.5, seed: 21, natural: true).sample(count: 4000, seed: 4), length: l))
        #expect(coupled.best <= 0.003, "coupled: \(coupled.scores)")
        var rng = RandomGenerator(seed: 9)
        let profile = (0..<l).map { _ in (0..<21).map { _ in Double(rng.uniform()) + 0.05 } }
        let independent = (0..<60).flatMap { _ in (0..<l).map { i -> UInt8 in
            var u = Double(rng.uniform()) * profile[i].reduce(0, +), a = 0
            while a < 20 && u > profile[i][a] { u -= profile[i][a]; a += 1 }
            return UInt8(a)
        } }
        let sparse = choose(alignment(independent, length: l))
        #expect(sparse.best >= 0.03, "independent: \(sparse.scores)")
        for o in [coupled, sparse] {
            #expect(o.scores[ArDCACrossValidation.candidates.firstIndex(of: o.best)!] == o.scores.max())
        }
    }
}
