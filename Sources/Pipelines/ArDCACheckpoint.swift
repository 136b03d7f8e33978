import FileIO
import NumPyIO
import Optimizers
import ArDCA

/// Checkpoints of `seqgen fit --model ardca` (kind "ardca-sites"): the regressions fitted so far
/// (`ArDCAFit.Partial`), in generation order — `parameters` (θ, zeros where not fitted), `fitted`
/// (L, 0/1), and per position `objective`, `iterations`, `evaluations` and `stop` (the index of
/// the L-BFGS stop in `LBFGS.Stop.allCases`; 0 where not fitted).
extension Checkpoint {
    public static let ardcaKind = "ardca-sites"

    public init(fingerprint: String, ardca s: ArDCAFit.Partial) {
        self.init(kind: Checkpoint.ardcaKind, fingerprint: fingerprint)
        let l = s.sites.count
        arrays["parameters"] = NumPyArray(floats: s.parameters, shape: [s.parameters.count])
        arrays["fitted"] = NumPyArray(ints: s.sites.map { $0 == nil ? 0 : 1 }, shape: [l])
        arrays["objective"] = NumPyArray(doubles: s.sites.map { $0?.objective ?? 0 }, shape: [l])
        arrays["iterations"] = NumPyArray(ints: s.sites.map { $0?.iterations ?? 0 }, shape: [l])
        arrays["evaluations"] = NumPyArray(ints: s.sites.map { $0?.evaluations ?? 0 }, shape: [l])
        arrays["stop"] = NumPyArray(ints: s.sites.map { site in site.map { LBFGS.Stop.allCases.firstIndex(of: $0.stop)! } ?? 0 }, shape: [l])
    }

    /// The saved regressions of a fit with `length` positions and `parameters` values of θ.
    public func ardcaPartial(length l: Int, parameters n: Int, path: String) throws -> ArDCAFit.Partial {
        let theta = try floats("parameters", path: path)
        guard theta.count == n else { throw FileIOError(path: path, "parameters has \(theta.count) values; this run has \(n)") }
        let fitted: [Int], iterations: [Int], evaluations: [Int], stops: [Int], objective: NumPyArray
        do {
            fitted = try arrays.require("fitted", in: path).ints()
            iterations = try arrays.require("iterations", in: path).ints()
            evaluations = try arrays.require("evaluations", in: path).ints()
            stops = try arrays.require("stop", in: path).ints()
            objective = try arrays.require("objective", in: path)
        } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
        guard [fitted.count, iterations.count, evaluations.count, stops.count, objective.count].allSatisfy({ $0 == l }) else {
            throw FileIOError(path: path, "the per-position arrays do not all have \(l) values (this run's positions)")
        }
        let cases = LBFGS.Stop.allCases
        if let bad = stops.first(where: { !cases.indices.contains($0) }) {
            throw FileIOError(path: path, "stop holds \(bad), not an L-BFGS stop (0–\(cases.count - 1))")
        }
        return ArDCAFit.Partial(parameters: theta, sites: (0..<l).map { p in
            fitted[p] == 0 ? nil : ArDCAFit.SiteResult(objective: objective.double(at: p), iterations: iterations[p],
                                                       evaluations: evaluations[p], stop: cases[stops[p]])
        })
    }
}
