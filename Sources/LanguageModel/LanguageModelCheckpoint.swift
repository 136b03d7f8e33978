import Tensors
import NumPyIO
import Optimizers

/// A resumable LM training state as a `Checkpoint` (kind "lm-adamw"): `param_i`, `m_i`, `v_i`,
/// `best_i` per parameter, `step`, `adam_steps`, `sampler`/`dropout` generator words,
/// `best_perplexity`, `bad_evaluations` and the evaluation history (`history` rows: step, training
/// loss, validation perplexity).
extension Checkpoint {
    public static let languageModelKind = "lm-adamw"

    public init(fingerprint: String, languageModel s: LanguageModelFit.State) {
        self.init(kind: Checkpoint.languageModelKind, fingerprint: fingerprint)
        for k in s.parameters.indices {
            arrays["param_\(k)"] = NumPyArray(s.parameters[k]); arrays["m_\(k)"] = NumPyArray(s.firstMoments[k])
            arrays["v_\(k)"] = NumPyArray(s.secondMoments[k]); arrays["best_\(k)"] = NumPyArray(s.best[k])
        }
        arrays["step"] = NumPyArray(ints: [s.step], shape: [])
        arrays["adam_steps"] = NumPyArray(ints: [s.adamSteps], shape: [])
        arrays["sampler"] = NumPyArray(ints: s.sampler.map { Int(bitPattern: UInt($0)) }, shape: [4])
        arrays["dropout"] = NumPyArray(ints: s.dropout.map { Int(bitPattern: UInt($0)) }, shape: [4])
        arrays["best_perplexity"] = NumPyArray(doubles: [s.bestPerplexity], shape: [])
        arrays["bad_evaluations"] = NumPyArray(ints: [s.badEvaluations], shape: [])
        arrays["history"] = NumPyArray(doubles: s.history.flatMap { [Double($0.step), $0.trainingLoss, $0.validationPerplexity] }, shape: [s.history.count, 3])
    }

    /// The saved state for a model whose parameters have `shapes`.
    public func languageModelState(shapes: [[Int]], path: String) throws -> LanguageModelFit.State {
        func tensors(_ prefix: String) throws -> [Tensor] { try shapes.enumerated().map { try tensor("\(prefix)_\($0.offset)", shape: $0.element, path: path) } }
        func words(_ name: String) throws -> [UInt64] {
            let w = try arrays.require(name, in: path).ints()
            guard w.count == 4 else { throw LanguageModelError(path: path, "\(name) must hold 4 generator words") }
            return w.map { UInt64(UInt(bitPattern: $0)) }
        }
        let h = try floats("history", path: path)
        guard h.count % 3 == 0 else { throw LanguageModelError(path: path, "history must have 3 columns") }
        return LanguageModelFit.State(
            step: Int(try double("step", path: path)), parameters: try tensors("param"), firstMoments: try tensors("m"),
            secondMoments: try tensors("v"), adamSteps: Int(try double("adam_steps", path: path)),
            sampler: try words("sampler"), dropout: try words("dropout"), best: try tensors("best"),
            bestPerplexity: try double("best_perplexity", path: path), badEvaluations: Int(try double("bad_evaluations", path: path)),
            history: stride(from: 0, to: h.count, by: 3).map { LanguageModelFit.Evaluation(step: Int(h[$0]), trainingLoss: Double(h[$0 + 1]), validationPerplexity: Double(h[$0 + 2])) })
    }
}
