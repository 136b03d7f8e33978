import Archive
import Console
import Tensors
import NumPyIO
import Optimizers
import Sequences
import Potts
import Attention

/// `ModelKind.attention`: one layer of factored attention (couplings Σ_h A^h V_h) trained with Adam
/// or L-BFGS (`AttentionFit`), stored in Potts form with the symmetrised attention maps
/// (`attention`, H×L×L) and value matrices (`value`, H×q×q).
public struct AttentionFitting: ModelFitting {
    public var settings: FitSettings
    public init(_ settings: FitSettings) { self.settings = settings }

    public var isIterative: Bool { true }
    public var curveAxis: (label: String, points: String) { ("\(settings.attention.optimizer == .adam ? "Adam" : "L-BFGS") step", "steps") }

    public func memoryEstimate(sequences n: Int, length l: Int, states q: Int) -> Int {
        AttentionFit.memoryEstimate(length: l, states: q, heads: settings.attention.heads, headDimension: settings.attention.headDimension,
                                    threads: Parallel.threadCount)
    }

    /// The fitter the settings describe.
    public var fitter: AttentionFit {
        var fitter = settings.attention
        fitter.seed = settings.seed; fitter.lambdaFields = settings.resolvedLambdaH; fitter.lambdaCouplings = settings.lambdaJ
        return fitter
    }

    /// The settings a resumed run must share with the checkpoint.
    public var fingerprintSettings: [String: String] {
        let a = settings.attention
        return ["heads": "\(a.heads)", "head_dim": "\(a.headDimension)", "learning_rate": "\(a.learningRate)",
                "value_scale": "\(a.valueScale)", "seed": "\(settings.seed)", "optimizer": a.optimizer.rawValue,
                "lambda_h": "\(settings.resolvedLambdaH)", "lambda_J": "\(settings.lambdaJ.map { "\($0)" } ?? "default")"]
            .merging(a.shards > 1 ? ["shards": "\(a.shards)"] : [:]) { kept, _ in kept }
    }

    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive {
        try PottsFit.check(msa, model: "a factored-attention model")
        let fitter = self.fitter
        let (heads, headDim, steps, optimizer) = (fitter.heads, fitter.headDimension, fitter.steps, fitter.optimizer)
        try session.checkMemory(memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size),
                                what: "H = \(heads), d = \(headDim)", hint: "fewer heads (--heads 32) or a sub-region")
        let fingerprint = session.fingerprint(fingerprintSettings)
        let shapes = [[heads, msa.length, headDim], [heads, msa.length, headDim], [heads, msa.alphabet.size, msa.alphabet.size], [msa.length, msa.alphabet.size]]
        let plan = session.checkpoints
        var saved: AttentionFit.State?
        if let resume = plan.resume {
            let c = try Checkpoint.read(resume)
            try c.check(kind: Checkpoint.attentionKind(optimizer), fingerprint: fingerprint, path: resume)
            saved = try c.attentionState(shapes: shapes, path: resume)
            log("resuming from \(resume)")
        }
        let bar = ProgressBar("attention", total: steps, quiet: session.quiet)
        var forecast = ConvergenceForecast(tolerance: fitter.relativeTolerance, span: optimizer == .adam ? 20 : 1, window: 10)
        let saver = CheckpointSaver(path: plan.path, every: plan.every, unit: settings.attention.optimizer == .adam ? "step" : "iteration")
        let result = fitter.fit(msa, weights: weights, resume: saved, progress: { step, f in
            forecast.record(f)
            bar.update(step, status: "F \(fixed(f, 2))", remaining: forecast.remainingIterations)
            session.history.append((Double(step), f))
            return saver.failure == nil && Interrupt.signal == nil
        }, checkpoint: { step, state in
            saver.save(step) { Checkpoint(fingerprint: fingerprint, attention: state()) }
        }, abandoningStepWhen: { Interrupt.signal != nil })
        bar.finish()
        for b in result.backoffs { warn("\(b)") }
        let history = session.history
        if optimizer == .adam, result.failure == nil, result.steps >= steps, history.count > 20 {
            let last = history[history.count - 1].1, before = history[history.count - 21].1
            let gain = (before - last) / Swift.abs(last)
            if gain > fitter.relativeTolerance {
                warn("adam stopped at --steps \(steps) while still improving: the objective fell \(fixed(gain * 100, 3))% over the last 20 steps (it stops by itself below \(fixed(fitter.relativeTolerance * 100, 3))%); raise --steps for a converged fit")
            }
        }
        try saver.finish(at: result.steps)
        if let failure = result.failure { throw PipelineError(path: session.source, "\(failure); fit stopped, no model written (try --on-non-finite backoff or a smaller --learning-rate)") }
        // A step size far too large climbs instead of descending: the model is written, but said to be
        // worse than its start (by more than a minibatch's or Adam's jitter: 10%).
        if let first = history.first?.1, let last = history.last?.1, last - first > 0.1 * Swift.abs(first) {
            warn("\(session.source): the objective rose during the fit (\(fixed(first, 2)) at the first step, \(fixed(last, 2)) at the end): the learning rate is too large for this alignment; fit again with a smaller --learning-rate")
        }
        // The Potts form and maps are computed with OpenBLAS at one thread, as the fit ran (same bytes).
        let (potts, attention) = Parallel.withSingleThreadedBLAS { (result.model.pottsModel(alphabet: msa.alphabet), result.model.symmetricAttention()) }
        log("\(optimizer.rawValue): \(result.steps) steps, objective \(fixed(result.objective, 3))")
        let meta = session.metadata + [
            ("heads", .integer(heads)), ("head_dim", .integer(headDim)), ("learning_rate", .real(Double(fitter.learningRate))),
            ("steps", .integer(result.steps)), ("objective", .real(result.objective)), ("seed", .integer(Int(truncatingIfNeeded: settings.seed))),
            ("lambda_h", .real(Double(settings.resolvedLambdaH))), ("lambda_J", .real(Double(settings.lambdaJ ?? 0.2 * Float(msa.length - 1))))]
            + (fitter.shards > 1 ? [("shards", .integer(fitter.shards))] : [])
        var a = ModelArchive(kind: .attention, msa: msa, fields: potts.fields, couplings: potts.couplings, metadata: meta)
        a.extras += [("attention", NumPyArray(attention)), ("value", NumPyArray(result.model.value.value))]
        return a
    }
}
