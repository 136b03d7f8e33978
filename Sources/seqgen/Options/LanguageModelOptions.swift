import ArgumentParser
import LanguageModel
import Pipelines

extension LanguageModelConfiguration.EmbeddingInitialisation: ExpressibleByArgument {}
extension LanguageModelConfiguration.PositionEncoding: ExpressibleByArgument {}

/// `seqgen fit --model lm` settings (see LanguageModelFit and LanguageModelConfiguration).
struct LanguageModelOptions: ParsableArguments {
    /// The library's fitter, whose settings are the options' defaults (one home for each default).
    static let library = LanguageModelFit()

    @Option(help: "LM: encoder blocks.")
    var layers = Self.library.configuration.layers
    @Option(help: "LM: model width D.")
    var dimension = Self.library.configuration.dimension
    @Option(help: "LM: attention heads per block (D must be a multiple).")
    var lmHeads = Self.library.configuration.heads
    @Option(parsing: .unconditional, help: "LM: MLP hidden width (4·D by default).")
    var feedForward: Int?
    @Option(help: "LM: dropout probability (ESM-2 trains without).")
    var dropout = Self.library.configuration.dropout
    @Option(help: "LM: optimizer steps (at most; early stopping may end sooner).")
    var lmSteps = Self.library.steps
    @Option(help: "LM: peak AdamW learning rate (linear warm-up over 5% of the steps, cosine decay to a tenth).")
    var lmLearningRate = Self.library.learningRate
    @Option(help: "LM: AdamW decoupled weight decay.")
    var weightDecay = Self.library.weightDecay
    @Option(help: "LM: token-embedding initialisation: random or blosum62 (prior c).")
    var embeddingInit = Self.library.configuration.embeddingInitialisation
    @Flag(help: "LM: the first block's heads attend by position only (prior b: one coupling-like L×L map per head).")
    var positionSharedAttention = false
    @Option(help: "LM: positions as rotary embeddings of queries and keys (ESM-2; the default) or a learned absolute embedding (ESM-1b; the default with --position-shared-attention, which attends by it).")
    var positions: LanguageModelConfiguration.PositionEncoding?

    /// Rotary unless position-shared attention asks for the learned position embedding.
    var positionEncoding: LanguageModelConfiguration.PositionEncoding { positions ?? (positionSharedAttention ? .learned : .rotary) }

    /// The options set away from their defaults (`seqgen fit` refuses them for other models).
    var given: [String] {
        let c = Self.library.configuration
        return [("--layers", layers != c.layers), ("--dimension", dimension != c.dimension), ("--lm-heads", lmHeads != c.heads),
                ("--feed-forward", feedForward != nil), ("--dropout", dropout != c.dropout), ("--lm-steps", lmSteps != Self.library.steps),
                ("--lm-learning-rate", lmLearningRate != Self.library.learningRate), ("--weight-decay", weightDecay != Self.library.weightDecay),
                ("--embedding-init", embeddingInit != c.embeddingInitialisation), ("--position-shared-attention", positionSharedAttention),
                ("--positions", positions != nil)].filter(\.1).map(\.0)
    }

    func validate() throws {
        guard layers >= 1, dimension >= 2, lmHeads >= 1, dimension % lmHeads == 0 else {
            throw ValidationError("--layers must be ≥ 1 and --dimension a positive multiple of --lm-heads")
        }
        guard (feedForward ?? 1) >= 1, lmSteps >= 1 else {
            throw ValidationError("--feed-forward and --lm-steps must be ≥ 1")
        }
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1)") }
        guard lmLearningRate > 0 && lmLearningRate.isFinite, weightDecay >= 0 else { throw ValidationError("--lm-learning-rate must be > 0 and --weight-decay ≥ 0") }
        if positionEncoding == .rotary && (dimension / lmHeads) % 2 != 0 { throw ValidationError("rotary positions (the default) need an even head dimension (--dimension / --lm-heads); or --positions learned") }
        if positionEncoding == .rotary && positionSharedAttention {
            throw ValidationError("--position-shared-attention attends by the learned position embedding; --positions rotary has none")
        }
    }

    /// The options as the library's fitter, with the shared minibatch and early-stopping options (its
    /// seed and positions are set by the pipeline).
    func fitter(training: StochasticTrainingOptions) -> LanguageModelFit {
        var f = LanguageModelFit()
        f.configuration.layers = layers; f.configuration.dimension = dimension; f.configuration.heads = lmHeads
        f.configuration.feedForward = feedForward ?? 4 * dimension; f.configuration.dropout = dropout
        f.configuration.embeddingInitialisation = embeddingInit; f.configuration.positionSharedFirstLayer = positionSharedAttention
        f.configuration.positions = positionEncoding
        f.steps = lmSteps; f.learningRate = lmLearningRate; f.weightDecay = weightDecay
        training.apply(to: &f)
        return f
    }
}
