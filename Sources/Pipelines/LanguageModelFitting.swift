import Archive
import Console
import Figures
import Tensors
import Optimizers
import Sequences
import LanguageModel
#if canImport(Glibc)
import Glibc
#endif

/// `ModelKind.lm`: a transformer masked language model (`LanguageModelFit`, `ProteinLanguageModel`)
/// over raw, unaligned sequences. Unlike the other kinds it is fitted from sequences, not an
/// alignment: `seqgen fit --model lm` calls `LanguageModelPipeline.run(path:…)`, which reads any
/// FASTA (unaligned) or alignment with its gaps removed and lower-case insert residues kept, and
/// weights the sequences itself (`LanguageModelInput`). This conformance serves `FitPipeline.run`
/// on an alignment already read: each row's residues with its gaps removed (the alignment reader
/// has already dropped insert states), with the pipeline's θ weights.
public struct LanguageModelFitting: ModelFitting {
    public var settings: FitSettings
    public init(_ settings: FitSettings) { self.settings = settings }

    public var isIterative: Bool { true }
    public var curveAxis: (label: String, points: String) { ("step", "steps") }

    /// Parameters, their AdamW moments and the best copy (4 float32 tensors each), plus the
    /// activations of one batch and their gradients: `batchSize` × T positions × per block the tape's
    /// D-wide tensors — 16 with the defaults (LN₁, Q K V, their head split, rotated Q and K, A·V and
    /// its merge, the output projection, residual, LN₂, the MLP output, residual), 2 fewer with learned
    /// positions (nothing rotated), 4 more with dropout (a mask and a product at each of two sites) —
    /// three feed-forward-wide ones (W₁x, GELU and its slope) and two of H attention rows of T
    /// (scores, softmax). Measured peak / estimate 1.00 / 0.96 / 0.92 / 0.90 for L = 50 / 100 / 200 /
    /// 300 with the defaults (README).
    public func memoryEstimate(sequences n: Int, length l: Int, states q: Int) -> Int {
        var c = settings.languageModel.configuration
        c.maxPositions = LanguageModelPipeline.positions(longest: l)
        let parameters = ProteinLanguageModel(c, seed: 0).parameterCount
        let t = l + 2, b = settings.languageModel.batchSize
        let wide = 16 + (c.dropout > 0 ? 4 : 0) - (c.positions == .learned ? 2 : 0)
        let activations = b * t * c.layers * (wide * c.dimension + 3 * c.feedForward + 2 * c.heads * t)
        return 4 * (4 * parameters + 2 * activations)
    }

    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive {
        var tokens: [[UInt8]] = []
        for n in 0..<msa.count {
            let residues = msa.sequence(n).filter { $0 != "-" && $0 != "." }.uppercased()
            guard let t = ProteinTokens.encode(residues) else {
                throw PipelineError(path: session.source, "sequence \(n + 1) ('\(msa.names[n])') holds a letter that is not an amino acid or X")
            }
            tokens.append(t)
        }
        let raw = RawSequences(names: msa.names, tokens: tokens, isAligned: true, source: session.source)
        let input = LanguageModelInput(sequences: raw, weights: weights, weightSource: "alignment identity weights", focus: msa.focus)
        let fitted = try LanguageModelPipeline.run(input, source: session.source, settings: settings,
                                                   checkpoints: session.checkpoints, quiet: session.quiet, clock: session.clock)
        session.history = fitted.result.history.map { (Double($0.step), $0.trainingLoss) }
        return fitted.archive
    }
}

extension LanguageModelFit.Result {
    /// What `bestPerplexity` measures: "validation perplexity", or "training perplexity" where no
    /// sequence was held out.
    public var perplexityName: String { heldOut > 0 ? "validation perplexity" : "training perplexity" }
}

/// `seqgen fit --model lm` as a library call: unaligned sequences (or an alignment with its gaps
/// removed) → a masked language model archive, with checkpoints, progress and the training curve.
public enum LanguageModelPipeline {
    /// A fitted language model and its training record.
    public struct Fitted {
        public var archive: ModelArchive
        public var result: LanguageModelFit.Result
        public var evaluateEvery: Int

