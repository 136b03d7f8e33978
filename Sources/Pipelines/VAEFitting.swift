import Archive
import Console
import Tensors
import Optimizers
import Sequences
import VAE

/// `ModelKind.vae`: `settings.vaeEnsemble` VAEs (`VAEFit`, seeds seed … seed + K − 1) trained on
/// weighted minibatches with held-out early stopping, written by `VAEArchive` (no `J`; the network
/// in `vae<k>.*` arrays). Checkpoints hold the Adam state of the member being trained (member k > 0
/// at `PATH.member<k>.npz`).
public struct VAEFitting: ModelFitting {
    public var settings: FitSettings
    public init(_ settings: FitSettings) { self.settings = settings }

    public var isIterative: Bool { true }
    public var curveAxis: (label: String, points: String) { ("Adam step (training −ELBO, mean of 50 steps)", "steps") }
    /// The held-out sequences of early stopping are whole clusters (`VAEFit`).
    public var usesClusters: Bool { settings.vae.validationFraction > 0 }

    public func memoryEstimate(sequences n: Int, length l: Int, states q: Int) -> Int {
        VAEFit.memoryEstimate(sequences: n, length: l, states: q, architecture: settings.vae.architecture, batch: settings.vae.batchSize)
    }

    public func checkAlignment(_ msa: MultipleSequenceAlignment) throws {
        if let problem = settings.vae.architecture.problem() { throw PipelineError("VAE: \(problem)") }
        guard msa.count >= 2, msa.length >= 1 else { throw PipelineError(path: msa.source.isEmpty ? nil : msa.source, "a VAE needs at least 2 sequences and 1 column, found \(msa.count) and \(msa.length)") }
    }

    /// The settings a resumed run must share with the checkpoint (held-out clusters: checkpoints
    /// written before the split held out whole clusters do not resume).
    func fingerprintSettings(_ fit: VAEFit, member: Int) -> [String: String] {
        ["vae": "\(fit.architecture)", "seed": "\(fit.seed)", "steps": "\(fit.steps)", "learning_rate": "\(fit.learningRate)",
         "batch": "\(fit.batchSize)", "kl_warmup": "\(fit.klWarmup)", "validation": "\(fit.validationFraction) clusters",
         "evaluate_every": "\(fit.evaluateEvery)", "patience": "\(fit.patience)", "member": "\(member)"]
    }

