import Tensors
import Autodiff

/// 1-D convolution layer: (N, C_in, L) → (N, C_out, L_out); weight (C_out, C_in, K),
/// initialised U(±1/√(C_in·K)) as PyTorch does, or by another `WeightInitialisation`.
public final class Conv1D: FixableLayer {
    public let weight: Variable
    public let bias: Variable?
    public let geometry: Conv1DGeometry

    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, geometry: Conv1DGeometry = .init(),
                bias: Bool = true, initialisation: WeightInitialisation = .uniform, using rng: inout RandomGenerator) {
        let (w, b) = initialisation.parameters([outputChannels, inputChannels, kernelSize], outputs: outputChannels,
                                               fanIn: inputChannels * kernelSize, bias: bias, using: &rng)
        weight = Variable(w, requiresGrad: true)
        self.bias = b.map { Variable($0, requiresGrad: true) }
        self.geometry = geometry
    }

    /// A layer with the given weight (C_out, C_in, K) and bias (C_out); `trainable: false` makes
    /// them constants (no gradient is computed for them).
    public init(weight: Tensor, bias: Tensor?, geometry: Conv1DGeometry, trainable: Bool = true) {
        self.weight = Variable(weight, requiresGrad: trainable)
        self.bias = bias.map { Variable($0, requiresGrad: trainable) }
        self.geometry = geometry
    }

    /// "Same" padding for odd kernels at stride 1: L_out = L.
    public static func samePadding(kernelSize k: Int, dilation d: Int = 1) -> Conv1DGeometry {
        Conv1DGeometry(padding: d * (k - 1) / 2, stride: 1, dilation: d)
    }

    public var namedParameters: [(String, Variable)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ x: Variable, training: Bool = false) -> Variable {
        conv1d(x, weight, bias: bias, geometry)
    }

    public func fixed() -> any SequentialLayer {
        Conv1D(weight: weight.value, bias: bias?.value, geometry: geometry, trainable: false)
    }
}

/// Max pooling over windows of `size` (stride = size unless given).
public final class MaxPool1D: SequentialLayer {
    public let size: Int, stride: Int
    public init(size: Int, stride: Int? = nil) { self.size = size; self.stride = stride ?? size }
    public var namedParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ x: Variable, training: Bool = false) -> Variable { maxPool1d(x, size: size, stride: stride) }
}

/// (N, C, L) → (N, C·L).
public final class Flatten: SequentialLayer {
    public init() {}
    public var namedParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ x: Variable, training: Bool = false) -> Variable { x.reshaped([x.shape[0], -1]) }
}
