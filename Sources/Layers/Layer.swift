import Tensors
import Autodiff

/// Anything with trainable parameters. Names are dotted paths ("conv1.weight") so a
/// model saves to `.npz` with readable keys.
public protocol Layer: AnyObject {
    var namedParameters: [(String, Variable)] { get }
}

extension Layer {
    public var parameters: [Variable] { namedParameters.map(\.1) }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}

/// How a convolution's or dense layer's weights start (fan_in = inputs × kernel width):
/// - `uniform`: U(±1/√fan_in) for weights and bias (PyTorch's default);
/// - `heNormal`: N(0, 2/fan_in) truncated at ±2σ (σ rescaled by 1/0.8796 to keep that variance)
///   and zero bias — Keras' `he_normal`, which the published regulatory CNNs (tfomics) use.
public enum WeightInitialisation: String, Sendable, CaseIterable {
    case uniform, heNormal = "he-normal"

    /// A weight tensor of `shape` and a bias of `outputs` for a layer with this fan-in.
    public func parameters(_ shape: [Int], outputs: Int, fanIn: Int, bias: Bool, using rng: inout RandomGenerator) -> (weight: Tensor, bias: Tensor?) {
        switch self {
        case .uniform:
            let bound = 1 / Float(fanIn).squareRoot()
            let w = Tensor.uniform(shape, in: -bound...bound, using: &rng)
            return (w, bias ? .uniform([outputs], in: -bound...bound, using: &rng) : nil)
        case .heNormal:
            let sigma = (2 / Float(fanIn)).squareRoot() / 0.879_625_66
            let w = (0..<shape.reduce(1, *)).map { _ -> Float in
                while true { let z = rng.normal(); if abs(z) <= 2 { return sigma * z } }
            }
            return (Tensor(shape: shape, scalars: w), bias ? Tensor(shape: [outputs], scalars: [Float](repeating: 0, count: outputs)) : nil)
        }
    }
}

/// A layer that maps one variable to one variable; `training` switches dropout and batch statistics.
public protocol SequentialLayer: Layer {
    func callAsFunction(_ x: Variable, training: Bool) -> Variable
}

/// A layer with parameters that can copy itself with those parameters as constants: the same
/// function, whose backward pass computes ∂/∂input alone (what `foldedForInference` builds).
public protocol FixableLayer: SequentialLayer {
    /// The same function with every parameter a constant (`requiresGrad` false); later training
    /// of this layer does not change the copy.
    func fixed() -> any SequentialLayer
}

/// Layers applied in order.
public final class Sequential: SequentialLayer {
    public var layers: [any SequentialLayer]
    public init(_ layers: [any SequentialLayer]) { self.layers = layers }
    public var namedParameters: [(String, Variable)] {
        layers.enumerated().flatMap { (k, l) in l.namedParameters.map { ("\(k).\($0.0)", $0.1) } }
    }
    public func callAsFunction(_ x: Variable, training: Bool) -> Variable {
        layers.reduce(x) { $1($0, training: training) }
    }
}

/// An element-wise activation as a layer.
public final class Activation: SequentialLayer {
    public enum Kind: String, Sendable, CaseIterable { case relu, exponential, sigmoid, tanh, softplus, elu, linear }
    public let kind: Kind
    public init(_ kind: Kind) { self.kind = kind }
    public var namedParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ x: Variable, training: Bool) -> Variable {
        switch kind {
        case .relu: x.relu()
        case .exponential: x.expActivation()
        case .sigmoid: x.sigmoid()
        case .tanh: x.tanh()
        case .softplus: x.softplus()
        case .elu: x.elu()
        case .linear: x
        }
    }
}
