import Archive
import Console
import Optimizers
import Sequences
import Potts

/// `ModelKind.potts`: pseudolikelihood with L-BFGS (`PottsFit`), with progress, checkpoints
/// (kind "potts-lbfgs") and the training curve.
public struct PottsFitting: ModelFitting {
    public var settings: FitSettings
    public init(_ settings: FitSettings) { self.settings = settings }

    public var isIterative: Bool { true }
    public var curveAxis: (label: String, points: String) { ("L-BFGS iteration", "iterations") }

    public func memoryEstimate(sequences n: Int, length l: Int, states q: Int) -> Int {
        PottsFit.memoryEstimate(length: l, states: q, lbfgsMemory: settings.resolvedLBFGSMemory)
    }

    public func checkAlignment(_ msa: MultipleSequenceAlignment) throws { try PottsFit.check(msa) }

    /// The fitter the settings describe.
    public var fitter: PottsFit {
        var fitter = PottsFit(lambdaFields: settings.resolvedLambdaH, lambdaCouplings: settings.lambdaJ, maxIterations: settings.maxIterations,
                              relativeTolerance: settings.resolvedTolerance, gradientTolerance: settings.resolvedGradientTolerance,
                              memory: settings.resolvedLBFGSMemory, gapsAsMissing: settings.resolvedGapsAsMissing)
        fitter.toleranceWindow = settings.resolvedToleranceWindow
        return fitter
    }

    /// The settings a resumed run must share with the checkpoint.
    public var fingerprintSettings: [String: String] {
        ["lambda_h": "\(settings.resolvedLambdaH)", "lambda_J": "\(settings.lambdaJ.map { "\($0)" } ?? "default")",
         "lbfgs_memory": "\(settings.resolvedLBFGSMemory)", "gaps": settings.resolvedGapsAsMissing ? "missing" : "state"]
    }

    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive {
        try session.checkMemory(memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size),
                                what: "L = \(msa.length)", hint: "memory grows as L²: drop gappy columns (--max-col-gaps 0.5), fit a sub-region, or lower --lbfgs-memory")
        let fitter = self.fitter
        let fingerprint = session.fingerprint(fingerprintSettings)
        let plan = session.checkpoints
        var saved: LBFGS.State?
        if let resume = plan.resume {
            let c = try Checkpoint.read(resume)
            try c.check(kind: "potts-lbfgs", fingerprint: fingerprint, path: resume)
            saved = try c.lbfgsState(parameters: PottsFit.parameterCount(length: msa.length, states: msa.alphabet.size), path: resume)
            log("resuming from \(resume) at iteration \(saved!.iteration)")
        }
        let bar = ProgressBar("fit", total: settings.maxIterations, quiet: session.quiet)
        var forecast = ConvergenceForecast(tolerance: settings.resolvedTolerance)
        let saver = CheckpointSaver(path: plan.path, every: plan.every)
        let result = fitter.fit(msa, weights: weights, resume: saved, progress: { it, f, g in
            forecast.record(f)
            bar.update(it, status: "F \(fixed(f, 2)) |g| \(fixed(Double(g), 3))", remaining: forecast.remainingIterations)
            session.history.append((Double(it), f))
            return saver.failure == nil && Interrupt.signal == nil
        }, checkpoint: { it, state in
            saver.save(it) { Checkpoint(kind: "potts-lbfgs", fingerprint: fingerprint, lbfgs: state()) }
        })
        bar.finish()
        try saver.finish(at: result.iterations)
        if let event = result.firstNonFinite { warn("\(event); the line search stepped back from it") }
        guard result.objective.isFinite, result.model.fields.isFinite, result.model.couplings.isFinite else {
            throw PipelineError(path: session.source, "the fit ended with non-finite values (\(result.firstNonFinite ?? "objective \(result.objective)")) after \(result.iterations) iterations; no model written")
        }
        var meta = session.metadata
        meta += [("lambda_h", .real(Double(settings.resolvedLambdaH))), ("lambda_J", .real(Double(result.lambdaCouplings))), ("iterations", .integer(result.iterations)),
                 ("evaluations", .integer(result.evaluations)), ("objective", .real(result.objective))]
        if settings.resolvedGapsAsMissing { meta.append(("gaps_as_missing", .integer(1))) }
        log("L-BFGS: \(result.iterations) iterations, \(result.evaluations) evaluations, stop: \(result.stop.rawValue), objective \(fixed(result.objective, 3))")
        return ModelArchive(kind: .potts, msa: msa, fields: result.model.fields, couplings: result.model.couplings, metadata: meta)
    }
}