        /// Training (mean of the last `evaluateEvery` steps) and validation perplexity per evaluation
        /// (the training curve alone where nothing was held out).
        public func curve() -> Chart {
            let h = result.history
            return Chart(title: "\(archive.focusName): masked LM", xLabel: "step", yLabel: "perplexity (masked residues)",
                         series: [.init("training (mean of the last \(evaluateEvery) steps)", x: h.map { Double($0.step) }, y: h.map { exp($0.trainingLoss) }, style: .line, color: .blue)]
                             // Nothing held out: the evaluations are the training curve itself.
                             + (result.heldOut > 0 ? [.init("validation", x: h.map { Double($0.step) }, y: h.map(\.validationPerplexity), style: .line, color: .orange)] : []),
                         note: "best \(result.perplexityName) \(fixed(result.bestPerplexity, 2)); chance 20")
        }
    }

    /// Positions the model gets for training sequences of at most `longest` residues: begin/end
    /// tokens, and room for a query up to 25% longer.
    public static func positions(longest: Int) -> Int { Int(Double(longest + 2) * 1.25) }

    /// Bytes a fit of `sequences` needs: the model's estimate (`LanguageModelFitting.memoryEstimate`)
    /// at the longest sequence, plus the tokens and weights themselves.
    public static func memoryEstimate(_ sequences: RawSequences, settings: FitSettings) -> Int {
        let n = sequences.count
        return LanguageModelFitting(settings).memoryEstimate(sequences: n, length: sequences.maximumLength, states: ProteinTokens.count)
            + sequences.tokens.reduce(0) { $0 + $1.count } + 8 * n
    }

    /// Reads `path` (FASTA of unaligned sequences, or any alignment: gaps removed, insert residues
    /// kept), weights it (`LanguageModelInput`: θ = 1 − `settings.identity`) and fits.
    /// `focus`: the query, a 1-based record number or a record name (default: the first record).
    public static func run(path: String, focus: String?, settings: FitSettings, checkpoints: CheckpointPlan? = nil,
                           quiet: Bool = false, clock: Stopwatch = Stopwatch()) throws -> Fitted {
        nonisolated(unsafe) let bar = ProgressBar("weights", total: 1000, quiet: quiet)
        let data = try LanguageModelInput.read(path, focus: focus, identity: settings.identity, progress: { bar.update(Int($0 * 1000)) })
        bar.finish()
        return try run(data, source: path, settings: settings, checkpoints: checkpoints, quiet: quiet, clock: clock)
    }

