import Scoring

/// Mutation effects from a language model, in the background of its query sequence (`seqgen score`):
/// - masked marginal (default; ESM-1v, ProteinGym): Σ_{s ∈ S} log p(b_s | x with s masked) − log p(a_s | same),
///   one masked pass per position of the query, computed once;
/// - wild-type marginal: the same sum with the probabilities of one unmasked pass over x;
/// - pseudo-log-likelihood: PLL(mutant) − PLL(x), L masked passes per variant (slow; exact for
///   multi-mutants, where the marginals are additive).
/// The wild type scores 0 under all three.
public final class LanguageModelScorer: MutationEffectModel {
    public enum Method: String, Sendable, CaseIterable {
        case maskedMarginal = "masked-marginal", wildTypeMarginal = "wildtype-marginal", pseudoLikelihood = "pseudo-likelihood"
    }
    public let model: ProteinLanguageModel
    public let method: Method
    public let background: [UInt8]
    /// L×20 log-probabilities for the marginal methods.
    public let table: [Float]
    private var backgroundPLL: Double?

    public init(model: ProteinLanguageModel, background: [UInt8], method: Method = .maskedMarginal) {
        self.model = model; self.method = method; self.background = background
        switch method {
        case .maskedMarginal: table = model.maskedMarginals(background)
        case .wildTypeMarginal: table = model.wildTypeMarginals(background)
        case .pseudoLikelihood: table = []
        }
    }

    public var length: Int { background.count }

    /// The vocabulary has no gap: a deletion (`A12-`) is not a substitution it can score.
    public var scoresGaps: Bool { false }

    /// `background` must be the query the scorer was built on (the archive's focus).
    public func effect(of substitutions: [(column: Int, state: UInt8)], background x: [UInt8]) -> Double {
        switch method {
        case .maskedMarginal, .wildTypeMarginal:
            return substitutions.reduce(0.0) { acc, s in
                let (i, b, a) = (s.column, Int(s.state), Int(x[s.column]))
                guard b < 20, a < 20 else { return acc }
                return acc + Double(table[i * 20 + b] - table[i * 20 + a])
            }
        case .pseudoLikelihood:
            var y = x
            for s in substitutions { y[s.column] = s.state < 20 ? s.state : UInt8(ProteinTokens.unknown) }
            if y == x { return 0 }
            let base = backgroundPLL ?? model.pseudoLogLikelihood(x.map { $0 < 20 ? $0 : UInt8(ProteinTokens.unknown) })
            backgroundPLL = base
            return model.pseudoLogLikelihood(y) - base
        }
    }
}