    public func fit(_ msa: MultipleSequenceAlignment, weights: [Float], session: FitSession) throws -> ModelArchive {
        let base = settings.vae
        let arch = base.architecture
        try session.checkMemory(memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size),
                                what: "encoder \(arch.encoder), latent \(arch.latent), decoder \(arch.decoder)",
                                hint: "a smaller --encoder/--decoder or --batch-size")
        if base.batchSize > 10 * msa.count {
            warn("--batch-size \(base.batchSize) is more than ten times the alignment's \(msa.count) sequences: each step draws \(base.batchSize) of them (with replacement, by weight), so a step costs that much more and fits no better")
        }
        let plan = session.checkpoints
        let ensemble = settings.vaeEnsemble
        // --resume names the run's checkpoint (member 0's); the members' lie beside it. A member
        // without one (finished before the stop, between scheduled saves) is fitted again: the same bits.
        if let resume = plan.resume, !(0..<ensemble).contains(where: { access(CheckpointPlan.member($0, of: resume), F_OK) == 0 }) {
            _ = try Checkpoint.read(resume)      // says why it cannot be read
        }
        var members: [VAEModel] = []
        var metadata = session.metadata
        var totalSteps = 0
        for k in 0..<ensemble {
            var fitter = base
            fitter.seed = base.seed &+ UInt64(k)
            let fingerprint = session.fingerprint(fingerprintSettings(fitter, member: k))
            var rng = RandomGenerator(seed: 0)
            let shapes = VAEModel(architecture: arch, length: msa.length, states: msa.alphabet.size, using: &rng).parameters.map(\.shape)
            let path = CheckpointPlan.member(k, of: plan.path)
            let label = ensemble == 1 ? "vae" : "vae \(k + 1)/\(ensemble)"
            var saved: VAEFit.State?
            if let resume = plan.resume {
                let resumePath = CheckpointPlan.member(k, of: resume)
                if access(resumePath, F_OK) == 0 {
                    let c = try Checkpoint.read(resumePath)
                    try c.check(kind: Checkpoint.vaeKind, fingerprint: fingerprint, path: resumePath)
                    saved = try c.vaeState(shapes: shapes, path: resumePath)
                    log("resuming from \(resumePath) at step \(saved!.step)")
                } else {
                    log("\(label): no checkpoint at \(resumePath): fitted from the start")
                }
            }
            let split = fitter.validationRows(count: msa.count, clusters: session.clusters, focus: msa.focus)
            if k == 0 && !split.rows.isEmpty {
                let identity = fixed(session.identityThreshold * 100, 0)
                if split.wholeClusters {
                    log("vae: \(split.rows.count) of \(msa.count) sequences held out for early stopping, whole clusters at \(identity)% identity (\((session.clusters?.max() ?? -1) + 1) clusters)")
                } else {
                    warn("vae: no cluster at \(identity)% identity but the focus's fits in \(fixed(fitter.validationFraction * 100, 0))% of the sequences; \(split.rows.count) held out at random for early stopping, so the held-out ELBO is measured on near-copies of training sequences")
                }
            }
            let bar = ProgressBar(label, total: fitter.steps, quiet: session.quiet)
            let saver = CheckpointSaver(path: path, every: plan.every, unit: "step", resumeWith: plan.path)
            var lastValid: Double?
            var window: [Double] = []
            let clock = Stopwatch()
            let result = fitter.fit(msa, weights: weights, clusters: session.clusters, resume: saved, progress: { step, loss, valid in
                window.append(loss)
                if window.count > 50 { window.removeFirst() }
                if let valid {
                    lastValid = valid
                    if session.quiet == false { log("\(label): step \(step), training −ELBO \(fixed(window.reduce(0, +) / Double(window.count), 2)), held-out ELBO \(fixed(valid, 2))") }
                }
                if k == 0 { session.history.append((Double(step), window.reduce(0, +) / Double(window.count))) }
                bar.update(step, status: "−ELBO \(fixed(loss, 1))" + (lastValid.map { " held-out ELBO \(fixed($0, 1))" } ?? ""))
                return saver.failure == nil && Interrupt.signal == nil
            }, checkpoint: { step, state in
                saver.save(step) { Checkpoint(fingerprint: fingerprint, vae: state()) }
            })
            bar.finish()
            try saver.finish(at: result.steps)
            if let failure = result.failure {
                throw PipelineError(path: session.source, "\(failure); fit stopped, no model written (try a smaller --vae-learning-rate)")
            }
            let kept = result.validation.first { $0.step == result.bestStep }
            log("\(label): \(result.steps) steps (\(result.stopReason)), kept step \(result.bestStep)"
                + (kept.map { ", held-out ELBO \(fixed($0.elbo, 2)) on \(result.validationSequences) sequences" } ?? "")
                + " (\(fixed(clock.seconds, 1)) s)")
            metadata += [("vae_steps_\(k)", .integer(result.steps)), ("vae_best_step_\(k)", .integer(result.bestStep)),
                         ("vae_heldout_clusters_\(k)", .integer(result.validationWholeClusters ? 1 : 0))]
            if let kept { metadata.append(("vae_heldout_elbo_\(k)", .real(kept.elbo))) }
            totalSteps += result.steps
            members.append(result.model)
        }
        metadata += [("seed", .integer(Int(truncatingIfNeeded: base.seed))), ("learning_rate", .real(Double(base.learningRate))),
                     ("batch_size", .integer(base.batchSize)), ("kl_warmup", .integer(base.klWarmup)),
                     ("validation_fraction", .real(base.validationFraction)), ("steps", .integer(totalSteps))]
        return VAEArchive.archive(members, msa: msa, metadata: metadata)
    }
}
#if canImport(Glibc)
import Glibc
#endif