    /// Fits `data` (its sequences and weights); `source` is named in messages and the checkpoint fingerprint.
    public static func run(_ data: LanguageModelInput, source: String, settings: FitSettings, checkpoints: CheckpointPlan? = nil,
                           quiet: Bool = false, clock: Stopwatch = Stopwatch()) throws -> Fitted {
        if checkpoints != nil { Interrupt.install(before: "the first step") }
        let n = data.sequences.count
        guard n >= 1 else { throw PipelineError(path: source, "no sequences") }
        let neff = data.weights.reduce(0.0) { $0 + Double($1) }
        var fitter = settings.languageModel
        fitter.seed = settings.seed
        fitter.configuration.maxPositions = positions(longest: data.sequences.maximumLength)
        do { try fitter.configuration.validate() } catch let e as LanguageModelError { throw PipelineError(e.problem) }
        log("\(n) sequences (lengths \(data.sequences.tokens.map(\.count).min()!)–\(data.sequences.maximumLength)), Neff \(fixed(neff, 1)) by \(data.weightSource) (\(fixed(clock.seconds, 2)) s)")
        try FitSession.checkMemory(memoryEstimate(data.sequences, settings: settings), what: "\(n) sequences of up to \(data.sequences.maximumLength) residues",
                                   hint: "use a smaller --batch-size or --dimension", source: source, enforce: settings.memoryCheck)
        let probe = ProteinLanguageModel(fitter.configuration, seed: fitter.seed)
        log("lm: \(fitter.configuration.layers) blocks, D \(fitter.configuration.dimension), \(fitter.configuration.heads) heads, MLP \(fitter.configuration.feedForward), \(probe.parameterCount) parameters; focus \(data.focusName) (L = \(data.focusTokens.count))")
        // The input by its content (FNV-1a over the tokens), not its path: a moved or relinked file resumes.
        var digest = ContentDigest()
        for sequence in data.sequences.tokens { digest.add(sequence); digest.add([255]) }
        let c = fitter.configuration
        let fingerprint = ["model=lm", "input=\(digest.hex)", "sequences=\(n)", "neff=\(fixed(neff, 4))",
                           "layers=\(c.layers)", "dimension=\(c.dimension)", "heads=\(c.heads)", "feed_forward=\(c.feedForward)",
                           "positions=\(c.positions.rawValue)", "max_positions=\(c.maxPositions)", "dropout=\(c.dropout)",
                           "embedding=\(c.embeddingInitialisation.rawValue)", "position_shared=\(c.positionSharedFirstLayer)",
                           "steps=\(fitter.steps)", "batch=\(fitter.batchSize)", "lr=\(fitter.learningRate)", "wd=\(fitter.weightDecay)",
                           "validation=\(fitter.validationFraction)", "evaluate_every=\(fitter.evaluateEvery)", "patience=\(fitter.patience)",
                           "seed=\(fitter.seed)"].joined(separator: " ")
        let plan = checkpoints ?? CheckpointPlan(path: "", every: 0)
        var saved: LanguageModelFit.State?
        if let resume = plan.resume {
            let c = try Checkpoint.read(resume)
            try c.check(kind: Checkpoint.languageModelKind, fingerprint: fingerprint, path: resume)
            saved = try c.languageModelState(shapes: probe.parameters.map(\.shape), path: resume)
            log("resuming from \(resume) at step \(saved!.step)")
        }
        let bar = ProgressBar("lm", total: fitter.steps, quiet: quiet)
        let saver = CheckpointSaver(path: plan.path, every: plan.every, unit: "step")
        var lastPerplexity: Double?
        let result: LanguageModelFit.Result
        do {
            result = try fitter.fit(data.sequences.tokens, weights: data.weights, resume: saved, progress: { step, loss, e in
                if let e { lastPerplexity = e.validationPerplexity }
                bar.update(step, status: "loss \(fixed(loss, 3)) ppl \(fixed(exp(loss), 2))" + (lastPerplexity.map { " val ppl \(fixed($0, 2))" } ?? ""))
                return saver.failure == nil && Interrupt.signal == nil
            }, checkpoint: { step, state in
                saver.save(step) { Checkpoint(fingerprint: fingerprint, languageModel: state()) }
            })
        } catch let e as LanguageModelError where e.path == "training" { throw PipelineError(path: source, e.problem) }
        bar.finish()
        try saver.finish(at: result.steps)
        log("lm: \(result.steps) steps\(result.stoppedEarly ? " (early stop)" : ""), best \(result.perplexityName) \(fixed(result.bestPerplexity, 3))\(result.heldOut > 0 ? "" : " (no sequences held out: fewer than 10, or --validation-fraction 0; early stopping and the kept parameters follow the training loss)"), \(fixed(clock.seconds, 1)) s")
        let meta: [(String, ModelArchive.MetaValue)] = [
            ("sequences", .integer(n)), ("neff", .real(neff)), ("identity_threshold", .real(settings.identity)), ("seed", .integer(Int(truncatingIfNeeded: fitter.seed))),
            ("steps", .integer(result.steps)), ("batch_size", .integer(fitter.batchSize)), ("learning_rate", .real(Double(fitter.learningRate))),
            ("weight_decay", .real(Double(fitter.weightDecay))), (result.heldOut > 0 ? "validation_perplexity" : "training_perplexity", .real(result.bestPerplexity)),
            ("threads", .integer(Parallel.threadCount)),
        ]
        let archive = result.model.archive(focusName: data.focusName, focus: data.focusTokens, firstResidue: data.firstResidue, metadata: meta)
        return Fitted(archive: archive, result: result, evaluateEvery: fitter.evaluateEvery)
    }
}
