#if canImport(Glibc)
import Glibc
#endif

/// Learning rate as a function of the step (0-based).
public enum LearningRateSchedule: Sendable, Equatable {
    case constant(Float)
    /// η₀ · γ^⌊t / every⌋
    case step(initial: Float, gamma: Float, every: Int)
    /// η₀ · γᵗ
    case exponential(initial: Float, gamma: Float)
    /// Linear warm-up over `warmup` steps, then cosine decay from η₀ to `minimum` at `total`.
    case cosine(initial: Float, minimum: Float, warmup: Int, total: Int)

    public func rate(at t: Int) -> Float {
        switch self {
        case .constant(let r): return r
        case let .step(r, gamma, every): return r * powf(gamma, Float(t / max(every, 1)))
        case let .exponential(r, gamma): return r * powf(gamma, Float(t))
        case let .cosine(r, lo, warmup, total):
            if t < warmup { return r * Float(t + 1) / Float(warmup) }
            let progress = min(1, Float(t - warmup) / Float(max(total - warmup, 1)))
            return lo + (r - lo) * 0.5 * (1 + cosf(.pi * progress))
        }
    }
}

/// Multiplies the rate by `factor` when a monitored metric has not improved by more than
/// `threshold` (relative) for `patience` consecutive evaluations (Keras/PyTorch ReduceLROnPlateau).
public struct ReduceOnPlateau: Sendable {
    public var factor: Float, patience: Int, threshold: Float, minimumRate: Float
    public var higherIsBetter: Bool
    public private(set) var best: Float?
    public private(set) var badEvaluations = 0

    public init(factor: Float = 0.2, patience: Int = 3, threshold: Float = 1e-4, minimumRate: Float = 1e-6, higherIsBetter: Bool = false) {
        self.factor = factor; self.patience = patience; self.threshold = threshold
        self.minimumRate = minimumRate; self.higherIsBetter = higherIsBetter
    }

    /// Records `metric`; returns the (possibly reduced) rate.
    public mutating func update(metric: Float, rate: Float) -> Float {
        let improved: Bool
        if let b = best {
            improved = higherIsBetter ? metric > b + threshold * Swift.abs(b) : metric < b - threshold * Swift.abs(b)
        } else { improved = true }
        if improved { best = metric; badEvaluations = 0; return rate }
        badEvaluations += 1
        guard badEvaluations > patience else { return rate }
        badEvaluations = 0
        return max(minimumRate, rate * factor)
    }
}
