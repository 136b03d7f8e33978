import Tensors
import Autodiff

/// The same per-position objective written with the generic autodiff ops — the reference the
/// gather/scatter kernel in `ArDCAObjective` is tested against, and a readable statement of it:
///   Z = X·W_p + h_p   (X: N × p·q one-hot of the earlier positions, W_p: p·q × q),
///   F_p = −Σ_n w_n log_softmax(Z_n)[y_p^n] + λ_J ‖W_p‖² + λ_h ‖h_p‖².
/// Cost 2·N·p·q² — for tests and small problems only.
public enum ArDCAObjectiveAutodiff {
    public static func objective(_ o: ArDCAObjective, position p: Int, couplings w: Variable, fields h: Variable) -> Variable {
        let (n, l, q) = (o.count, o.length, o.states)
        var logits: Variable
        if p > 0 {
            var x = Tensor(zeros: [n, p * q])
            for s in 0..<n { for m in 0..<p { x[s, m * q + Int(o.codes[s * l + m])] = 1 } }
            logits = matmul(Variable(x), w) + h
        } else {
            logits = Variable(Tensor(zeros: [n, q])) + h
        }
        var select = Tensor(zeros: [n, q])
        for s in 0..<n { select[s, Int(o.codes[s * l + p])] = o.weights[s] }
        let nll = -(logits.logSoftmax(alongAxis: 1) * Variable(select)).sum()
        return nll + (w * w).sum() * o.lambdaCouplings + (h * h).sum() * o.lambdaFields
    }
}
