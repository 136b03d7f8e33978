import ArgumentParser
import FileIO
import Console
import Figures
import LanguageModel
import Optimizers
import Potts
import Tensors
#if canImport(Glibc)
import Glibc
#endif

extension LanguageModelConfiguration.EmbeddingInitialisation: ExpressibleByArgument {}

/// `seqgen fit --model lm` settings (see LanguageModelFit and LanguageModelConfiguration).
struct LanguageModelOptions: ParsableArguments {
    @Option(help: "LM: encoder blocks.")
    var layers = 2
    @Option(help: "LM: model width D.")
    var dimension = 64
    @Option(help: "LM: attention heads per block (D must be a multiple).")
    var lmHeads = 4
    @Option(help: "LM: MLP hidden width (4·D by default).")
    var feedForward: Int?
    @Option(help: "LM: dropout probability.")
    var dropout: Float = 0.1
    @Option(help: "LM: optimizer steps (at most; early stopping may end sooner).")
    var lmSteps = 3000
    @Option(help: "LM: sequences per batch.")
    var batchSize = 32
    @Option(help: "LM: peak AdamW learning rate (linear warm-up over 5% of the steps, cosine decay to a tenth).")
    var lmLearningRate: Float = 1e-3
    @Option(help: "LM: AdamW decoupled weight decay.")
    var weightDecay: Float = 0.01
    @Option(help: "LM: validation perplexity every N steps.")
    var evaluateEvery = 100
    @Option(help: "LM: stop after this many evaluations without a better validation perplexity.")
    var patience = 5
    @Option(help: "LM: fraction of sequences held out for validation (at most 500).")
    var validationFraction = 0.1
    @Option(help: "LM: token-embedding initialisation: random or blosum62 (prior c).")
    var embeddingInit = LanguageModelConfiguration.EmbeddingInitialisation.random
    @Flag(help: "LM: the first block's heads attend by position only (prior b: one coupling-like L×L map per head).")
    var positionSharedAttention = false

    func validate() throws {
        guard layers >= 1, dimension >= 2, lmHeads >= 1, dimension % lmHeads == 0 else {
            throw ValidationError("--layers must be ≥ 1 and --dimension a positive multiple of --lm-heads")
        }
        guard (feedForward ?? 1) >= 1, lmSteps >= 1, batchSize >= 1, evaluateEvery >= 1, patience >= 1 else {
            throw ValidationError("--feed-forward, --lm-steps, --batch-size, --evaluate-every and --patience must be ≥ 1")
        }
        guard dropout >= 0 && dropout < 1 else { throw ValidationError("--dropout must be in [0, 1)") }
        guard lmLearningRate > 0 && lmLearningRate.isFinite, weightDecay >= 0 else { throw ValidationError("--lm-learning-rate must be > 0 and --weight-decay ≥ 0") }
        guard validationFraction >= 0 && validationFraction < 1 else { throw ValidationError("--validation-fraction must be in [0, 1)") }
    }

    func fitter(seed: UInt64, maxPositions: Int) -> LanguageModelFit {
        var f = LanguageModelFit()
        f.configuration.layers = layers; f.configuration.dimension = dimension; f.configuration.heads = lmHeads
        f.configuration.feedForward = feedForward ?? 4 * dimension; f.configuration.dropout = dropout
        f.configuration.embeddingInitialisation = embeddingInit; f.configuration.positionSharedFirstLayer = positionSharedAttention
        f.configuration.maxPositions = maxPositions
        f.steps = lmSteps; f.batchSize = batchSize; f.learningRate = lmLearningRate; f.weightDecay = weightDecay
        f.evaluateEvery = evaluateEvery; f.patience = patience; f.validationFraction = validationFraction; f.seed = seed
        return f
    }
}

