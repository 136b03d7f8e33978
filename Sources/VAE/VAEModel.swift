import Tensors
import Autodiff
import Layers

/// A variational autoencoder over one-hot aligned sequences (DeepSequence, Riesselman et al. 2018;
/// EVE, Frazer et al. 2021). x ∈ {0,1}^{L×q} is read as a vector of D = L·q inputs.
///
///   q(z|x) = N(μ(x), diag σ²(x)),       μ, log σ² = encoder MLP(x) (ReLU hidden layers)
///   p(x|z, θ) = Π_i softmax_a(s·(W_out h(z) + b))_{i, x_i},   h = decoder MLP(z) (ReLU, last sigmoid),
///               s = softplus(τ) with a learned temperature τ (else s = 1)
///   ELBO(x) = E_{q(z|x)}[log p(x|z, θ)] − KL(q(z|x) ‖ N(0, I)),
///       KL = −½ Σ_k (1 + log σ_k² − μ_k² − σ_k²)
///
/// Training maximises, per minibatch B drawn in proportion to the sequence weights,
///   mean_{x∈B} [log p(x|z̃, θ̃) − β·KL(q(z|x) ‖ N(0, I))] − KL(q(θ) ‖ p(θ)) / Neff
/// with z̃ = μ + σ ⊙ ε (the reparameterisation), θ̃ = μ_θ + σ_θ ⊙ ε′ when the decoder is Bayesian
/// (else θ̃ = θ and the last term is absent), and β the KL-annealing weight (1 after warm-up).
public final class VAEModel {
    public let architecture: VAEArchitecture
    public let length: Int
    public let states: Int
    public var inputs: Int { length * states }

    /// Encoder hidden layers, then the μ and log σ² heads.
    public let encoderLayers: [Linear]
    public let latentMean: Linear
    public let latentLogVariance: Linear
    /// Decoder parameters in order: per hidden layer (weight (out, in), bias (out)); then the output
    /// weight (H, L·q), or (H, L·C) with the dictionary (C, q); the gates S (H/t, L) with sparsity;
    /// the output bias (L·q). Each has a mean and, when Bayesian, a log standard deviation.
    public let decoderParameters: [(name: String, parameter: GaussianParameter)]
    /// Temperature τ (one element), when used.
    public let temperature: Variable?

    /// Prior of the sparsity gates S: N(μ_S, σ_S²), μ_S = √2·σ_S·erfinv(2·0.01 − 1), σ_S = 4 (DeepSequence).
    public static let gatePriorMean: Float = -9.305391
    public static let gatePriorStd: Float = 4

    public init(architecture a: VAEArchitecture, length: Int, states: Int, using rng: inout RandomGenerator) {
        precondition(a.problem() == nil, a.problem() ?? "")
        architecture = a; self.length = length; self.states = states
        let d = length * states
        var encoder: [Linear] = []
        var width = d
        for h in a.encoder { encoder.append(Linear(inputs: width, outputs: h, using: &rng)); width = h }
        encoderLayers = encoder
        latentMean = Linear(inputs: width, outputs: a.latent, using: &rng)
        latentLogVariance = Linear(inputs: width, outputs: a.latent, using: &rng)
        var params: [(String, GaussianParameter)] = []
        width = a.latent
        let bayes = a.bayesianDecoder
        for (k, h) in a.decoder.enumerated() {
            let bound = 1 / Float(width).squareRoot()
            params.append(("decoder.\(k).weight", GaussianParameter(mean: .uniform([h, width], in: -bound...bound, using: &rng), bayesian: bayes)))
            params.append(("decoder.\(k).bias", GaussianParameter(mean: Tensor(repeating: 0.1, shape: [h]), bayesian: bayes)))
            width = h
        }
        let columns = a.dictionary > 0 ? a.dictionary : states
        let bound = 1 / Float(width).squareRoot()
        params.append(("output.weight", GaussianParameter(mean: .uniform([width, length * columns], in: -bound...bound, using: &rng), bayesian: bayes)))
        if a.dictionary > 0 {
            let b = 1 / Float(a.dictionary).squareRoot()
            params.append(("output.dictionary", GaussianParameter(mean: .uniform([a.dictionary, states], in: -b...b, using: &rng), bayesian: bayes)))
        }
        if a.sparsityTiles > 0 {
            params.append(("output.gates", GaussianParameter(mean: Tensor(zeros: [width / a.sparsityTiles, length]), bayesian: bayes,
                                                             priorMean: VAEModel.gatePriorMean, priorStd: VAEModel.gatePriorStd)))
        }
        params.append(("output.bias", GaussianParameter(mean: Tensor(repeating: 0.1, shape: [length * states]), bayesian: bayes)))
        decoderParameters = params.map { (name: $0.0, parameter: $0.1) }
        // softplus(τ) = 1 at the start.
        temperature = a.temperature ? Variable(Tensor([0.5413249]), requiresGrad: true) : nil
    }

