import Testing
import Tensors
import Sequences
import ArDCA
import Scoring

@Suite struct ArDCAScoringTests {
    /// The incremental effect equals the difference of full exact log-likelihoods, for single and
    /// multiple substitutions, and across backgrounds (the cached logits follow the background).
    @Test func effectIsTheExactLogLikelihoodRatio() {
        var rng = RandomGenerator(seed: 5)
        let (l, q) = (7, 21)
        let model = ArDCAModel(alphabet: .protein, order: rng.permutation(l),
                               parameters: (0..<ArDCAModel.parameterCount(length: l, states: q)).map { _ in rng.normal() })
        for _ in 0..<3 {
            let x = (0..<l).map { _ in UInt8(rng.int(below: q)) }
            for subs in [[(2, UInt8(5))], [(0, UInt8(1)), (6, UInt8(19))], [(1, UInt8(20)), (3, UInt8(0)), (4, UInt8(9))]] {
                var y = x
                for (c, a) in subs { y[c] = a }
                let exact = model.logLikelihood(y) - model.logLikelihood(x)
                let fast = model.effect(of: subs.map { (column: $0.0, state: $0.1) }, background: x)
                #expect(Swift.abs(exact - fast) < 1e-3, "\(subs): \(fast) vs \(exact)")
            }
        }
    }
}
