import Archive
import Console
import ArgumentParser
import Pipelines
import RegulatoryCNN
import Sequences

// Every numeric option is checked in `validate()`, before any file is read: a value out of range
// is a usage error (exit status 2) that names the option, the range and the value given.

/// `--theta`: a number in [0, 1] or auto, given instead of a non-default `--identity`.
func checkTheta(_ theta: String?, identity: Double) throws {
    guard let theta else { return }
    switch FitSettings.Theta(theta) {
    case .auto?: break
    case .value(let v)? where v >= 0 && v <= 1: break
    default: throw ValidationError("--theta must be a number in [0, 1] or auto, not '\(theta)'")
    }
    if identity != FitSettings().identity { throw ValidationError("give --theta or --identity, not both (identity = 1 − θ)") }
}

/// A fraction in [0, 1] (or [0, 1) with `belowOne`).
func checkFraction(_ name: String, _ value: Double, belowOne: Bool = false) throws {
    guard value.isFinite, value >= 0, belowOne ? value < 1 : value <= 1 else {
        throw ValidationError("\(name) must be a fraction in [0, 1\(belowOne ? ")" : "]") (got \(value))")
    }
}

/// A count of at least `minimum`.
func checkCount(_ name: String, _ value: Int?, atLeast minimum: Int = 1) throws {
    guard let value else { return }
    guard value >= minimum else { throw ValidationError("\(name) must be at least \(minimum) (got \(value))") }
}

/// A finite number > 0.
func checkPositive<T: BinaryFloatingPoint>(_ name: String, _ value: T?) throws {
    guard let value else { return }
    guard value.isFinite, value > 0 else { throw ValidationError("\(name) must be a positive number (got \(shown(value)))") }
}

/// Refuses the first option given where nothing reads it (`applies` false): "NAME applies to
/// READER, not HERE: it would be ignored" (an option ignored without a word is a wrong answer).
func refuseIgnored(_ options: [(name: String, given: Bool, applies: Bool, reader: String)], here: String) throws {
    guard let o = options.first(where: { $0.given && !$0.applies }) else { return }
    throw ValidationError("\(o.name) applies to \(o.reader), not \(here): it would be ignored")
}

/// A finite number ≥ 0.
func checkNonNegative<T: BinaryFloatingPoint>(_ name: String, _ value: T?) throws {
    guard let value else { return }
    guard value.isFinite, value >= 0 else { throw ValidationError("\(name) must be 0 or more (got \(shown(value)))") }
}

/// A value as the messages show it: an infinity read from a finite number too large for the
/// option's type ("1e300" as Float) says so.
func shown<T: BinaryFloatingPoint>(_ value: T) -> String {
    value.isInfinite ? "\(value), or a number beyond \(T.greatestFiniteMagnitude), the largest this option holds" : "\(value)"
}

/// One of the dataset splits.
func checkSplit(_ value: String) throws {
    guard ["train", "valid", "test"].contains(value) else { throw ValidationError("--split must be train, valid or test (got '\(value)')") }
}

/// "MIN-MAX" with 1 ≤ MIN ≤ MAX.
func checkRange(_ name: String, _ value: String?, example: String) throws {
    guard let value else { return }
    let parts = value.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 2, let a = parts[0], let b = parts[1], a >= 1, b >= a else {
        throw ValidationError("\(name) '\(value)': expected FIRST-LAST with 1 ≤ FIRST ≤ LAST, e.g. \(example)")
    }
}

/// "START-END": positions START ..< END (0-based, end exclusive) of a sequence of `length`.
func positions(_ name: String, _ value: String, length: Int) throws -> Range<Int> {
    let parts = value.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
    guard parts.count == 2, let a = parts[0], let b = parts[1], a >= 0, b > a, b <= length else {
        throw ValidationError("\(name): expected START-END with 0 ≤ START < END ≤ \(length), got '\(value)'")
    }
    return a..<b
}

extension AlignmentOptions {
    func validate() throws {
        try checkFraction("--max-seq-gaps", maxSeqGaps)
        try checkFraction("--max-col-gaps", maxColGaps)
        try checkFraction("--min-coverage", minCoverage)
        try checkFraction("--max-identity", maxIdentity)
        try checkCount("--max-seqs", maxSeqs)
        do { _ = try Alphabet.named(alphabet) } catch { throw ValidationError("--alphabet \(alphabet): \(error)") }
    }
}

extension CheckpointOptions {
    func validate() throws { try checkCount("--checkpoint-every", checkpointEvery, atLeast: 0) }
}