    /// Every trainable tensor with a dotted name, in a fixed order (archives and checkpoints).
    public var namedParameters: [(String, Variable)] {
        var out: [(String, Variable)] = []
        for (k, l) in encoderLayers.enumerated() { out += l.namedParameters.map { ("encoder.\(k).\($0.0)", $0.1) } }
        out += latentMean.namedParameters.map { ("latent_mean.\($0.0)", $0.1) }
        out += latentLogVariance.namedParameters.map { ("latent_log_variance.\($0.0)", $0.1) }
        for (name, p) in decoderParameters {
            out.append((name + ".mean", p.mean))
            if let s = p.logStd { out.append((name + ".log_std", s)) }
        }
        if let temperature { out.append(("temperature", temperature)) }
        return out
    }
    public var parameters: [Variable] { namedParameters.map(\.1) }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    // MARK: Encoder

    /// μ(x), log σ²(x) for one-hot rows x: (B, L·q).
    public func encode(_ x: Variable, training: Bool = false, dropout: inout RandomGenerator) -> (mean: Variable, logVariance: Variable) {
        var h = x
        for layer in encoderLayers {
            h = layer(h).relu()
            if training { h = invertedDropout(h, probability: architecture.encoderDropout, using: &dropout) }
        }
        return (latentMean(h), latentLogVariance(h))
    }

    /// Latent means of one-hot rows (no graph).
    public func latentMeans(_ x: Tensor) -> Tensor {
        var unused = RandomGenerator(seed: 0)
        return noGrad { encode(Variable(x), dropout: &unused).mean.value }
    }

    // MARK: Decoder

    /// One draw of the decoder's parameters: θ̃ = μ_θ + σ_θ ⊙ ε′ (ε′ from `noise`), or the means when
    /// `noise` is nil or the decoder is not Bayesian. Recorded on the graph, so gradients reach μ_θ, log σ_θ.
    public func decoderWeights(noise: inout RandomGenerator?) -> [Variable] {
        decoderParameters.map { $0.parameter.sample(&noise) }
    }

    /// One draw of the decoder with its output layer composed: the hidden layers' weights and biases,
    /// and W (H, L·q) after the output dictionary and the sparsity gates, with its bias — what every
    /// batch decoded with that draw shares, so a scorer composes it once per draw.
    public struct DecoderDraw {
        public let hidden: [Variable]
        public let output: Variable
        public let bias: Variable
    }

