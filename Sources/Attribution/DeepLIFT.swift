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
/// pooling splits each window's change between the input's and the reference's maxima
/// (`maxPoolRescale`, the rule of Captum, SHAP and tangermeme). The attribution is
/// (x − x′) ⊙ m_{x→f}; it sums exactly to f(x) − f(x′) (summation-to-delta).
/// Self-attention layers (CNN + attention hybrids) pass their gradient: the rescale rule has no form
/// for their products and softmax, so with them the sum is not exact.
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

    /// Hypothetical contributions instead of the map (TF-MoDISco's `hyp_scores`, tangermeme's and
    /// SHAP's `hypothetical`): h[b, i] = m[b, i] − Σ_c x′[c, i] m[c, i], what base b at i would
    /// contribute against the reference; Σ_b x[b, i] h[b, i] is the map's total at i.
    public var hypothetical = false

    public init(_ attributor: Attributor) { self.attributor = attributor }
    public init(model: CNNModel, task: Int, output: Attributor.Output = .logit) { self.init(Attributor(model: model, task: task, output: output)) }

    /// Attributions (N, 4, L) of `x` against `reference` (same shape), `progress(sequences done)`
    /// after each batch. For a reverse-complement-shared model f = ½ (g(x) + g(rc x)), and
    /// DeepLIFT of that is ½ (DL_g(x) + rc DL_g(rc x)) exactly (multipliers add over the two
    /// branches; rc is a permutation).
    public func attributions(_ x: Tensor, reference: Tensor, progress: ((Int) -> Void)? = nil) -> Tensor {
        precondition(x.shape == reference.shape, "DeepLIFT: input and reference shapes differ")
        let net = fixedNetwork()
        return Tensor(shape: x.shape, scalars: Tensor.mapRowRanges(count: x.shape[0], size: attributor.batchSize, progress: progress) { rows in
            batch(x.rows(rows), reference: reference.rows(rows), net)
        })
    }

    /// The network the multipliers run through: BatchNorm folded and dropout removed, weights
    /// fixed (no gradient is computed for them), activations left before their pools (the rescale
    /// rule compares each position with the same position of the reference).
    func fixedNetwork() -> Sequential { model.network.foldedForInference(movingActivations: false) }

    /// The attributions of one batch.
    func batch(_ x: Tensor, reference: Tensor, _ net: Sequential) -> Tensor {
        var map: Tensor
        if model.architecture.reverseComplement {
            let forward = oneStrand(x, reference: reference, net)
            let backward = OneHot.reverseComplement(oneStrand(OneHot.reverseComplement(x), reference: OneHot.reverseComplement(reference), net))
            map = (forward + backward) * 0.5
        } else {
            map = oneStrand(x, reference: reference, net)
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

    func oneStrand(_ x: Tensor, reference: Tensor, _ net: Sequential) -> Tensor {
        let n = x.shape[0]
        let input = Variable(Tensor.concatenate([x, reference], alongAxis: 0), requiresGrad: true)
        var h = input
        for layer in net.layers {
            if let activation = layer as? Activation { h = rescale(h, activation.kind, rows: n) }
            else if let pool = layer as? MaxPool1D { h = maxPoolRescale(h, pool, rows: n) }
            else { h = layer(h, training: false) }
        }
        var seed = Tensor(zeros: h.shape)
        for s in 0..<n { seed.scalars[s * model.tasks + task] = 1 }
        h.backward(seed)
        let multipliers = input.grad!
        let width = x.count / Swift.max(n, 1)
        let m = Tensor(shape: x.shape, scalars: Array(multipliers.scalars[0..<(n * width)]))
        guard hypothetical else { return (x - reference) * m }
        return m - (reference * m).sum(alongAxes: [1], keepingDims: true)
    }

    /// DeepSHAP: the mean DeepLIFT map over `count` references drawn per sequence (reference k of
    /// every sequence, in sequence order, before reference k + 1: each batch draws its own).
    /// `progress(done, count · N)` after each batch, counting (sequence, reference) pairs.
    public func shap(_ x: Tensor, references kind: Attributor.Baseline = .dinucleotide, count: Int = 10, seed: UInt64 = 0,
                     progress: ((Int, Int) -> Void)? = nil) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let (n, c) = (x.shape[0], Swift.max(count, 1))
        var total = [Float](repeating: 0, count: x.count)
        let net = fixedNetwork()
        for k in 0..<c {
            let maps = x.mapRowBatches(size: attributor.batchSize, progress: { progress?(k * n + $0, c * n) }) { rows in
                batch(rows, reference: Attributor.references(rows, kind: kind, using: &rng), net)
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

    /// Max pooling of a batch (inputs in the first `rows` rows, references after) by DeepLIFT's rule
    /// for it (Captum's, SHAP's and tangermeme's): in each window, with y the input's maximum, r the
    /// reference's and c = max(y, r), the change y − r is split into c − r, sent to the input's argmax,
    /// and y − c, sent to the reference's argmax (each share lies between 0 and the change Δ at the
    /// position it reaches). A position's multiplier is the sum of the shares it receives times the
    /// upstream multiplier, over Δ there (where Δ = 0, its ordinary gradient), so pooling keeps
    /// summation-to-delta. References get no gradient.
    func maxPoolRescale(_ h: Variable, _ pool: MaxPool1D, rows: Int) -> Variable {
        let (y, argmax) = Tensor.maxPool1d(h.value, size: pool.size, stride: pool.stride)
        let hv = h.value
        return Variable.record(y, [h], op: "DeepLIFT max pool") { g in
            let inWidth = hv.count / Swift.max(hv.shape[0], 1), outWidth = y.count / Swift.max(y.shape[0], 1)
            let (inputs, outputs) = (rows * inWidth, rows * outWidth)
            var share = [Float](repeating: 0, count: inputs), plain = [Float](repeating: 0, count: inputs)
            y.scalars.withUnsafeBufferPointer { yp in
                g.scalars.withUnsafeBufferPointer { gp in
                    for k in 0..<outputs {
                        let (yk, rk) = (yp[k], yp[outputs + k])
                        let c = Swift.max(yk, rk), gk = gp[k]
                        let own = Int(argmax[k]), theirs = Int(argmax[outputs + k]) - inputs
                        share[own] += gk * (c - rk)
                        share[theirs] += gk * (yk - c)
                        plain[own] += gk
                    }
                }
            }
            let m = [Float](unsafeUninitializedCapacity: hv.count) { out, initialised in
                hv.scalars.withUnsafeBufferPointer { x in
                    for p in 0..<inputs {
                        let d = x[p] - x[inputs + p]
                        out[p] = d != 0 ? share[p] / d : plain[p]
                    }
                }
                for p in inputs..<hv.count { out[p] = 0 }
                initialised = hv.count
            }
            return [Tensor(shape: hv.shape, scalars: m)]
        }
    }

    /// f(h) of a batch (inputs in the first `rows` rows, their references h′ after) and the rescale
    /// multipliers of the input rows: (f(h) − f(h′)) / (h − h′), or f′(h) where |h − h′| ≤ 10⁻⁶ — the
    /// gradient of the activation's own autodiff op, computed only when some element needs it.
    /// The reference rows' multipliers are 0.
    public static func multipliers(_ kind: Activation.Kind, _ h: Tensor, rows: Int) -> (value: Tensor, multipliers: Tensor) {
        let input = Variable(h, requiresGrad: true)
        let output = GradMode.$isEnabled.withValue(true) { Activation(kind)(input, training: false) }
        let y = output.value
        let n = rows * (h.count / Swift.max(h.shape[0], 1))
        var m = [Float](repeating: 0, count: h.count)
        var flat: [Int] = []                                       // |h − h′| ≤ 10⁻⁶: f′(h) there
        h.scalars.withUnsafeBufferPointer { x in
            y.scalars.withUnsafeBufferPointer { fx in
                m.withUnsafeMutableBufferPointer { mp in
                    for k in 0..<n {
                        let d = x[k] - x[n + k]
                        if Swift.abs(d) > 1e-6 { mp[k] = (fx[k] - fx[n + k]) / d } else { flat.append(k) }
                    }
                }
            }
        }
        if !flat.isEmpty {
            output.backward(Tensor(repeating: 1, shape: h.shape))
            let derivative = input.grad ?? Tensor(repeating: 1, shape: h.shape)
            for k in flat { m[k] = derivative.scalars[k] }
        }
        return (y, Tensor(shape: h.shape, scalars: m))
    }
}
