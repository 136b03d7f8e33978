import FileIO
import NumPyIO
import Optimizers
import Tensors

extension Checkpoint {
    public static let vaeKind = "vae-adam"

    /// Layout: `param_k`, `m_k`, `v_k`, `best_k` per parameter tensor (`VAEModel.namedParameters`
    /// order), `step`, `adam_step`, `best_step`, `generators` (4 × 4 uint64 states stored as int64),
    /// `losses`, `validation_steps`, `validation_elbo`.
    public init(fingerprint: String, vae s: VAEFit.State) {
        self.init(kind: Checkpoint.vaeKind, fingerprint: fingerprint)
        for k in s.parameters.indices {
            arrays["param_\(k)"] = NumPyArray(s.parameters[k]); arrays["m_\(k)"] = NumPyArray(s.firstMoments[k])
            arrays["v_\(k)"] = NumPyArray(s.secondMoments[k]); arrays["best_\(k)"] = NumPyArray(s.best[k])
        }
        arrays["step"] = NumPyArray(int: s.step)
        arrays["adam_step"] = NumPyArray(int: s.adamSteps)
        arrays["best_step"] = NumPyArray(int: s.bestStep)
        arrays["generators"] = NumPyArray(ints: s.generators.flatMap { $0.map { Int(Int64(bitPattern: $0)) } }, shape: [s.generators.count, 4])
        arrays["losses"] = NumPyArray(doubles: s.losses, shape: [s.losses.count])
        arrays["validation_steps"] = NumPyArray(ints: s.validation.map(\.step), shape: [s.validation.count])
        arrays["validation_elbo"] = NumPyArray(doubles: s.validation.map(\.elbo), shape: [s.validation.count])
    }

    /// The saved state of a VAE whose parameters have `shapes`.
    public func vaeState(shapes: [[Int]], path: String) throws -> VAEFit.State {
        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor { try self.tensor(name, shape: shape, path: path) }
        func doubles(_ name: String) throws -> [Double] {
            let a = try arrays.require(name, in: path)
            return (0..<a.count).map { a.double(at: $0) }
        }
        let g: [Int]
        do { g = try arrays.require("generators", in: path).ints() } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
        guard g.count == 16 else { throw FileIOError(path: path, "generators has \(g.count) values, expected 16") }
        let steps = try doubles("validation_steps").map { Int($0) }, elbo = try doubles("validation_elbo")
        guard steps.count == elbo.count else { throw FileIOError(path: path, "validation_steps and validation_elbo differ in length") }
        return VAEFit.State(
            step: Int(try double("step", path: path)),
            parameters: try shapes.enumerated().map { try tensor("param_\($0.offset)", $0.element) },
            firstMoments: try shapes.enumerated().map { try tensor("m_\($0.offset)", $0.element) },
            secondMoments: try shapes.enumerated().map { try tensor("v_\($0.offset)", $0.element) },
            adamSteps: Int(try double("adam_step", path: path)),
            generators: (0..<4).map { r in (0..<4).map { UInt64(bitPattern: Int64(g[r * 4 + $0])) } },
            losses: try doubles("losses"),
            validation: zip(steps, elbo).map { (step: $0, elbo: $1) },
            best: try shapes.enumerated().map { try tensor("best_\($0.offset)", $0.element) },
            bestStep: Int(try double("best_step", path: path)))
    }
}