extension Seqgen.Fit {
    func validate() throws {
        if output == nil && !estimateMemory { throw ValidationError("give the output model file with -o M.npz (or --estimate-memory)") }
        try training.checkHeldOut(forVAE: model == .vae)
        try checkFraction("--identity", identity)
        try checkTheta(theta, identity: identity)
        try checkNonNegative("--lambda-h", lambdaH)
        try checkNonNegative("--lambda-j", lambdaJ)
        try checkCount("--max-iterations", maxIterations)
        try checkNonNegative("--tolerance", tolerance)
        try checkCount("--lbfgs-memory", lbfgsMemory)
        if let pseudocountFraction, !(pseudocountFraction > 0 && pseudocountFraction < 1) {
            throw ValidationError("--pseudocount-fraction must be in (0, 1): at 0 a state a column never shows has log-probability −∞, at 1 no column keeps its own frequencies (got \(pseudocountFraction))")
        }
        try checkCount("--tolerance-window", toleranceWindow)
        try checkNonNegative("--gradient-tolerance", gradientTolerance)
        try checkPositive("--shrinkage", shrinkage)
        try checkCount("--heads", heads)
        try checkCount("--head-dim", headDim)
        try checkPositive("--learning-rate", learningRate)
        try checkCount("--steps", steps)
        try checkCount("--shards", shards)
        try checkNonNegative("--value-scale", valueScale)
        do { try settings.check() } catch let e as PipelineError { throw ValidationError(e.description) }
        try refuseIgnored(scopedOptions.compactMap { entry in
            entry.names.first.map { ($0, true, entry.kinds.contains(model), "--model " + entry.kinds.map(\.rawValue).joined(separator: ", ")) }
        }, here: model.rawValue)
        if model == .pssm && pssmStyle == .evmutation, let name = [("--pseudocount-fraction", pseudocountFraction != nil), ("--cross-validate", crossValidate != nil)].first(where: \.1)?.0 {
            throw ValidationError("\(name) applies to --pssm-style pseudocount; --pssm-style evmutation regularises with --lambda-h")
        }
        if model == .ardca && crossValidate != nil, let name = [("--lambda-j", lambdaJ != nil), ("--lambda-h", lambdaH != nil)].first(where: \.1)?.0 {
            throw ValidationError("\(name) sets λ; --cross-validate chooses it for ArDCA (drop one of them)")
        }
        if model == .pssm && pssmStyle == .pseudocount && lambdaH != nil {
            throw ValidationError("--lambda-h applies to a PSSM with --pssm-style evmutation; --pssm-style pseudocount uses --pseudocount-fraction")
        }
        // The iterative fits record a curve and write checkpoints; ArDCA's L independent regressions
        // have no single objective to plot, but a checkpoint keeps those fitted so far.
        let iterative = model == .potts || model == .attention || model == .vae || model == .lm
        let why = model == .ardca ? "ardca is fitted as independent per-column regressions" : "\(model.rawValue) is fitted in closed form"
        if curve != nil && !iterative {
            throw ValidationError("--curve needs an iterative model (potts, attention, vae or lm); \(why)")
        }
        if (checkpointing.resume != nil || checkpointing.checkpointEvery > 0 || checkpointing.checkpoint != nil) && !iterative && model != .ardca {
            throw ValidationError("checkpoints are for iterative fits (potts, attention, vae, lm) and ardca; \(why)")
        }
    }

