import Archive
import Tensors
import Console
import Optimizers
import Sequences
import Potts
import Generative

/// `ModelKind.potts`: pseudolikelihood with L-BFGS (`PottsFit`), with progress, checkpoints
/// (kind "potts-lbfgs") and the training curve.
public struct PottsFitting: ModelFitting {
    public var settings: FitSettings
    public init(_ settings: FitSettings) { self.settings = settings }

    public var isIterative: Bool { true }
    public var curveAxis: (label: String, points: String) { ("L-BFGS iteration", "iterations") }

    public func memoryEstimate(sequences n: Int, length l: Int, states q: Int) -> Int {
        PottsFit.memoryEstimate(sequences: n, length: l, states: q, lbfgsMemory: settings.resolvedLBFGSMemory, threads: Parallel.threadCount,
                              preconditioned: settings.resolvedPreconditioner)
    }

    public func checkAlignment(_ msa: MultipleSequenceAlignment) throws { try PottsFit.check(msa) }

    /// The fitter the settings describe.
    public var fitter: PottsFit {
        var fitter = PottsFit(lambdaFields: settings.resolvedLambdaH, lambdaCouplings: settings.lambdaJ, maxIterations: settings.maxIterations,
                              relativeTolerance: settings.resolvedTolerance, gradientTolerance: settings.resolvedGradientTolerance,
                              memory: settings.resolvedLBFGSMemory, gapsAsMissing: settings.resolvedGapsAsMissing)
        fitter.toleranceWindow = settings.resolvedToleranceWindow
        fitter.preconditioned = settings.resolvedPreconditioner
        return fitter
    }

    /// The settings a resumed run must share with the checkpoint.
    public var fingerprintSettings: [String: String] {
        ["lambda_h": "\(settings.resolvedLambdaH)", "lambda_J": "\(settings.lambdaJ.map { "\($0)" } ?? "default")",
         "lbfgs_memory": "\(settings.resolvedLBFGSMemory)", "gaps": settings.resolvedGapsAsMissing ? "missing" : "state",
         "preconditioner": settings.resolvedPreconditioner ? "diagonal" : "none"]
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
        // Drawn before the first evaluation, which at L in the hundreds takes minutes on its own.
        bar.update(saved?.iteration ?? 0, status: "first evaluation (\(msa.count) × \(msa.length))")
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
        log("L-BFGS: \(result.iterations) iterations, \(result.evaluations) evaluations, stop: \(result.stop.rawValue), objective \(fixed(result.objective, 3))")
        var model = result.model
        if settings.refine == .bm {
            let refined = try refine(model, msa, weights: weights, session: session)
            model = refined.model
            meta += refined.metadata
        } else if settings.resolvedGapsAsMissing {
            // A refined model has learnt the gap state's parameters: gaps are no longer missing data.
            meta.append(("gaps_as_missing", .integer(1)))
        }
        return ModelArchive(kind: .potts, msa: msa, fields: model.fields, couplings: model.couplings, metadata: meta)
    }

    /// `--refine bm`: Boltzmann-machine moment matching from the pseudolikelihood fit, with a
    /// progress bar per update; SIGINT/SIGTERM stop it and no model is written.
    func refine(_ start: PottsModel, _ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> (model: PottsModel, metadata: [(String, ModelArchive.MetaValue)]) {
        let bm = settings.boltzmann
        let bar = ProgressBar("refine bm", total: bm.maxEpochs + 1, quiet: session.quiet)
        let clock = Stopwatch()
        let result: BoltzmannRefinement.Result
        do {
            result = try bm.refine(start, data: msa, weights: weights) { epoch in
                let status = "C_ij r \(epoch.connectedPearson.map { fixed($0, 3) } ?? "–") max |Δf| \(fixed(epoch.largestGap, 4))"
                bar.update(epoch.epoch + 1, status: status)
                if epoch.epoch % 10 == 0 && !bar.isEnabled { log("refine bm: update \(epoch.epoch): \(status) (\(fixed(clock.seconds, 1)) s)") }
                return Interrupt.signal == nil
            }
        } catch let e as SamplingError { throw PipelineError(path: session.source, e.description) }
        bar.finish()
        if let signal = Interrupt.signal {
            writeStandardError("\(signal == 2 ? "SIGINT" : "SIGTERM"): refinement stopped after \(result.updates) updates; no model written (refinement has no checkpoints)\n")
            throw Interrupted(exitStatus: Interrupt.exitStatus)
        }
        guard result.model.fields.isFinite, result.model.couplings.isFinite else {
            throw PipelineError(path: session.source, "the refinement ended with non-finite parameters after \(result.updates) updates (lower --refine-rate); no model written")
        }
        let last = result.epochs.last!
        let first = result.epochs.first!
        func r(_ x: Double?) -> String { x.map { fixed($0, 3) } ?? "–" }
        log("refine bm: \(result.updates) updates (\(bm.chains) chains, \(bm.sweepsPerEpoch) sweeps each), stop: \(result.stop.rawValue); chains' C_ij r \(r(first.connectedPearson)) → \(r(last.connectedPearson)), pair r \(r(first.pairPearson)) → \(r(last.pairPearson)), one-site r \(r(first.singlePearson)) → \(r(last.singlePearson)) (\(fixed(clock.seconds, 1)) s)")
        let meta: [(String, ModelArchive.MetaValue)] = [
            ("refine_bm", .integer(1)), ("refine_updates", .integer(result.updates)), ("refine_chains", .integer(bm.chains)),
            ("refine_sweeps", .integer(bm.sweepsPerEpoch)), ("refine_burn_in", .integer(bm.burnIn)), ("refine_rate", .real(bm.learningRate)),
            ("refine_l2", .real(bm.l2)), ("refine_target", .real(bm.targetPearson)), ("refine_seed", .integer(Int(truncatingIfNeeded: bm.seed))),
            ("refine_connected_r", .real(last.connectedPearson ?? .nan))]
        return (result.model, meta)
    }
}
