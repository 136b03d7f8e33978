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

/// A layer that maps one variable to one variable; `training` switches dropout and batch statistics.
public protocol SequentialLayer: Layer {
    func callAsFunction(_ x: Variable, training: Bool) -> Variable
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