    /// The options only some models read, where given (or set away from their defaults), with those
    /// models: `validate` refuses them for any other model, which would ignore them without a word.
    var scopedOptions: [(names: [String], kinds: [ModelKind])] {
        let library = Self.library, attention = Self.library.attention
        func given(_ options: (String, Bool)...) -> [String] { options.filter(\.1).map(\.0) }
        let aligned = ModelKind.allCases.filter { $0 != .lm }
        return [
            (given(("--lambda-j", lambdaJ != nil)), [.potts, .attention, .ardca]),
            (given(("--lambda-h", lambdaH != nil)), [.potts, .attention, .ardca, .pssm]),
            (given(("--max-iterations", maxIterations != library.maxIterations), ("--tolerance", tolerance != nil)), [.potts, .ardca]),
            (given(("--tolerance-window", toleranceWindow != nil), ("--gradient-tolerance", gradientTolerance != nil),
                   ("--lbfgs-memory", lbfgsMemory != nil)), [.potts]),
            (given(("--pseudocount-fraction", pseudocountFraction != nil), ("--pssm-style", pssmStyle != library.pssmStyle)), [.pssm]),
            (given(("--cross-validate", crossValidate != nil)), [.pssm, .ardca]),
            (given(("--shrinkage", shrinkage != nil)), [.gaussian]),
            (given(("--heads", heads != attention.heads), ("--head-dim", headDim != attention.headDimension),
                   ("--learning-rate", learningRate != attention.learningRate), ("--steps", steps != attention.steps),
                   ("--value-scale", valueScale != attention.valueScale), ("--optimizer", optimizer != attention.optimizer),
                   ("--on-non-finite", onNonFinite != attention.onNonFinite)), [.attention]),
            (given(("--order", order != library.order)), [.ardca]),
            // Only the stochastic fits read --seed: Potts with --refine bm (its Gibbs chains), ArDCA with
            // --cross-validate (the order its held-out clusters are drawn in).
            (given(("--seed", seed != 0)), [.attention, .vae, .lm] + (refinement.refine == .bm ? [.potts] : []) + (crossValidate != nil ? [.ardca] : [])),
            (given(("--theta", theta != nil), ("--weighting", weighting != nil)) + input.alignmentShaping, aligned),
            (vae.given, [.vae]),
            (training.given, [.vae, .lm]),
            (lm.given, [.lm]),
        ]
    }
}

extension Seqgen.Info {
    func validate() throws {
        try checkFraction("--identity", identity)
        try checkTheta(theta, identity: identity)
    }
}

extension TruthOptions {
    func validate() throws {
        try checkPositive("--threshold", threshold)
        try checkCount("--model-number", modelNumber)
        if pdb != nil && truth != nil { throw ValidationError("give --pdb or --truth, not both") }
    }

    /// Refuses the options only a structure reads when no --pdb is given (a command that reads one
    /// per family, from a list, checks its own way).
    func checkStructureOptions() throws {
        let given = [("--chain", chain != nil), ("--model-number", modelNumber != nil), ("--contact-definition", contactDefinition != nil),
                     ("--threshold", threshold != nil), ("--allow-mismatch", allowMismatch)]
        if pdb == nil, let name = given.first(where: \.1)?.0 {
            throw ValidationError("\(name) describes the contacts of a structure; give --pdb STRUCTURE\(truth == nil ? "" : " instead of --truth") or drop it")
        }
    }
}

extension ContactPlotOptions {
    func validate() throws {
        try checkCount("--plot-pairs", plotPairs)
        try checkCount("--plot-separation", plotSeparation)
    }
}

extension PairScoreOptions {
    func validate() throws {
        if score == .di && (partialCorrelation || norm != .centred || lmHeads != nil || headRegression != nil) {
            throw ValidationError("--partial-correlation, --norm, --lm-heads and --head-regression choose Frobenius scores; --score di takes none of them")
        }
        if lmHeads != nil && headRegression != nil { throw ValidationError("--lm-heads and --head-regression are alternatives: give one") }
        if alignment != nil && score != .di && saliencySequences == nil {
            throw ValidationError("--alignment is read for --score di and --saliency-sequences only")
        }
        try checkCount("--saliency-sequences", saliencySequences)
        if saliencySequences != nil && alignment == nil { throw ValidationError("--saliency-sequences needs --alignment (the sequences are taken from it)") }
    }
}

extension Seqgen.Contacts {
    func validate() throws {
        try checkCount("--min-separation", minSeparation)
        try checkCount("--long-range", longRange)
        try truthOptions.checkStructureOptions()
    }
}

extension Seqgen.Eval.Contacts {
    func validate() throws {
        if let _ = fitHeadRegression {
            if pairs.score == .di { throw ValidationError("--fit-head-regression fits attention maps; --score di takes none") }
            if pairs.lmHeads != nil || pairs.headRegression != nil {
                throw ValidationError("--lm-heads, --head-regression and --fit-head-regression are alternatives: give one")
            }
            if families != nil { throw ValidationError("--fit-head-regression fits on one model and structure, not on --families") }
        }
        if families != nil {
            if model != nil { throw ValidationError("give a MODEL or --families LIST, not both") }
            if truthOptions.pdb != nil || truthOptions.truth != nil || truthOptions.chain != nil || plot != nil {
                throw ValidationError("--families lists each family's structure and chain; --pdb, --truth, --chain and --plot are for one model")
            }
            return
        }
        if model == nil { throw ValidationError("give a MODEL (or --families LIST)") }
        try truthOptions.checkStructureOptions()
    }
}

