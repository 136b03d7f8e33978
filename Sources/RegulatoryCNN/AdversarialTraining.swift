import Autodiff
import Tensors

/// Gaussian-noise training (randomised smoothing of the input): a fraction `fraction` of each
/// batch's sequences (chosen at random) is replaced by x + N(0, σ²) on the relaxed one-hot input;
/// the rest stay clean. σ 0.1 = a tenth of a one-hot step, the SmoothGrad scale this toolkit uses.
public struct GaussianNoiseTraining: BatchPerturbation {
    public var sigma: Float
    public var fraction: Float

    public init(sigma: Float = 0.1, fraction: Float = 0.5) { self.sigma = sigma; self.fraction = fraction }

    public var summary: String { "gaussian noise σ \(sigma) on \(fraction) of each batch" }

    public func onEveryRow() -> any BatchPerturbation { GaussianNoiseTraining(sigma: sigma, fraction: 1) }

    public func perturb(_ x: Tensor, labels: Tensor, model: CNNModel, using rng: inout RandomGenerator) -> Tensor {
        let rows = chosenRows(x.shape[0], fraction: fraction, using: &rng)
        let width = x.count / Swift.max(x.shape[0], 1)
        var out = x
        for r in rows { for k in (r * width)..<((r + 1) * width) { out.scalars[k] += sigma * rng.normal() } }
        return out
    }
}

/// Adversarial training (Goodfellow et al. 2015; Madry et al. 2018) on the relaxed one-hot input,
/// as the Koo lab applies it to genomic CNNs: for a fraction `fraction` of each batch (chosen at
/// random; the rest stay clean — the "mixed with clean batches" ratio), the input is moved to
/// increase the binary cross-entropy ℓ(f(x), y) within an L∞ ball of radius ε:
/// - FGSM: x′ = x + ε · sign(∇ₓ ℓ);
/// - PGD: x⁰ = x + U(−ε, ε) (random start), xᵏ⁺¹ = Π(xᵏ + α · sign(∇ₓ ℓ(xᵏ))), `steps` times, with
///   α = 2.5 ε / steps (Madry et al.'s step rule) and Π the projection onto the ε-box around x
///   intersected with [0, 1] (`box`, as Koo et al. 2019 clip it: a one-hot 1 can only fall and a
///   0 only rise), the ε-box alone (`continuous`), or the Euclidean projection of each position
///   onto the probability simplex within the ε-box (`simplex`).
/// Gradients are taken in inference mode (BatchNorm running statistics, no dropout), so the attack
/// neither advances the dropout generators nor moves the running statistics.
public struct AdversarialTraining: BatchPerturbation {
    public enum Method: String, Sendable, CaseIterable { case fgsm, pgd }
    public enum Projection: String, Sendable, CaseIterable { case box, continuous, simplex }

    public var method: Method
    public var epsilon: Float
    public var steps: Int
    public var fraction: Float
    public var projection: Projection

    public init(method: Method, epsilon: Float = 0.1, steps: Int = 5, fraction: Float = 0.5, projection: Projection = .box) {
        self.method = method; self.epsilon = epsilon; self.steps = steps; self.fraction = fraction; self.projection = projection
    }

    public var summary: String {
        "\(method.rawValue) ε \(epsilon)\(method == .pgd ? ", \(steps) steps" : ""), \(projection.rawValue), on \(fraction) of each batch"
    }

    public func onEveryRow() -> any BatchPerturbation {
        AdversarialTraining(method: method, epsilon: epsilon, steps: steps, fraction: 1, projection: projection)
    }

    /// ∇ₓ of the model's loss (binary cross-entropy, or squared error for a regression) at x against `labels`, inference mode.
    /// The weights are fixed meanwhile: the attack computes no weight gradient and leaves none behind.
    public static func inputGradient(_ model: CNNModel, x: Tensor, labels: Tensor) -> Tensor {
        withFixedParameters(model.parameters) {
            let input = Variable(x, requiresGrad: true)
            model.loss(model.logits(input, training: false), labels: labels).backward()
            return input.grad ?? Tensor(zeros: x.shape)
        }
    }

    /// One signed-gradient step: x + step · sign(g) (sign 0 where g = 0).
    public static func signedStep(_ x: Tensor, gradient g: Tensor, step: Float) -> Tensor {
        var out = x
        for k in 0..<x.count { let v = g.scalars[k]; out.scalars[k] += v > 0 ? step : (v < 0 ? -step : 0) }
        return out
    }

    /// The adversarial version of every row of x.
    public func attack(_ model: CNNModel, x: Tensor, labels: Tensor, using rng: inout RandomGenerator) -> Tensor {
        switch method {
        case .fgsm:
            return project(Self.signedStep(x, gradient: Self.inputGradient(model, x: x, labels: labels), step: epsilon), around: x)
        case .pgd:
            let alpha = 2.5 * epsilon / Float(Swift.max(steps, 1))
            var adv = project(x + Tensor.uniform(x.shape, in: -epsilon...epsilon, using: &rng), around: x)
            for _ in 0..<Swift.max(steps, 1) {
                adv = project(Self.signedStep(adv, gradient: Self.inputGradient(model, x: adv, labels: labels), step: alpha), around: x)
            }
            return adv
        }
    }

