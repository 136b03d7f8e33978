#if canImport(Glibc)
import Glibc
#endif
import Autodiff
import DNAData
import Layers
import RegulatoryCNN
import Tensors

/// DeepLIFT with the rescale rule (Shrikumar et al. 2017) and DeepSHAP (its average over several
/// references, Lundberg & Lee 2017). Inputs and references go through the network as one batch in
/// inference mode; every element-wise activation y = f(h) back-propagates the multiplier
/// m = (f(h) − f(h′)) / (h − h′) (f′(h) where |h − h′| ≤ 10⁻⁶, taken from the activation's own
/// backward pass as tangermeme does, so each activation's derivative is written once) instead of
/// its derivative; affine
/// layers (conv, dense, BatchNorm at inference, dropout off) pass their weights as usual, and max
/// pooling routes through the input's maxima (its gradient). The attribution is
/// (x − x′) ⊙ m_{x→f}; without pooling it sums exactly to f(x) − f(x′) (summation-to-delta).
/// Self-attention layers (CNN + attention hybrids) pass their gradient, as pooling does: the rescale
/// rule has no form for their products and softmax, so with them the sum is not exact either.
/// With `output` = `.probability` the explained f is σ(z): the rescale rule at the final sigmoid
/// multiplies every map row by (σ(z) − σ(z′)) / (z − z′) of the (strand-averaged) logits.
/// Sequences go through in batches of the attributor's `batchSize` (each sequence's map is its
/// own), so memory holds one batch's activations whatever N.
public struct DeepLIFT {
    /// The model, task and explained output, and the batch size: the gradient methods' own settings.
    public var attributor: Attributor
    public var model: CNNModel { attributor.model }
    public var task: Int { attributor.task }
    public var output: Attributor.Output { attributor.output }

    public init(_ attributor: Attributor) { self.attributor = attributor }
    public init(model: CNNModel, task: Int, output: Attributor.Output = .logit) { self.init(Attributor(model: model, task: task, output: output)) }

    /// Attributions (N, 4, L) of `x` against `reference` (same shape), `progress(sequences done)`
    /// after each batch. For a reverse-complement-shared model f = ½ (g(x) + g(rc x)), and
    /// DeepLIFT of that is ½ (DL_g(x) + rc DL_g(rc x)) exactly (multipliers add over the two
    /// branches; rc is a permutation).
    public func attributions(_ x: Tensor, reference: Tensor, progress: ((Int) -> Void)? = nil) -> Tensor {
        precondition(x.shape == reference.shape, "DeepLIFT: input and reference shapes differ")
        return Tensor(shape: x.shape, scalars: Tensor.mapRowRanges(count: x.shape[0], size: attributor.batchSize, progress: progress) { rows in
            batch(x.rows(rows), reference: reference.rows(rows))
        })
    }

    /// The attributions of one batch.
    func batch(_ x: Tensor, reference: Tensor) -> Tensor {
        var map: Tensor
        if model.architecture.reverseComplement {
            let forward = oneStrand(x, reference: reference)
            let backward = OneHot.reverseComplement(oneStrand(OneHot.reverseComplement(x), reference: OneHot.reverseComplement(reference)))
            map = (forward + backward) * 0.5
        } else {
            map = oneStrand(x, reference: reference)
        }
        guard output == .probability else { return map }
        var logit = attributor
        logit.output = .logit
        let (z, z0) = (logit.scores(x), logit.scores(reference))
        let width = x.count / Swift.max(x.shape[0], 1)
        for s in 0..<x.shape[0] {
            let factor = output.secant(z[s], z0[s])
            for k in (s * width)..<((s + 1) * width) { map.scalars[k] *= factor }
        }
        return map
    }

    func oneStrand(_ x: Tensor, reference: Tensor) -> Tensor {
        let n = x.shape[0]
        let input = Variable(Tensor.concatenate([x, reference], alongAxis: 0), requiresGrad: true)
        var h = input
        for layer in model.network.layers {
            if let activation = layer as? Activation { h = rescale(h, activation.kind, rows: n) }
            else { h = layer(h, training: false) }
        }
        var seed = Tensor(zeros: h.shape)
        for s in 0..<n { seed.scalars[s * model.tasks + task] = 1 }
        h.backward(seed)
        let multipliers = input.grad!
        let width = x.count / Swift.max(n, 1)
        let m = Tensor(shape: x.shape, scalars: Array(multipliers.scalars[0..<(n * width)]))
        return (x - reference) * m
    }

    /// DeepSHAP: the mean DeepLIFT map over `count` references drawn per sequence (reference k of
    /// every sequence, in sequence order, before reference k + 1: each batch draws its own).
    /// `progress(done, count · N)` after each batch, counting (sequence, reference) pairs.
    public func shap(_ x: Tensor, references kind: Attributor.Baseline = .dinucleotide, count: Int = 10, seed: UInt64 = 0,
                     progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let (n, c) = (x.shape[0], Swift.max(count, 1))
        var total = [Float](repeating: 0, count: x.count)
        for k in 0..<c {
            let maps = x.mapRowBatches(size: attributor.batchSize, progress: { progress?(k * n + $0, c * n) }) { rows in
                batch(rows, reference: Attributor.references(rows, kind: kind, using: &rng))
            }
            for e in total.indices { total[e] += maps[e] }
        }
        return Tensor(shape: x.shape, scalars: total) * (1 / Float(c))
    }

    /// f applied to a batch whose first `rows` rows are inputs and the rest their references; the
    /// pullback multiplies the inputs' gradient by the rescale multipliers (references get none).
    func rescale(_ h: Variable, _ kind: Activation.Kind, rows: Int) -> Variable {
        let (y, multiplier) = DeepLIFT.multipliers(kind, h.value, rows: rows)
        return Variable.record(y, [h], op: "DeepLIFT rescale (\(kind.rawValue))") { g in [g * multiplier] }
    }

    /// f(h) of a batch (inputs in the first `rows` rows, their references h′ after) and the rescale
    /// multipliers of the input rows: (f(h) − f(h′)) / (h − h′), or f′(h) where |h − h′| ≤ 10⁻⁶ — the
    /// gradient of the activation's own autodiff op, computed only when some element needs it.
    /// The reference rows' multipliers are 0.
    public static func multipliers(_ kind: Activation.Kind, _ h: Tensor, rows: Int) -> (value: Tensor, multipliers: Tensor) {
        let input = Variable(h, requiresGrad: true)
        let output = GradMode.$isEnabled.withValue(true) { Activation(kind)(input, training: false) }
        let y = output.value
        let width = h.count / Swift.max(h.shape[0], 1)
        var multiplier = Tensor(zeros: h.shape)
        var derivative: Tensor?
        for k in 0..<(rows * width) {
            let d = h.scalars[k] - h.scalars[rows * width + k]
            if Swift.abs(d) > 1e-6 {
                multiplier.scalars[k] = (y.scalars[k] - y.scalars[rows * width + k]) / d
            } else {
                if derivative == nil {
                    output.backward(Tensor(repeating: 1, shape: h.shape))
                    derivative = input.grad ?? Tensor(repeating: 1, shape: h.shape)
                }
                multiplier.scalars[k] = derivative!.scalars[k]
            }
        }
        return (y, multiplier)
    }
}
