import ArgumentParser
import Sequences
import Potts
import Console
import Tensors
import Figures
import Optimizers
import VAE

/// `seqgen fit --model vae` options.
struct VAEFitOptions: ParsableArguments {
    @Option(help: "VAE: architecture preset: standard (default; EVE's layout at 512-256 / 256-512, latent 30, sized for 2 cores), eve (2000-1000-300, latent 50, 300-1000-2000) or deepsequence (1500-1500, latent 30, 100-500 with group sparsity and output dictionary). --encoder/--decoder/--latent override it.")
    var vaePreset = "standard"

    @Option(help: "VAE: encoder hidden widths, e.g. 1000-300.")
    var encoder: String?

    @Option(help: "VAE: decoder hidden widths, e.g. 300-1000.")
    var decoder: String?

    @Option(help: "VAE: latent dimension.")
    var latent: Int?

    @Option(help: "VAE: dropout on the decoder's hidden layers (default 0).")
    var decoderDropout: Float?

    @Option(help: "VAE: maximum Adam steps (default 3000; early stopping usually ends sooner).")
    var vaeSteps = 3000

    @Option(help: "VAE: Adam learning rate (default 1e-3, DeepSequence's).")
    var vaeLearningRate: Float = 1e-3

    @Option(help: "VAE: minibatch size (sequences drawn in proportion to their weights).")
    var batchSize = 128

    @Option(help: "VAE: KL annealing: the latent KL weight rises linearly from 0 to 1 over this many steps (0 = off, as DeepSequence and EVE).")
    var klWarmup = 0

    @Option(help: "VAE: fraction of sequences held out for early stopping (0 = train on all for --vae-steps).")
    var validationFraction = 0.05

    @Option(help: "VAE: estimate the held-out ELBO every N steps.")
    var evaluateEvery = 200

    @Option(help: "VAE: stop after this many held-out evaluations without improvement (the best one's parameters are kept).")
    var patience = 5

    @Option(help: "VAE: train K models with seeds SEED … SEED+K−1 into one file; `seqgen score` averages their ΔELBO.")
    var ensemble = 1

    func architecture() throws -> VAEArchitecture {
        guard var a = VAEArchitecture.presets[vaePreset] else {
            throw ValidationError("--vae-preset must be one of \(VAEArchitecture.presets.keys.sorted().joined(separator: ", ")) (got \(vaePreset))")
        }
        if let encoder {
            guard let e = VAEArchitecture.layers(encoder) else { throw ValidationError("--encoder must be widths like 1000-300 (got \(encoder))") }
            a.encoder = e
        }
        if let decoder {
            guard let d = VAEArchitecture.layers(decoder) else { throw ValidationError("--decoder must be widths like 300-1000 (got \(decoder))") }
            a.decoder = d
        }
        if let latent { a.latent = latent }
        if let decoderDropout { a.decoderDropout = decoderDropout }
        if let problem = a.problem() { throw ValidationError("VAE: \(problem)") }
        return a
    }

    func validate() throws {
        _ = try architecture()
        guard vaeSteps >= 1, batchSize >= 1, klWarmup >= 0, evaluateEvery >= 1, patience >= 1, ensemble >= 1 else {
            throw ValidationError("--vae-steps, --batch-size, --evaluate-every, --patience and --ensemble must be ≥ 1, --kl-warmup ≥ 0")
        }
        guard vaeLearningRate > 0, vaeLearningRate.isFinite else { throw ValidationError("--vae-learning-rate must be positive (got \(vaeLearningRate))") }
        guard validationFraction >= 0 && validationFraction < 0.5 else { throw ValidationError("--validation-fraction must be in [0, 0.5) (got \(validationFraction))") }
    }
}