extension FitCommand {
    /// `fit --model lm`: unaligned sequences (any alignment's gaps removed) → a masked LM.
    func fitLanguageModel(_ outputs: OutputSet, output: String) throws {
        let clock = Stopwatch()
        Interrupt.install()
        let data = try LanguageModelInput.read(alignment, focus: input.focus, identity: identity)
        let n = data.sequences.count
        let neff = data.weights.reduce(0.0) { $0 + Double($1) }
        // Positions: the longest training sequence, with room for a query up to 25% longer.
        let maxPositions = Int(Double(data.sequences.maximumLength + 2) * 1.25)
        let fitter = lm.fitter(seed: seed, maxPositions: maxPositions)
        log("\(n) sequences (lengths \(data.sequences.tokens.map(\.count).min()!)–\(data.sequences.maximumLength)), Neff \(fixed(neff, 1)) by \(data.weightSource) (\(fixed(clock.seconds, 2)) s)")
        let probe = ProteinLanguageModel(fitter.configuration, seed: seed)
        log("lm: \(fitter.configuration.layers) blocks, D \(fitter.configuration.dimension), \(fitter.configuration.heads) heads, MLP \(fitter.configuration.feedForward), \(probe.parameterCount) parameters; focus \(data.focusName) (L = \(data.focusTokens.count))")
        let fingerprint = ["model=lm", "input=\(alignment)", "sequences=\(n)", "neff=\(fixed(neff, 4))", "config=\(fitter.configuration)",
                           "steps=\(fitter.steps)", "batch=\(fitter.batchSize)", "lr=\(fitter.learningRate)", "wd=\(fitter.weightDecay)",
                           "seed=\(seed)", "threads=\(Parallel.threadCount)"].joined(separator: " ")
        var saved: LanguageModelFit.State?
        if let resume = checkpointing.resume {
            let c = try Checkpoint.read(resume)
            try c.check(kind: Checkpoint.languageModelKind, fingerprint: fingerprint, path: resume)
            saved = try c.languageModelState(shapes: probe.parameters.map(\.shape), path: resume)
            log("resuming from \(resume) at step \(saved!.step)")
        }
        let bar = ProgressBar("lm", total: fitter.steps, quiet: runtime.quiet)
        let saver = CheckpointSaver(path: checkpointPath, every: checkpointing.checkpointEvery)
        var lastPerplexity: Double?
        let result = try fitter.fit(data.sequences.tokens, weights: data.weights, resume: saved, progress: { step, loss, e in
            if let e { lastPerplexity = e.validationPerplexity }
            bar.update(step, status: "loss \(fixed(loss, 3)) ppl \(fixed(exp(loss), 2))" + (lastPerplexity.map { " val ppl \(fixed($0, 2))" } ?? ""))
            return saver.failure == nil && Interrupt.signal == nil
        }, checkpoint: { step, state in
            saver.save(step) { Checkpoint(fingerprint: fingerprint, languageModel: state()) }
        })
        bar.finish()
        try saver.finish(at: result.steps)
        let seconds = clock.seconds
        log("lm: \(result.steps) steps\(result.stoppedEarly ? " (early stop)" : ""), best validation perplexity \(fixed(result.bestPerplexity, 3)), \(fixed(seconds, 1)) s")
        let meta: [(String, ModelArchive.MetaValue)] = [
            ("sequences", .integer(n)), ("neff", .real(neff)), ("identity_threshold", .real(identity)), ("seed", .integer(Int(truncatingIfNeeded: seed))),
            ("steps", .integer(result.steps)), ("batch_size", .integer(fitter.batchSize)), ("learning_rate", .real(Double(fitter.learningRate))),
            ("weight_decay", .real(Double(fitter.weightDecay))), ("validation_perplexity", .real(result.bestPerplexity)),
            ("threads", .integer(Parallel.threadCount)),
        ]
        let archive = result.model.archive(focusName: data.focusName, focus: data.focusTokens, firstResidue: data.firstResidue, metadata: meta)
        try outputs.write {
            try archive.write(to: output, overwrite: force)
            if let curve {
                let h = result.history
                var chart = Chart(title: "\(data.focusName): masked LM", xLabel: "step", yLabel: "perplexity (masked residues)",
                                  series: [.init("training (mean of the last \(fitter.evaluateEvery) steps)", x: h.map { Double($0.step) }, y: h.map { exp($0.trainingLoss) }, style: .line, color: .blue),
                                           .init("validation", x: h.map { Double($0.step) }, y: h.map(\.validationPerplexity), style: .line, color: .orange)],
                                  note: "best validation perplexity \(fixed(result.bestPerplexity, 2)); chance 20")
                figure.apply(&chart)
                try figure.write(chart.render(), to: curve, overwrite: force)
            }
        }
        wrote(output, "(\(fixed(clock.seconds, 2)) s)")
        if let curve { wrote(curve) }
        if access(checkpointPath, F_OK) == 0 && (checkpointing.checkpointEvery > 0 || checkpointing.resume == checkpointPath) { unlink(checkpointPath) }
    }
}