    /// Composes `weights` (one draw from `decoderWeights`) into a `DecoderDraw`.
    public func composed(_ weights: [Variable]) -> DecoderDraw {
        let a = architecture
        var k = 2 * a.decoder.count
        let width = a.decoder.last!
        var w = weights[k]; k += 1
        if a.dictionary > 0 {
            w = matmul(w.reshaped([width * length, a.dictionary]), weights[k]).reshaped([width, length * states]); k += 1
        }
        if a.sparsityTiles > 0 {
            let groups = width / a.sparsityTiles
            let gates = weights[k].sigmoid().gathering((0..<width).map { $0 % groups }, alongAxis: 0)   // (H, L)
            w = (w.reshaped([width, length, states]) * gates.reshaped([width, length, 1])).reshaped([width, length * states])
            k += 1
        }
        return DecoderDraw(hidden: Array(weights[0..<(2 * a.decoder.count)]), output: w, bias: weights[k])
    }

    /// Per-column log-probabilities log p(x_i = a | z): (B, L·q), rows of z: (B, Z).
    public func decode(_ z: Variable, weights: [Variable], training: Bool = false, dropout: inout RandomGenerator) -> Variable {
        decode(z, draw: composed(weights), training: training, dropout: &dropout)
    }

    /// `decode` with a composed draw.
    public func decode(_ z: Variable, draw: DecoderDraw, training: Bool = false, dropout: inout RandomGenerator) -> Variable {
        let a = architecture
        var h = z
        for layer in a.decoder.indices {
            h = matmul(h, draw.hidden[2 * layer], transposeB: true) + draw.hidden[2 * layer + 1]
            h = layer == a.decoder.count - 1 ? h.sigmoid() : h.relu()
            if training { h = invertedDropout(h, probability: a.decoderDropout, using: &dropout) }
        }
        var logits = matmul(h, draw.output) + draw.bias
        if let temperature { logits = logits * temperature.softplus() }
        return logits.reshaped([-1, length, states]).logSoftmax(alongAxis: 2).reshaped([-1, length * states])
    }

    // MARK: ELBO

    /// The terms of one evaluation of the objective on one-hot rows x (B, L·q).
    public struct Terms {
        /// log p(x|z̃, θ̃) per row (B).
        public var reconstruction: Variable
        /// KL(q(z|x) ‖ N(0, I)) per row (B).
        public var latentKL: Variable
        /// KL(q(θ) ‖ p(θ)) of the decoder (a scalar; 0 when it is not Bayesian).
        public var parameterKL: Variable
        /// ELBO estimate per row: reconstruction − latentKL (B).
        public var elbo: Variable { reconstruction - latentKL }
    }

    /// One Monte-Carlo evaluation: z̃ = μ + e^{½ log σ²} ⊙ ε with ε ~ N(0, I) drawn from `latentNoise`
    /// (one vector per row, or one shared by every row when `sharedLatentNoise`, as scoring uses);
    /// decoder weights from `weightNoise` (nil: their means), or `decoderDraw` when given (one draw
    /// reused over batches).
    public func terms(_ x: Tensor, training: Bool, latentNoise: inout RandomGenerator, sharedLatentNoise: Bool = false,
                      weightNoise: inout RandomGenerator?, dropout: inout RandomGenerator, decoderDraw: [Variable]? = nil) -> Terms {
        let b = x.shape[0], zdim = architecture.latent
        let xv = Variable(x)
        let (mu, logvar) = encode(xv, training: training, dropout: &dropout)
        var eps = [Float](repeating: 0, count: b * zdim)
        if sharedLatentNoise {
            let e = (0..<zdim).map { _ in latentNoise.normal() }
            for r in 0..<b { for k in 0..<zdim { eps[r * zdim + k] = e[k] } }
        } else {
            for i in eps.indices { eps[i] = latentNoise.normal() }
        }
        let draw = composed(decoderDraw ?? decoderWeights(noise: &weightNoise))
        var t = terms(xv, mean: mu, logVariance: logvar, epsilon: Tensor(shape: [b, zdim], scalars: eps),
                      draw: draw, training: training, dropout: &dropout)
        t.parameterKL = decoderParameters.reduce(Variable(Tensor(0))) { acc, p in
            p.parameter.logStd == nil ? acc : acc + p.parameter.kl()
        }
        return t
    }