extension FitCommand {
    /// Fits the VAE (or K of them), with progress, checkpoints and the non-finite guard; returns the
    /// archive and the curve's points (step, training loss; step, −validation ELBO).
    func fitVAE(_ msa: MultipleSequenceAlignment, weights: [Float], neff: Double,
                meta: [(String, ModelArchive.MetaValue)]) throws -> (ModelArchive, Chart) {
        let options = vae
        let arch = try options.architecture()
        try checkMemory(VAEFit.memoryEstimate(sequences: msa.count, length: msa.length, states: msa.alphabet.size, architecture: arch, batch: options.batchSize),
                        what: "encoder \(arch.encoder), latent \(arch.latent), decoder \(arch.decoder)", hint: "a smaller --encoder/--decoder or --batch-size")
        var members: [VAEModel] = []
        var losses: [(Double, Double)] = [], validation: [(Double, Double)] = []
        var metaOut = meta
        var totalSteps = 0
        for k in 0..<options.ensemble {
            var fitter = VAEFit(architecture: arch, steps: options.vaeSteps, seed: seed &+ UInt64(k))
            fitter.learningRate = options.vaeLearningRate; fitter.batchSize = options.batchSize; fitter.klWarmup = options.klWarmup
            fitter.validationFraction = options.validationFraction; fitter.evaluateEvery = options.evaluateEvery; fitter.patience = options.patience
            let fingerprint = fingerprint(msa, neff, ["vae": "\(arch)", "seed": "\(seed &+ UInt64(k))", "steps": "\(options.vaeSteps)",
                                                      "learning_rate": "\(options.vaeLearningRate)", "batch": "\(options.batchSize)",
                                                      "kl_warmup": "\(options.klWarmup)", "validation": "\(options.validationFraction)",
                                                      "evaluate_every": "\(options.evaluateEvery)", "patience": "\(options.patience)",
                                                      "member": "\(k)"])
            var rng = RandomGenerator(seed: 0)
            let shapes = VAEModel(architecture: arch, length: msa.length, states: msa.alphabet.size, using: &rng).parameters.map(\.shape)
            var saved: VAEFit.State?
            let path = options.ensemble == 1 ? checkpointPath : checkpointPath + ".member\(k).npz"
            if let resume = checkpointing.resume {
                let resumePath = options.ensemble == 1 ? resume : resume + ".member\(k).npz"
                if options.ensemble == 1 || access(resumePath, F_OK) == 0 {
                    let c = try Checkpoint.read(resumePath)
                    try c.check(kind: Checkpoint.vaeKind, fingerprint: fingerprint, path: resumePath)
                    saved = try c.vaeState(shapes: shapes, path: resumePath)
                    log("resuming from \(resumePath) at step \(saved!.step)")
                }
            }
            let bar = ProgressBar(options.ensemble == 1 ? "vae" : "vae \(k + 1)/\(options.ensemble)", total: options.vaeSteps, quiet: runtime.quiet)
            let saver = CheckpointSaver(path: path, every: checkpointing.checkpointEvery)
            var lastValid: Double?
            let clock = Stopwatch()
            let result = fitter.fit(msa, weights: weights, resume: saved, progress: { step, loss, valid in
                if let valid { lastValid = valid }
                bar.update(step, status: "−ELBO \(fixed(loss, 1))" + (lastValid.map { " held-out ELBO \(fixed($0, 1))" } ?? ""))
                return saver.failure == nil && Interrupt.signal == nil
            }, checkpoint: { step, state in
                saver.save(step) { Checkpoint(fingerprint: fingerprint, vae: state()) }
            })
            bar.finish()
            try saver.finish(at: result.steps)
            if let failure = result.failure {
                throw ValidationError("\(alignment): \(failure); fit stopped, no model written (try a smaller --vae-learning-rate)")
            }
            log("vae\(options.ensemble > 1 ? " \(k + 1)/\(options.ensemble)" : ""): \(result.steps) steps (\(result.stopReason)), kept step \(result.bestStep)"
                + (result.validation.last.map { _ in ", held-out ELBO \(fixed(result.validation.first { $0.step == result.bestStep }?.elbo ?? .nan, 2)) on \(result.validationSequences) sequences" } ?? "")
                + " (\(fixed(clock.seconds, 1)) s)")
            if k == 0 {
                losses = result.losses.enumerated().map { (Double($0.offset + 1), $0.element) }
                validation = result.validation.map { (Double($0.step), -$0.elbo) }
            }
            metaOut.append(("vae_steps_\(k)", .integer(result.steps)))
            metaOut.append(("vae_best_step_\(k)", .integer(result.bestStep)))
            totalSteps += result.steps
            members.append(result.model)
        }
        metaOut += [("seed", .integer(Int(truncatingIfNeeded: seed))), ("learning_rate", .real(Double(options.vaeLearningRate))),
                    ("batch_size", .integer(options.batchSize)), ("kl_warmup", .integer(options.klWarmup)),
                    ("validation_fraction", .real(options.validationFraction)), ("steps", .integer(totalSteps))]
        let archive = VAEArchive.archive(members, msa: msa, metadata: metaOut)
        // Training loss smoothed over 50 steps (one minibatch is noisy), and the held-out −ELBO.
        var smooth: [Double] = []
        var acc = 0.0
        for (k, p) in losses.enumerated() {
            acc += p.1
            if k >= 50 { acc -= losses[k - 50].1 }
            smooth.append(acc / Double(Swift.min(k + 1, 50)))
        }
        var series: [Chart.Series] = [.init("training −ELBO (mean of 50 steps)", x: losses.map(\.0), y: smooth, style: .line, color: .blue)]
        if !validation.isEmpty { series.append(.init("held-out −ELBO", x: validation.map(\.0), y: validation.map(\.1), style: .line, color: .red)) }
        let chart = Chart(title: "\(msa.names[msa.focus]): VAE fit", xLabel: "Adam step", yLabel: "−ELBO (nats per sequence)", series: series,
                          note: options.ensemble > 1 ? "member 1 of \(options.ensemble)" : nil)
        return (archive, chart)
    }
}
#if canImport(Glibc)
import Glibc
#endif
