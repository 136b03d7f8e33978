#if canImport(Glibc)
import Glibc
#endif
import Autodiff
import DNAData
import Layers
import RegulatoryCNN
import Tensors

/// Attribution maps for a CNN's task logit, all (N, 4, L) like the input one-hot x:
/// - saliency ∂f/∂x; gradient × input x ⊙ ∂f/∂x;
/// - integrated gradients (x − x′) ⊙ (1/m) Σ_k ∂f/∂x at x′ + ((k − ½)/m)(x − x′), which sums to
///   ≈ f(x) − f(x′) (completeness);
/// - SmoothGrad: the mean saliency over x + N(0, σ²) samples;
/// - in-silico mutagenesis: f(x with base b at i) − f(x), all 3L variants in large batches (0 at the
///   observed base);
/// - GradientSHAP (expected gradients): (x − x′) ⊙ ∂f/∂x at x′ + α(x − x′), averaged over draws of
///   the reference x′ and α ~ U(0, 1);
/// - DeepLIFT (rescale rule) and DeepSHAP (DeepLIFT averaged over shuffled references): see `DeepLIFT`.
/// `correctGradient` subtracts each position's mean over the four bases (Majdandzic & Koo), which
/// removes the off-simplex component of a gradient map.
public struct Attributor {
    public let model: CNNModel
    public let task: Int
    public var batchSize = 256
    /// What f is: the task's logit z (default), or its probability σ(z) (then ∂f/∂x = σ'(z) ∂z/∂x).
    public var output: Output

    /// The explained output: the logit z or the sigmoid probability σ(z).
    public enum Output: String, Sendable, CaseIterable { case logit, probability }

    public init(model: CNNModel, task: Int, output: Output = .logit) { self.model = model; self.task = task; self.output = output }

    /// f(x): the task logit (or probability) per sequence, inference mode.
    public func scores(_ x: Tensor, inference: Sequential? = nil) -> [Float] {
        let logits = model.predict(x, batchSize: batchSize, inference: inference)
        return (0..<x.shape[0]).map { output.apply(logits.scalars[$0 * model.tasks + task]) }
    }

    /// ∂f/∂x (N, 4, L), inference mode (BatchNorm running statistics, no dropout), through the
    /// folded network (`foldedForInference`, or `inference` when given), whose fixed weights get no
    /// gradient; `progress(sequences done, N)` after each batch.
    public func saliency(_ x: Tensor, inference: Sequential? = nil, progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        let net = inference ?? model.network.foldedForInference()
        return batched(x, progress: progress) { batch in
            let input = Variable(batch, requiresGrad: true)
            let logits = model.bothStrands(input) { net($0, training: false) }
            var seed = Tensor(zeros: logits.shape)
            for n in 0..<batch.shape[0] { seed.scalars[n * model.tasks + task] = output.slope(logits.value.scalars[n * model.tasks + task]) }
            logits.backward(seed)
            return input.grad ?? Tensor(zeros: batch.shape)
        }
    }

    public func gradientTimesInput(_ x: Tensor, progress: ((Int, Int) -> Void)? = nil) -> Tensor { saliency(x, progress: progress) * x }

    public enum Baseline: String, Sendable, CaseIterable { case zeros, shuffled, dinucleotide }

    /// Integrated gradients with `steps` midpoint-rule steps from `baseline`.
    /// `progress(done, total)` after each step (methods of many passes over x count passes; one
    /// pass counts sequences).
    public func integratedGradients(_ x: Tensor, baseline: Baseline = .zeros, steps: Int = 50, seed: UInt64 = 0,
                                    progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let reference = Attributor.references(x, kind: baseline, using: &rng)
        return integratedGradients(x, reference: reference, steps: steps, progress: progress)
    }

    public func integratedGradients(_ x: Tensor, reference: Tensor, steps: Int, progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        let delta = x - reference, net = model.network.foldedForInference()
        var total = Tensor(zeros: x.shape)
        for k in 1...Swift.max(steps, 1) {
            let alpha = (Float(k) - 0.5) / Float(steps)
            total = total + saliency(reference + delta * alpha, inference: net)
            progress?(k, Swift.max(steps, 1))
        }
        return delta * total * (1 / Float(Swift.max(steps, 1)))
    }

    /// SmoothGrad: mean saliency over `samples` noisy copies (noise σ in one-hot units).
    public func smoothGrad(_ x: Tensor, noise sigma: Float = 0.1, samples: Int = 25, seed: UInt64 = 0,
                           progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        var total = Tensor(zeros: x.shape)
        let net = model.network.foldedForInference()
        for k in 0..<Swift.max(samples, 1) {
            total = total + saliency(x + Tensor.normal(x.shape, std: sigma, using: &rng), inference: net)
            progress?(k + 1, Swift.max(samples, 1))
        }
        return total * (1 / Float(Swift.max(samples, 1)))
    }