extension Seqgen.Compare {
    func validate() throws {
        try checkCount("--min-separation", minSeparation)
        try checkCount("--top-heads", topHeads)
    }
}

extension Seqgen.Logo {
    func validate() throws {
        try checkCount("--per-row", perRow)
        try checkRange("--range", range, example: "20-80")
    }
}

extension Seqgen.Simulate {
    func validate() throws {
        try checkCount("--length", length, atLeast: 40)
        try checkCount("--sequences", sequences)
        try checkNonNegative("--strength", strength)
        try checkCount("--sweeps", sweeps)
    }
}

extension Seqgen.CNN.Synth {
    func validate() throws {
        try checkCount("--count", count, atLeast: 10)
        try checkCount("--length", length)
        try checkRange("--motifs-per-sequence", motifsPerSequence, example: "1-5")
        // The options each task reads, where given: refused for a task that would ignore them.
        let published = task == .code && (recipe ?? .published) == .published
        try refuseIgnored([
            ("--spacing", spacing != nil, task == .interaction, "the interaction task"),
            ("--decoys", decoys != nil, task == .code || task == .activity, "the code and activity tasks"),
            ("--weights", weights != nil, task == .activity, "the activity task"),
            ("--noise", noise != nil, task == .activity, "the activity task"),
            ("--recipe", recipe != nil, task == .code, "the code task"),
            ("--motifs-per-sequence", motifsPerSequence != nil, task == .multi || task == .activity || (task == .code && !published),
             "the multi and activity tasks and the code task with --recipe uniform (the published code recipe places 3-7)"),
            ("--lookalike-q", lookalikeQ != nil, published && decoys == nil, "the published code recipe's random decoys (not --decoys)"),
        ], here: "--task \(task.rawValue)" + (task == .code ? (published ? " (published recipe)" : " --recipe uniform") : ""))
        try checkNonNegative("--noise", noise)
        if let lookalikeQ, !(lookalikeQ >= 0 && lookalikeQ <= 1) { throw ValidationError("--lookalike-q: expected a q-value between 0 and 1, got \(lookalikeQ)") }
    }
}

extension Seqgen.CNN.Train {
    func validate() throws {
        try checkCount("--epochs", epochs)
        try checkCount("--batch-size", batchSize)
        try checkPositive("--learning-rate", learningRate)
        try checkNonNegative("--l2", l2)
        try checkCount("--patience", patience)
        try checkCount("--lr-patience", lrPatience)
        try refuseIgnored([("--monitor", monitor != nil, objective == .classification, "classifiers (a regression stops on its validation loss)")],
                          here: "--objective regression")
        if balanceTasks && objective != .regression {
            throw ValidationError("--balance-tasks weighs a regression's tasks by their label variance: it needs --objective regression")
        }
        if robust.cleanEpochs >= epochs {
            throw ValidationError("--clean-epochs (\(robust.cleanEpochs)) must be less than --epochs (\(epochs)): no epoch would be perturbed")
        }
        if let mixed = robust.mixedEpochs, robust.cleanEpochs + mixed >= epochs {
            throw ValidationError("--clean-epochs (\(robust.cleanEpochs)) + --mixed-epochs (\(mixed)) must be less than --epochs (\(epochs)): no epoch would perturb every sequence")
        }
    }
}

