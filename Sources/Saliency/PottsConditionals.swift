import Tensors
import Autodiff
import Potts

/// A Potts model read through its single-site conditionals, as a differentiable sequence model:
///   log p(x_i = a | x_¬i) = h_i(a) + Σ_{j≠i} Σ_b J_ij(a,b) x_{j,b} − log Σ_c exp(…c…)
/// written as one product x·M + h with M[(j,b),(i,a)] = J_ij(a,b) (M_ii = 0), then a per-column
/// log-softmax. Its saliency couplings are its couplings in the zero-sum gauge.
public struct PottsConditionals: DifferentiableSequenceModel {
    public let length: Int
    public let states: Int
    let matrix: Tensor
    let fields: Tensor

    public init(_ potts: PottsModel) {
        let (l, q) = (potts.length, potts.states)
        length = l; states = q
        let d = l * q
        var m = [Float](repeating: 0, count: d * d)
        for i in 0..<l { for j in 0..<l where j != i { for a in 0..<q { for b in 0..<q {
            m[(j * q + b) * d + i * q + a] = potts.coupling(i, j, a, b)
        } } } }
        matrix = Tensor(shape: [d, d], scalars: m)
        fields = potts.fields.reshaped([d])
    }

    public var parameters: [Variable] { [] }

    public func logProbabilities(_ x: Variable) -> Variable {
        let z = matmul(x, Variable(matrix)) + Variable(fields)
        return z.reshaped([-1, length, states]).logSoftmax(alongAxis: 2).reshaped([-1, length * states])
    }
}
