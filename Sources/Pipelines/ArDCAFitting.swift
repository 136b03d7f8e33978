import Archive
import Optimizers
import Console
import Tensors
import Sequences
import Potts
import ArDCA

/// `ModelKind.ardca`: autoregressive DCA, one weighted logistic regression per column with L-BFGS
/// (`ArDCAFit`; λ_J = λ_h = `ArDCAFit.defaultLambda`, 0.003, or chosen per alignment by held-out
/// clusters' likelihood with `crossValidate`: `ArDCACrossValidation`),
/// written by `ArDCAModel.archive`.
public struct ArDCAFitting: ModelFitting {
    public var settings: FitSettings
    public init(_ settings: FitSettings) { self.settings = settings }

    public func memoryEstimate(sequences n: Int, length l: Int, states q: Int) -> Int {
        ArDCAFit.memoryEstimate(sequences: n, length: l, states: q, memory: 10, workers: Parallel.threadCount)
    }

    /// The fitter the settings describe.
    public var fitter: ArDCAFit {
        ArDCAFit(lambdaCouplings: settings.lambdaJ ?? ArDCAFit.defaultLambda, lambdaFields: settings.resolvedLambdaH, ordering: settings.order,
                 maxIterations: settings.maxIterations, relativeTolerance: settings.resolvedTolerance)
    }

    /// ArDCA is fitted one regression at a time: a checkpoint holds those fitted so far.
    public var isResumable: Bool { true }
    /// `crossValidate` holds out whole clusters.
    public var usesClusters: Bool { settings.crossValidate != nil }
    public var checkpointUnit: String { "regression" }