extension RobustTrainingOptions {
    func validate() throws {
        try checkCount("--augmentations-per-sequence", augmentationsPerSequence)
        try checkCount("--finetune-epochs", finetuneEpochs, atLeast: 0)
        try checkCount("--clean-epochs", cleanEpochs, atLeast: 0)
        if let mixedEpochs { try checkCount("--mixed-epochs", mixedEpochs, atLeast: 0) }
        try checkNonNegative("--gaussian-noise", gaussianNoise)
        try checkPositive("--epsilon", epsilon)
        try checkCount("--adversarial-steps", adversarialSteps)
        try checkFraction("--perturbed-fraction", Double(perturbedFraction))
        if let augment {     // names and strengths now; lengths against the data in run()
            let count: Int
            do { count = try EvoAugmentation.parse(augment, length: Int.max).count } catch let e as EvoAugmentation.ParseError { throw ValidationError("--augment: \(e.description)") }
            if augmentationsPerSequence > count && augmentationsPerSequence != EvoAug.defaultPerSequence {
                throw ValidationError("--augmentations-per-sequence \(augmentationsPerSequence) is more than the \(count) augmentation\(count == 1 ? "" : "s") in --augment: each is drawn at most once per sequence")
            }
        }
        if perturbedFraction == 0 && (adversarial != nil || gaussianNoise > 0) {
            throw ValidationError("--perturbed-fraction 0 perturbs no sequence: \(adversarial != nil ? "--adversarial" : "--gaussian-noise") would train a plain model")
        }
        if finetuneEpochs > 0 && augment == nil && gaussianNoise == 0 && adversarial == nil {
            throw ValidationError("--finetune-epochs needs --augment, --gaussian-noise or --adversarial (it fine-tunes on clean data after them)")
        }
        if cleanEpochs > 0 && augment == nil && gaussianNoise == 0 && adversarial == nil {
            throw ValidationError("--clean-epochs needs --augment, --gaussian-noise or --adversarial (it delays them)")
        }
        // The strengths of one perturbation, given without it, would be ignored without a word.
        let defaults = Self.adversarialDefaults
        let needs: [(String, Bool, Bool, String)] = [
            ("--augmentations-per-sequence", augmentationsPerSequence != EvoAug.defaultPerSequence, augment != nil, "--augment"),
            ("--epsilon", epsilon != defaults.epsilon, adversarial != nil, "--adversarial"),
            ("--projection", projection != defaults.projection, adversarial != nil, "--adversarial"),
            ("--adversarial-steps", adversarialSteps != defaults.steps, adversarial == .pgd, "--adversarial pgd (FGSM takes one step)"),
            ("--perturbed-fraction", perturbedFraction != defaults.fraction, adversarial != nil || gaussianNoise > 0, "--adversarial or --gaussian-noise"),
            ("--mixed-epochs", mixedEpochs != nil, adversarial != nil || gaussianNoise > 0, "--adversarial or --gaussian-noise"),
        ]
        if let unread = needs.first(where: { $0.1 && !$0.2 }) {
            throw ValidationError("\(unread.0) needs \(unread.3): without it the option would be ignored")
        }
    }
}

extension Seqgen.CNN.Predict {
    func validate() throws {
        try checkCount("--batch-size", batchSize)
        if let split { try checkSplit(split) }
    }
}

extension Seqgen.CNN.Evaluate {
    func validate() throws { try checkSplit(split) }
}

extension AttributionOptions {
    func validate() throws {
        try checkCount("--task", task, atLeast: 0)
        try checkSplit(split)
        try checkCount("--count", count)
        try checkCount("--steps", steps)
        try checkNonNegative("--noise", noise)
        try checkCount("--samples", samples)
        if correct && (method == .ism || method == .ism2) {
            throw ValidationError("--correct subtracts each position's mean over bases from a gradient map; --method \(method.rawValue) is not one (its effects are already relative to the observed base)")
        }
        if window != nil && method != .ism2 { throw ValidationError("--window is the ism2 window; --method \(method.rawValue) explains every position") }
    }
}

extension Seqgen.CNN.Attribute {
    func validate() throws { try checkCount("--logo-index", logoIndex, atLeast: 0) }
}

extension Seqgen.CNN.Interpretability {
    func validate() throws {
        guard threshold.isFinite, threshold >= 0, threshold <= 2 else { throw ValidationError("--threshold must be in [0, 2] bits (got \(threshold))") }
        if options.method == .ism2 { throw ValidationError("--method ism2 is pairwise; interpretability scores per-position maps (use `seqgen cnn attribute --method ism2` for the pairwise effects)") }
    }
}

extension Seqgen.Bench.Core {
    func validate() throws {
        _ = try sizeList
        try checkPositive("--seconds", seconds)
    }
}

extension Seqgen.Bench.Potts {
    func validate() throws { try checkCount("--repeats", repeats) }
}

extension Seqgen.Bench.CNN {
    func validate() throws {
        try checkCount("--length", length)
        try checkCount("--tasks", tasks)
        try checkCount("--batch-size", batchSize)
        try checkCount("--steps", steps)
        try checkCount("--forward-batch", forwardBatch)
    }
}

extension Seqgen.Eval.Mutations {
    func validate() throws { try checkCount("--bootstrap", bootstrap, atLeast: 0) }
}

extension Seqgen.Sample {
    func validate() throws {
        try checkCount("-n", n)
        try checkCount("--chains", chains)
        try checkCount("--burn-in", burnIn, atLeast: 0)
        try checkCount("--thin", thin)
        try checkPositive("--temperature", temperature)
    }
}

extension Seqgen.Eval.Generative {
    func validate() throws {
        try checkCount("--triplets", triplets, atLeast: 0)
        try checkCount("--distance-samples", distanceSamples)
    }
}
