import Tensors
import Autodiff

/// y = γ ⊙ (x − μ) / √(σ² + ε) + β with μ, σ² over the last axis (per position).
public final class LayerNorm: FixableLayer {
    public let gamma: Variable, beta: Variable
    public let epsilon: Float
    public init(dimension: Int, epsilon: Float = 1e-5) {
        gamma = Variable(Tensor(repeating: 1, shape: [dimension]), requiresGrad: true)
        beta = Variable(Tensor(zeros: [dimension]), requiresGrad: true)
        self.epsilon = epsilon
    }
    public var namedParameters: [(String, Variable)] { [("gamma", gamma), ("beta", beta)] }
    public func callAsFunction(_ x: Variable, training: Bool = false) -> Variable {
        let mu = x.mean(alongAxis: -1, keepingDim: true)
        let centred = x - mu
        let variance = centred.square().mean(alongAxis: -1, keepingDim: true)
        return centred / (variance + epsilon).sqrt() * gamma + beta
    }

    /// The layer with γ and β constants.
    public func fixed() -> any SequentialLayer { LayerNorm(fixing: self) }

    private init(fixing other: LayerNorm) {
        gamma = Variable(other.gamma.value); beta = Variable(other.beta.value)
        epsilon = other.epsilon
    }
}

/// Batch normalisation over channels of (N, C) or (N, C, L):
/// training uses the batch mean and (biased) variance over N (and L) and updates running
/// estimates r ← (1−m)·r + m·batch (unbiased variance, as PyTorch); evaluation uses the running ones.
public final class BatchNorm1d: FixableLayer {
    public let gamma: Variable, beta: Variable
    public private(set) var runningMean: Tensor, runningVariance: Tensor
    public let momentum: Float, epsilon: Float

    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        gamma = Variable(Tensor(repeating: 1, shape: [channels]), requiresGrad: true)
        beta = Variable(Tensor(zeros: [channels]), requiresGrad: true)
        runningMean = Tensor(zeros: [channels]); runningVariance = Tensor(repeating: 1, shape: [channels])
        self.momentum = momentum; self.epsilon = epsilon
    }

    public var namedParameters: [(String, Variable)] { [("gamma", gamma), ("beta", beta)] }

    /// The evaluation-mode layer with γ and β constants and the running statistics as they are now.
    public func fixed() -> any SequentialLayer { BatchNorm1d(fixing: self) }

    private init(fixing other: BatchNorm1d) {
        gamma = Variable(other.gamma.value); beta = Variable(other.beta.value)
        runningMean = other.runningMean; runningVariance = other.runningVariance
        momentum = other.momentum; epsilon = other.epsilon
    }

    /// Replaces the running statistics (loading a saved model).
    public func setRunningStatistics(mean: Tensor, variance: Tensor) { runningMean = mean; runningVariance = variance }

    public func callAsFunction(_ x: Variable, training: Bool) -> Variable {
        let c = gamma.shape[0]
        precondition((x.value.rank == 2 || x.value.rank == 3) && x.shape[1] == c, "BatchNorm1d(\(c)) got \(x.shape)")
        if training {
            let (y, batch) = batchNorm(x, gamma: gamma, beta: beta, epsilon: epsilon)
            let n = Float(x.value.count / c)
            runningMean = runningMean * (1 - momentum) + batch.mean * momentum
            runningVariance = runningVariance * (1 - momentum) + batch.variance * (momentum * n / Swift.max(n - 1, 1))
            return y
        }
        return batchNorm(x, gamma: gamma, beta: beta, epsilon: epsilon, statistics: (runningMean, runningVariance)).output
    }
}