    public func perturb(_ x: Tensor, labels: Tensor, model: CNNModel, using rng: inout RandomGenerator) -> Tensor {
        let rows = chosenRows(x.shape[0], fraction: fraction, using: &rng)
        guard !rows.isEmpty else { return x }
        let width = x.count / x.shape[0], tasks = labels.shape[1]
        let sub = Tensor(shape: [rows.count] + x.shape.dropFirst(), scalars: rows.flatMap { x.scalars[($0 * width)..<(($0 + 1) * width)] })
        let subLabels = Tensor(shape: [rows.count, tasks], scalars: rows.flatMap { labels.scalars[($0 * tasks)..<(($0 + 1) * tasks)] })
        let adv = attack(model, x: sub, labels: subLabels, using: &rng)
        var out = x
        for (j, r) in rows.enumerated() { out.scalars.replaceSubrange((r * width)..<((r + 1) * width), with: adv.scalars[(j * width)..<((j + 1) * width)]) }
        return out
    }

    /// Clips to [x − ε, x + ε] (and, for `box`, to [0, 1]); with `simplex`, the Euclidean
    /// projection of each position's 4 values onto the probability simplex within that box, so the
    /// point stays in the ε-ball (projecting onto the simplex after clipping can leave it: 1.5ε).
    func project(_ adv: Tensor, around x: Tensor) -> Tensor {
        var out = adv
        let (low, high): (Float, Float) = projection == .continuous ? (-.infinity, .infinity) : (0, 1)
        guard projection == .simplex else {
            for k in 0..<adv.count {
                out.scalars[k] = Swift.min(Swift.max(adv.scalars[k], x.scalars[k] - epsilon, low), x.scalars[k] + epsilon, high)
            }
            return out
        }
        let (n, l) = (x.shape[0], x.shape[2])
        for s in 0..<n { for i in 0..<l {
            let at = (0..<4).map { (s * 4 + $0) * l + i }
            let p = Self.simplexProjection(at.map { adv.scalars[$0] }, lower: at.map { Swift.max(x.scalars[$0] - epsilon, low) },
                                           upper: at.map { Swift.min(x.scalars[$0] + epsilon, high) })
            for b in 0..<4 { out.scalars[at[b]] = p[b] }
        } }
        return out
    }

    /// argmin ‖p − v‖₂ over p with Σp = 1 and lower ≤ p ≤ upper (default: the probability simplex):
    /// p_b = clip(v_b − τ, lower_b, upper_b), with τ where the sum, piecewise linear and
    /// non-increasing in τ, crosses 1 (found exactly between the breakpoints v_b − lower_b,
    /// v_b − upper_b). Needs Σ lower ≤ 1 ≤ Σ upper (a one-hot x's ε-box always has it).
    public static func simplexProjection(_ v: [Float], lower: [Float]? = nil, upper: [Float]? = nil) -> [Float] {
        let lo = (lower ?? [Float](repeating: 0, count: v.count)).map(Double.init)
        let hi = (upper ?? [Float](repeating: 1, count: v.count)).map(Double.init)
        let x = v.map(Double.init)
        func sum(_ t: Double) -> Double { (0..<x.count).reduce(0) { $0 + Swift.min(Swift.max(x[$1] - t, lo[$1]), hi[$1]) } }
        let breaks = (0..<x.count).flatMap { [x[$0] - hi[$0], x[$0] - lo[$0]] }.sorted()
        var tau = breaks.last ?? 0
        for (a, b) in zip(breaks, breaks.dropFirst()) where sum(a) >= 1 && sum(b) <= 1 {
            let (fa, fb) = (sum(a), sum(b))
            tau = fa == fb ? a : a + (fa - 1) / (fa - fb) * (b - a)     // f is linear on [a, b]
            break
        }
        if let first = breaks.first, sum(first) < 1 { tau = first }     // infeasible box: its upper corner
        return (0..<x.count).map { Float(Swift.min(Swift.max(x[$0] - tau, lo[$0]), hi[$0])) }
    }
}

/// round(fraction · n) distinct rows, uniformly at random, ascending.
func chosenRows(_ n: Int, fraction: Float, using rng: inout RandomGenerator) -> [Int] {
    let k = Swift.min(n, Swift.max(0, Int((fraction * Float(n)).rounded())))
    if k == n { return Array(0..<n) }
    var idx = Array(0..<n)
    for j in 0..<k { idx.swapAt(j, j + rng.int(below: n - j)) }
    return idx.prefix(k).sorted()
}
