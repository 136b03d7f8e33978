import ArgumentParser
import RegulatoryCNN

extension AdversarialTraining.Method: ExpressibleByArgument {}
extension AdversarialTraining.Projection: ExpressibleByArgument {}

/// `cnn train` options for augmentation, noise and adversarial training (see README "Robust training").
struct RobustTrainingOptions: ParsableArguments {
    /// The library's adversarial-training settings, the options' defaults.
    static let adversarialDefaults = AdversarialTraining(method: .pgd)

    @Option(help: "EvoAug augmentations, comma-separated, each NAME or NAME=STRENGTH: mutation (fraction, 0.05), insertion, deletion, translocation, inversion (max nt, 20), rc (probability, 0.5), noise (σ, 0.2).")
    var augment: String?

    @Option(help: "Augmentations drawn per sequence (EvoAug's max_augs_per_seq; exactly this many).")
    var augmentationsPerSequence = EvoAug.defaultPerSequence

    @Option(parsing: .unconditional, help: "After training, fine-tune this many epochs on clean data at 0.1 × the learning rate (EvoAug's second stage).")
    var finetuneEpochs = 0

    @Option(parsing: .unconditional, help: "Gaussian-noise training: σ of the noise added to the one-hot input of --perturbed-fraction of each batch (0: off).")
    var gaussianNoise: Float = 0

    @Option(help: "Adversarial training on --perturbed-fraction of each batch: fgsm or pgd.")
    var adversarial: AdversarialTraining.Method?

    @Option(help: "Adversarial L∞ radius on the relaxed one-hot input.")
    var epsilon = Self.adversarialDefaults.epsilon

    @Option(help: "PGD steps (step size 2.5 ε / steps).")
    var adversarialSteps = Self.adversarialDefaults.steps

    @Option(help: "Adversarial projection: box (ε-box within [0, 1], as published), continuous (ε-box only) or simplex (ε-box, then onto the probability simplex per position).")
    var projection = Self.adversarialDefaults.projection

    @Option(help: "Fraction of each batch given Gaussian noise or adversarial examples (the rest stay clean).")
    var perturbedFraction = Self.adversarialDefaults.fraction

    @Option(help: "Epochs on clean data before augmentation, noise or adversarial examples start (Koo et al. 2019: 20); early stopping restarts with the first perturbed epoch.")
    var cleanEpochs = CNNTrainer().cleanEpochs

    @Option(help: "After the clean epochs, this many epochs perturb --perturbed-fraction of each batch, then every sequence (the Koo lab's robust-training loop: 25 mixed epochs, then adversarial examples only); early stopping restarts with the first all-perturbed epoch. Default: the fraction throughout.")
    var mixedEpochs: Int?

    /// The batch perturbations in the order they apply: augmentation, then noise, then the attack.
    func perturbations(length: Int) throws -> [any BatchPerturbation] {
        var out: [any BatchPerturbation] = []
        if let augment {
            do { out.append(EvoAug(try EvoAugmentation.parse(augment, length: length), perSequence: augmentationsPerSequence)) }
            catch let e as EvoAugmentation.ParseError { throw ValidationError("--augment: \(e.description)") }
        }
        if gaussianNoise > 0 { out.append(GaussianNoiseTraining(sigma: gaussianNoise, fraction: perturbedFraction)) }
        if let adversarial {
            out.append(AdversarialTraining(method: adversarial, epsilon: epsilon, steps: adversarialSteps, fraction: perturbedFraction, projection: projection))
        }
        return out
    }
}