    /// The per-row terms given the encoding (μ, log σ²) of rows x, the latent noise ε (B, Z) and a
    /// decoder draw: z̃ = μ + e^{½ log σ²} ⊙ ε, reconstruction log p(x|z̃, θ̃) = Σ x ⊙ decode(z̃), and
    /// KL(q(z|x) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²); the decoder's KL is left at 0.
    public func terms(_ x: Variable, mean mu: Variable, logVariance logvar: Variable, epsilon: Tensor, draw: DecoderDraw,
                      training: Bool, dropout: inout RandomGenerator) -> Terms {
        let z = mu + (logvar * 0.5).exp() * Variable(epsilon)
        let logp = decode(z, draw: draw, training: training, dropout: &dropout)
        let reconstruction = (logp * x).sum(alongAxis: 1)
        let latentKL = ((1 + logvar - mu.square() - logvar.exp()).sum(alongAxis: 1)) * -0.5
        return Terms(reconstruction: reconstruction, latentKL: latentKL, parameterKL: Variable(Tensor(0)))
    }

    /// The training loss of a minibatch: −mean(reconstruction − β·latentKL) + parameterKL / Neff.
    public static func loss(_ t: Terms, beta: Float, neff: Float) -> Variable {
        -(t.reconstruction - t.latentKL * beta).mean() + t.parameterKL / Swift.max(neff, 1)
    }

    /// One-hot rows (B, L·q) of state codes.
    public func oneHot<S: Sequence>(_ rows: S) -> Tensor where S.Element: Collection, S.Element.Element == UInt8 {
        var scalars: [Float] = []
        var n = 0
        for row in rows {
            precondition(row.count == length, "a row of \(row.count) columns for a model of \(length)")
            let base = scalars.count
            scalars.append(contentsOf: repeatElement(0, count: length * states))
            for (i, c) in row.enumerated() { scalars[base + i * states + Int(c)] = 1 }
            n += 1
        }
        return Tensor(shape: [n, length * states], scalars: scalars)
    }
}

/// A parameter θ with a mean-field Gaussian posterior q(θ) = N(μ, σ²), σ = e^ρ, under the prior
/// N(m, s²); a plain (point) parameter when not Bayesian.
///   KL(q ‖ p) = Σ [ log s − ρ + (σ² + (μ − m)²) / (2s²) − ½ ]
public final class GaussianParameter {
    public let mean: Variable
    /// ρ = log σ, initialised to −5 (σ ≈ 0.0067; EVE initialises log σ² to −10).
    public let logStd: Variable?
    public let priorMean: Float
    public let priorStd: Float

    public init(mean: Tensor, bayesian: Bool, priorMean: Float = 0, priorStd: Float = 1) {
        self.mean = Variable(mean, requiresGrad: true)
        self.logStd = bayesian ? Variable(Tensor(repeating: -5, shape: mean.shape), requiresGrad: true) : nil
        self.priorMean = priorMean; self.priorStd = priorStd
    }

    /// μ + e^ρ ⊙ ε (ε standard normal from `noise`), or μ without noise.
    public func sample(_ noise: inout RandomGenerator?) -> Variable {
        guard let logStd, var g = noise else { return mean }
        let n = mean.value.count
        let eps = [Float](unsafeUninitializedCapacity: n) { buf, count in
            g.fillNormalPairs(buf)
            count = n
        }
        noise = g
        return reparameterizedGaussian(mean: mean, logStd: logStd, noise: Tensor(shape: mean.shape, scalars: eps))
    }

    /// KL(q(θ) ‖ N(m, s²)) summed over elements (a scalar variable).
    public func kl() -> Variable {
        guard let logStd else { return Variable(Tensor(0)) }
        return gaussianKL(mean: mean, logStd: logStd, priorMean: priorMean, priorStd: priorStd)
    }
}
