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

    /// With the kernel layouts' slots and the couplings for the states the alignment's columns show.
    public func memoryEstimate(_ msa: MultipleSequenceAlignment) -> Int {
        PottsFit.memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size, lbfgsMemory: settings.resolvedLBFGSMemory,
                                threads: Parallel.threadCount, preconditioned: settings.resolvedPreconditioner,
                                slots: KernelLayouts.slotCount(msa, gapsAsMissing: settings.resolvedGapsAsMissing),
                                parameters: PottsFit.parameterCount(msa, gapsAsMissing: settings.resolvedGapsAsMissing))
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
         "lbfgs_memory": settings.resolvedLBFGSMemory.map { "\($0)" } ?? "by size", "gaps": settings.resolvedGapsAsMissing ? "missing" : "state",
         "preconditioner": settings.resolvedPreconditioner ? "diagonal" : "none", "couplings": CouplingParameters.Kind.live.rawValue]
    }

    /// The settings a resumed refinement must share with its checkpoint (the first stage's and its own).
    public var refinementFingerprintSettings: [String: String] {
        let bm = settings.boltzmann
        return fingerprintSettings.merging(["refine": "bm", "refine_chains": "\(bm.chains)", "refine_sweeps": "\(bm.sweepsPerEpoch)",
                                            "refine_burn_in": "\(bm.burnIn)", "refine_rate": "\(bm.learningRate)", "refine_l2": "\(bm.l2)",
                                            "refine_target": "\(bm.targetPearson)", "refine_epochs": "\(bm.maxEpochs)",
                                            "refine_centering": "\(bm.centered)", "seed": "\(bm.seed)",
                                            "max_iterations": "\(settings.maxIterations)", "tolerance": "\(settings.resolvedTolerance)",
                                            "gradient_tolerance": "\(settings.resolvedGradientTolerance)",
                                            "tolerance_window": "\(settings.resolvedToleranceWindow)"]) { a, _ in a }
    }

    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive {
        try session.checkMemory(memoryEstimate(msa),
                                what: "L = \(msa.length)", hint: "memory grows as L²: drop gappy columns (--max-col-gaps 0.5), fit a sub-region, or lower --lbfgs-memory")
        let plan = session.checkpoints
        // A refinement checkpoint continues the second stage; the first stage is done.
        if settings.refine == .bm, let resume = plan.resume {
            let c = try Checkpoint.read(resume)
            if c.kind == Checkpoint.boltzmannKind {
                try c.check(kind: Checkpoint.boltzmannKind, fingerprint: session.fingerprint(refinementFingerprintSettings), path: resume)
                let (state, plm) = try c.boltzmannState(alphabet: msa.alphabet, length: msa.length, chains: settings.boltzmann.chains, path: resume)
                log("resuming the refinement from \(resume) at update \(state.updates)")
                return try refined(state, plm, msa, weights: weights, session: session)
            }
        }
        let fitter = self.fitter
        let fingerprint = session.fingerprint(fingerprintSettings)
        var saved: LBFGS.State?
        if let resume = plan.resume {
            let c = try Checkpoint.read(resume)
            try c.check(kind: "potts-lbfgs", fingerprint: fingerprint, path: resume)
            saved = try c.lbfgsState(parameters: PottsFit.parameterCount(msa, gapsAsMissing: settings.resolvedGapsAsMissing), path: resume)
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
        }, abandoningIterationWhen: { Interrupt.signal != nil })
        bar.finish()
        try saver.finish(at: result.iterations)
        if let event = result.firstNonFinite { warn("\(event); the line search stepped back from it") }
        guard result.objective.isFinite, result.model.fields.isFinite, result.model.couplings.isFinite else {
            throw PipelineError(path: session.source, "the fit ended with non-finite values (\(result.firstNonFinite ?? "objective \(result.objective)")) after \(result.iterations) iterations; no model written")
        }
        log("L-BFGS: \(result.iterations) iterations, \(result.evaluations) evaluations, stop: \(result.stop.rawValue), objective \(fixed(result.objective, 3)), history \(result.history) pairs")
        let plm = PseudolikelihoodSummary(iterations: result.iterations, evaluations: result.evaluations, objective: result.objective, lambdaCouplings: result.lambdaCouplings)
        if settings.refine == .bm {
            return try refined(settings.boltzmann.initialState(result.model), plm, msa, weights: weights, session: session)
        }
        var meta = metadata(plm, session: session)
        if settings.resolvedGapsAsMissing { meta.append(("gaps_as_missing", .integer(1))) }
        return ModelArchive(kind: .potts, msa: msa, fields: result.model.fields, couplings: result.model.couplings, metadata: meta)
    }

    func metadata(_ plm: PseudolikelihoodSummary, session: FitSession) -> [(String, ModelArchive.MetaValue)] {
        session.metadata + [("lambda_h", .real(Double(settings.resolvedLambdaH))), ("lambda_J", .real(Double(plm.lambdaCouplings))), ("iterations", .integer(plm.iterations)),
                            ("evaluations", .integer(plm.evaluations)), ("objective", .real(plm.objective))]
    }

    /// The archive of the refinement continued from `state`. A refined model has learnt the gap
    /// state's parameters, so it is stored without `gaps_as_missing`.
    func refined(_ state: BoltzmannRefinement.State, _ plm: PseudolikelihoodSummary, _ msa: MultipleSequenceAlignment, weights: [Float],
                 session: FitSession) throws -> ModelArchive {
        let refined = try refine(state, plm, msa, weights: weights, session: session)
        return ModelArchive(kind: .potts, msa: msa, fields: refined.model.fields, couplings: refined.model.couplings,
                            metadata: metadata(plm, session: session) + refined.metadata)
    }

    /// `--refine bm`: Boltzmann-machine moment matching from the pseudolikelihood fit (or a saved
    /// refinement), with a progress bar per update and checkpoints (kind "potts-bm") on the
    /// --checkpoint-every schedule (counted in updates) and at SIGINT/SIGTERM.
    func refine(_ start: BoltzmannRefinement.State, _ plm: PseudolikelihoodSummary, _ msa: MultipleSequenceAlignment, weights: [Float],
                session: FitSession) throws -> (model: PottsModel, metadata: [(String, ModelArchive.MetaValue)]) {
        let bm = settings.boltzmann
        let bar = ProgressBar("refine bm", total: bm.maxEpochs + 1, quiet: session.quiet)
        let clock = Stopwatch()
        let plan = session.checkpoints
        let fingerprint = session.fingerprint(refinementFingerprintSettings)
        let saver = CheckpointSaver(path: plan.path, every: plan.every, unit: "update")
        let result: BoltzmannRefinement.Result
        do {
            result = try bm.refine(from: start, data: msa, weights: weights, progress: { epoch in
                let status = "C_ij r \(epoch.connectedPearson.map { fixed($0, 3) } ?? "–") max |Δf| \(fixed(epoch.largestGap, 4))"
                bar.update(epoch.epoch + 1, status: status)
                if epoch.epoch % 10 == 0 && !bar.isEnabled { log("refine bm: update \(epoch.epoch): \(status) (\(fixed(clock.seconds, 1)) s)") }
                return saver.failure == nil && Interrupt.signal == nil
            }, checkpoint: { updates, state in
                // Update 0 is the pseudolikelihood fit itself: nothing to save on the schedule yet.
                if updates > 0 || Interrupt.signal != nil { saver.save(updates) { Checkpoint(fingerprint: fingerprint, boltzmann: state(), pseudolikelihood: plm) } }
            })
        } catch let e as SamplingError { throw PipelineError(path: session.source, e.description) }
        bar.finish()
        try saver.finish(at: result.updates)
        guard result.model.fields.isFinite, result.model.couplings.isFinite else {
            throw PipelineError(path: session.source, "the refinement ended with non-finite parameters after \(result.updates) updates (lower --refine-rate); no model written")
        }
        let last = result.epochs.last!
        let first = result.epochs.first!
        func r(_ x: Double?) -> String { x.map { fixed($0, 3) } ?? "–" }
        log("refine bm: \(result.updates) updates (\(bm.chains) chains, \(bm.sweepsPerEpoch) sweeps each), stop: \(result.stop.rawValue); chains' C_ij r \(r(first.connectedPearson)) → \(r(last.connectedPearson)) (noise ceiling at \(bm.chains) chains \(r(result.noiseCeiling))), pair r \(r(first.pairPearson)) → \(r(last.pairPearson)), one-site r \(r(first.singlePearson)) → \(r(last.singlePearson)) (\(fixed(clock.seconds, 1)) s)")
        let meta: [(String, ModelArchive.MetaValue)] = [
            ("refine_bm", .integer(1)), ("refine_updates", .integer(result.updates)), ("refine_chains", .integer(bm.chains)),
            ("refine_sweeps", .integer(bm.sweepsPerEpoch)), ("refine_burn_in", .integer(bm.burnIn)), ("refine_rate", .real(bm.learningRate)),
            ("refine_l2", .real(bm.l2)), ("refine_target", .real(bm.targetPearson)), ("refine_seed", .integer(Int(truncatingIfNeeded: bm.seed))),
            ("refine_centered", .integer(bm.centered ? 1 : 0)), ("refine_connected_r", .real(last.connectedPearson ?? .nan)),
            ("refine_noise_ceiling", .real(result.noiseCeiling ?? .nan))]
        return (result.model, meta)
    }
}