    /// The settings a resumed run must share with the checkpoint.
    public var fingerprintSettings: [String: String] {
        let f = fitter
        return ["lambda_h": "\(f.lambdaFields)", "lambda_J": "\(f.lambdaCouplings)", "order": f.ordering.rawValue,
                "max_iterations": "\(f.maxIterations)", "tolerance": "\(f.relativeTolerance)", "lbfgs_memory": "\(f.memory)"]
    }

    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive {
        try PottsFit.check(msa, model: "an ArDCA model")
        try session.checkMemory(memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size),
                                what: "L = \(msa.length)", hint: "drop gappy columns (--max-col-gaps 0.5) or fit a sub-region")
        guard let k = settings.crossValidate else { return try fitChecked(msa, weights: weights, session: session) }
        var chosen = settings
        chosen.lambdaJ = try crossValidatedLambda(msa, weights: weights, folds: k, session: session)
        chosen.lambdaH = chosen.lambdaJ
        chosen.crossValidate = nil
        var archive = try ArDCAFitting(chosen).fitChecked(msa, weights: weights, session: session)
        archive.metadata.append(("cross_validate", .integer(k)))
        return archive
    }

    /// The fit, its alignment and memory checked.
    func fitChecked(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive {
        let plan = session.checkpoints
        let fingerprint = session.fingerprint(fingerprintSettings)
        var saved: ArDCAFit.Partial?
        if let resume = plan.resume {
            let c = try Checkpoint.read(resume)
            try c.check(kind: Checkpoint.ardcaKind, fingerprint: fingerprint, path: resume)
            saved = try c.ardcaPartial(length: msa.length, parameters: ArDCAModel.parameterCount(length: msa.length, states: msa.alphabet.size), path: resume)
            log("resuming from \(resume): \(saved!.fittedCount) of \(msa.length) regressions fitted")
        }
        let bar = ProgressBar("ardca", total: msa.length, quiet: session.quiet)
        bar.update(saved?.fittedCount ?? 0)
        let saver = CheckpointSaver(path: plan.path, every: plan.every, unit: checkpointUnit)
        let fitted = fitter.fit(msa, weights: weights, resumingFrom: saved, progress: { done in bar.update(done) },
                                stop: { Interrupt.signal != nil }, checkpoint: { done, state in
            saver.save(done) { Checkpoint(fingerprint: fingerprint, ardca: state()) }
            return saver.failure == nil
        })
        bar.finish()
        guard let result = fitted else {
            try saver.finish(at: saver.lastSaved ?? 0)
            throw PipelineError(path: session.source, "the fit stopped before every regression was fitted; no model written")
        }
        if let bad = result.nonFinite { throw PipelineError(path: session.source, "the fit ended with non-finite values at \(bad); no model written") }
        let iterations = result.sites.map(\.iterations)
        let order = settings.order
        log("ardca: \(msa.length) regressions (\(order.rawValue) order), \(iterations.reduce(0, +)) L-BFGS iterations (max \(iterations.max() ?? 0) per site), objective \(fixed(result.objective, 3)) nats/sequence (negative log-likelihood + L2 penalty)")
        // Sites are in generation order; the columns they model are the order's.
        let capped = (0..<msa.length).filter { result.sites[$0].stop == .maxIterations }.map { result.model.order[$0] }.sorted()
        if !capped.isEmpty {
            warn("ardca: \(capped.count) of \(msa.length) regressions stopped at --max-iterations \(settings.maxIterations) before converging (columns \(capped.prefix(5).map { String($0 + 1) }.joined(separator: ", "))\(capped.count > 5 ? ", …" : "")); raise --max-iterations")
        }
        let meta = session.metadata + [
            ("lambda_h", .real(Double(settings.resolvedLambdaH))), ("lambda_J", .real(Double(settings.lambdaJ ?? ArDCAFit.defaultLambda))), ("iterations", .integer(iterations.reduce(0, +))),
            ("objective", .real(result.objective)), ("entropic_order", .integer(order == .entropic ? 1 : 0))]
        var archive = result.model.archive(focusName: msa.names[msa.focus], focusSequence: msa.focusSequence,
                                           residueNumbers: msa.residueNumbers, metadata: meta)
        archive.basePairs = msa.basePairs
        return archive
    }

    /// λ_J = λ_h by `ArDCACrossValidation`: about 1/K of the sequences held out as whole clusters at
    /// the weights' identity (seeded by --seed), one fit per candidate on the rest, each with its
    /// progress bar; the held-out likelihoods are logged.
    func crossValidatedLambda(_ msa: MultipleSequenceAlignment, weights: [Float], folds k: Int, session: FitSession) throws -> Float {
        guard k >= 2 && k <= msa.count else { throw PipelineError(path: session.source, "--cross-validate needs 2 ≤ K ≤ \(msa.count) (the number of sequences)") }
        let identity = session.identityThreshold
        let clusters = session.clusters ?? clustersShowingProgress(msa, identity: identity, definition: settings.resolvedWeighting, quiet: session.quiet)
        let heldOut = ClusterHoldout.rows(clusters: clusters, keeping: msa.focus, target: Swift.max(1, msa.count / k), seed: settings.seed)
        let count = (clusters.max() ?? -1) + 1
        guard !heldOut.isEmpty else {
            throw PipelineError(path: session.source, "--cross-validate holds out whole clusters of sequences at \(fixed(identity * 100, 0))% identity, and every sequence is in the focus's cluster (or in one too large to hold out: \(count) cluster\(count == 1 ? "" : "s")); give λ with --lambda-j and --lambda-h")
        }
        let candidates = ArDCACrossValidation.candidates
        log("cross-validation: \(heldOut.count) of \(msa.count) sequences held out (whole clusters at \(fixed(identity * 100, 0))% identity; \(count) clusters), one fit on the other \(msa.count - heldOut.count) per λ_J = λ_h in \(candidates.map { "\($0)" }.joined(separator: ", "))")
        var step = 0
        let outcome = ArDCACrossValidation.choose(msa, weights: weights, heldOut: heldOut, fitter: fitter, candidates: candidates) { f, part, w in
            step += 1
            let bar = ProgressBar("ardca λ \(f.lambdaCouplings) (\(step)/\(candidates.count))", total: part.length, quiet: session.quiet)
            defer { bar.finish() }
            return f.fit(part, weights: w, resumingFrom: nil, progress: { bar.update($0) }, stop: { Interrupt.signal != nil }, checkpoint: nil)?.model
        }
        guard let outcome else { throw PipelineError(path: session.source, "the cross-validation was interrupted; no model written") }
        log("cross-validation: held-out log-likelihood per sequence: "
            + zip(candidates, outcome.scores).map { "λ \($0.0): \(fixed($0.1, 3))" }.joined(separator: ", ") + "; best λ \(outcome.best)")
        return outcome.best
    }
}
