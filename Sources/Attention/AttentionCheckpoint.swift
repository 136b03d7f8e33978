import FileIO
import NumPyIO
import Optimizers
import Potts
import Tensors

extension Checkpoint {
    /// Kinds of attention checkpoints, by optimizer.
    public static func attentionKind(_ optimizer: AttentionFit.Optimizer) -> String { "attention-" + optimizer.rawValue }

    public init(fingerprint: String, attention state: AttentionFit.State) {
        switch state {
        case .lbfgs(let s):
            self.init(kind: Checkpoint.attentionKind(.lbfgs), fingerprint: fingerprint, lbfgs: s)
        case .adam(let s):
            self.init(kind: Checkpoint.attentionKind(.adam), fingerprint: fingerprint)
            for (k, (p, (m, v))) in zip(s.parameters, zip(s.firstMoments, s.secondMoments)).enumerated() {
                arrays["param_\(k)"] = NumPyArray(p); arrays["m_\(k)"] = NumPyArray(m); arrays["v_\(k)"] = NumPyArray(v)
            }
            arrays["step"] = NumPyArray(ints: [s.step], shape: [])
            arrays["history"] = NumPyArray(doubles: s.history, shape: [s.history.count])
        }
    }

    /// The saved state for a model whose parameters have `shapes` (query, key, value, fields).
    public func attentionState(shapes: [[Int]], path: String) throws -> AttentionFit.State {
        if kind == Checkpoint.attentionKind(.lbfgs) {
            return .lbfgs(try lbfgsState(parameters: shapes.map { $0.reduce(1, *) }.reduce(0, +), path: path))
        }
        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor { try self.tensor(name, shape: shape, path: path) }
        let history = try arrays.require("history", in: path)
        return .adam(AttentionFit.AdamState(
            step: Int(try double("step", path: path)),
            parameters: try shapes.enumerated().map { try tensor("param_\($0.offset)", $0.element) },
            firstMoments: try shapes.enumerated().map { try tensor("m_\($0.offset)", $0.element) },
            secondMoments: try shapes.enumerated().map { try tensor("v_\($0.offset)", $0.element) },
            history: (0..<history.count).map { history.double(at: $0) }))
    }
}