    /// GradientSHAP (Captum's `GradientShap` at its default of no input noise; expected gradients,
    /// Erion et al. 2021): the mean over `samples` draws of (x − x′) ⊙ ∂f/∂x at x′ + α(x − x′), each
    /// draw with its own reference x′ per sequence (`baseline`: a fresh shuffle, or zeros) and its own
    /// α ~ U(0, 1) per sequence — integrated gradients averaged over the references by Monte Carlo,
    /// so Σ map → f(x) − E f(x′) as the draws grow (exactly, draw by draw, for a linear f).
    public func gradientSHAP(_ x: Tensor, baseline: Baseline = .dinucleotide, samples: Int = 25, seed: UInt64 = 0,
                             progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let (n, width, draws) = (x.shape[0], x.count / Swift.max(x.shape[0], 1), Swift.max(samples, 1))
        let net = model.network.foldedForInference()
        var total = Tensor(zeros: x.shape)
        for k in 0..<draws {
            let reference = Attributor.references(x, kind: baseline, using: &rng)
            let delta = x - reference
            var alpha = [Float](repeating: 0, count: x.count)
            for s in 0..<n { let a = rng.uniform(); for e in (s * width)..<((s + 1) * width) { alpha[e] = a } }
            total = total + saliency(reference + delta * Tensor(shape: x.shape, scalars: alpha), inference: net) * delta
            progress?(k + 1, draws)
        }
        return total * (1 / Float(draws))
    }

    /// In-silico mutagenesis: (N, 4, L) with f(mutant) − f(x) at every alternative base.
    /// The 3L single mutants of each sequence go through the model in batches of `batchSize`,
    /// each layer recomputed only where a mutant differs from the reference
    /// (`CNNModel.variantLogits`). `progress(sequences done, N)` after each sequence.
    public func mutagenesis(_ x: Tensor, progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        let (n, l) = (x.shape[0], x.shape[2])
        var out = Tensor(zeros: x.shape)
        let inference = model.network.foldedForInference()
        let reference = scores(x, inference: inference)
        let width = 4 * l
        for s in 0..<n {
            let original = Tensor(shape: [4, l], scalars: Array(x.scalars[(s * width)..<((s + 1) * width)]))
            var variants: [(pos: Int, base: Int)] = []
            for i in 0..<l { for b in 0..<4 where original.scalars[b * l + i] < 0.5 { variants.append((i, b)) } }
            let logits = model.variantLogits(original, variants: variants, batchSize: batchSize, inference: inference)
            for (k, v) in variants.enumerated() {
                out.scalars[(s * 4 + v.base) * l + v.pos] = output.apply(logits.scalars[k * model.tasks + task]) - reference[s]
            }
            progress?(s + 1, n)
        }
        return out
    }

    /// Gradient correction (Majdandzic et al. 2023): an (N, 4, L) map less each position's mean
    /// over the four bases.
    public static func correctGradient(_ map: Tensor) -> Tensor { map.subtractingMean(alongAxis: 1) }

    /// Reference sequences: all-zero, a shuffle of each sequence's positions, or a shuffle that
    /// keeps dinucleotide counts (random Eulerian path, Altschul–Erickson).
    public static func references(_ x: Tensor, kind: Baseline, using rng: inout RandomGenerator) -> Tensor {
        let (n, l) = (x.shape[0], x.shape[2])
        switch kind {
        case .zeros: return Tensor(zeros: x.shape)
        case .shuffled, .dinucleotide:
            var out = Tensor(zeros: x.shape)
            for s in 0..<n {
                let seq = OneHot.channels(x, sequence: s)
                let shuffled = kind == .shuffled ? rng.permutation(l).map { seq[$0] } : DinucleotideShuffle.shuffle(seq, using: &rng)
                for (i, b) in shuffled.enumerated() { out.scalars[(s * 4 + b) * l + i] = 1 }
            }
            return out
        }
    }

    func batched(_ x: Tensor, progress: ((Int, Int) -> Void)? = nil, _ body: (Tensor) -> Tensor) -> Tensor {
        Tensor(shape: x.shape, scalars: x.mapRowBatches(size: batchSize, progress: progress.map { p in { p($0, x.shape[0]) } }, body))
    }
}

extension Attributor.Output {
    /// f(z): z or σ(z).
    public func apply(_ z: Float) -> Float { self == .logit ? z : 1 / (1 + expf(-z)) }
    /// f'(z): 1 or σ(z)(1 − σ(z)).
    public func slope(_ z: Float) -> Float { self == .logit ? 1 : { $0 * (1 - $0) }(apply(z)) }
    /// The rescale multiplier (f(z) − f(z′)) / (z − z′) (f'(z) where |z − z′| < 10⁻⁶).
    public func secant(_ z: Float, _ reference: Float) -> Float {
        Swift.abs(z - reference) > 1e-6 ? (apply(z) - apply(reference)) / (z - reference) : slope(z)
    }
}
