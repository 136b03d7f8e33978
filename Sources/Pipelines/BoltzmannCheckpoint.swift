import FileIO
import NumPyIO
import Optimizers
import Potts
import Sequences
import Tensors
import Generative

/// What the pseudolikelihood stage of a refined Potts fit reports in the model file, kept in a
/// refinement checkpoint so that a resumed run skips that stage and still writes the same bytes.
public struct PseudolikelihoodSummary: Sendable, Equatable {
    public var iterations: Int
    public var evaluations: Int
    public var objective: Double
    public var lambdaCouplings: Float
    public init(iterations: Int, evaluations: Int, objective: Double, lambdaCouplings: Float) {
        self.iterations = iterations; self.evaluations = evaluations; self.objective = objective; self.lambdaCouplings = lambdaCouplings
    }
}

/// Checkpoints of `seqgen fit --refine bm` (kind "potts-bm"): `h` (L, q), `J` (L, L, q, q), `chains`
/// (chains, L) uint8, `generators` (chains, 4) the xoshiro states as int64 bit patterns, `updates`,
/// `history` (epochs, 5: epoch, one-site r, pair r, C_ij r, largest gap; NaN where undefined) and
/// `plm` (iterations, evaluations, objective, λ_J of the pseudolikelihood stage).
extension Checkpoint {
    public static let boltzmannKind = "potts-bm"

    public init(fingerprint: String, boltzmann s: BoltzmannRefinement.State, pseudolikelihood p: PseudolikelihoodSummary) {
        self.init(kind: Checkpoint.boltzmannKind, fingerprint: fingerprint)
        let (l, chains) = (s.model.length, s.generators.count)
        arrays["h"] = NumPyArray(s.model.fields)
        arrays["J"] = NumPyArray(s.model.couplings)
        arrays["chains"] = NumPyArray(uint8: s.chains, shape: [chains, l])
        arrays["generators"] = NumPyArray(ints: s.generators.flatMap { $0.map { Int(Int64(bitPattern: $0)) } }, shape: [chains, 4])
        arrays["updates"] = NumPyArray(int: s.updates)
        arrays["history"] = NumPyArray(doubles: s.history.flatMap { e in
            [Double(e.epoch), e.singlePearson ?? .nan, e.pairPearson ?? .nan, e.connectedPearson ?? .nan, e.largestGap] }, shape: [s.history.count, 5])
        arrays["plm"] = NumPyArray(doubles: [Double(p.iterations), Double(p.evaluations), p.objective, Double(p.lambdaCouplings)], shape: [4])
    }

    /// The saved refinement of a model over `alphabet` with `length` columns and `chains` chains.
    public func boltzmannState(alphabet: Alphabet, length l: Int, chains: Int, path: String) throws -> (BoltzmannRefinement.State, PseudolikelihoodSummary) {
        let q = alphabet.size
        let h = try tensor("h", shape: [l, q], path: path), j = try tensor("J", shape: [l, l, q, q], path: path)
        let codes: NumPyArray, words: [Int], history: NumPyArray, plm: NumPyArray
        do {
            codes = try arrays.require("chains", in: path)
            words = try arrays.require("generators", in: path).ints()
            history = try arrays.require("history", in: path)
            plm = try arrays.require("plm", in: path)
        } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
        guard codes.dtype == .uint8, codes.shape == [chains, l] else { throw FileIOError(path: path, "chains has shape \(codes.shape); this run needs [\(chains), \(l)] uint8") }
        guard codes.bytes.allSatisfy({ Int($0) < q }) else { throw FileIOError(path: path, "chains holds a state ≥ \(q)") }
        guard words.count == chains * 4 else { throw FileIOError(path: path, "generators has \(words.count) values, expected \(chains * 4)") }
        guard history.shape.count == 2, history.shape[1] == 5 else { throw FileIOError(path: path, "history has shape \(history.shape); expected (epochs, 5)") }
        guard plm.count == 4 else { throw FileIOError(path: path, "plm has \(plm.count) values, expected 4") }
        // float64 on disk, read at full precision; NaN marks an undefined r.
        func value(_ k: Int) -> Double? { let x = history.double(at: k); return x.isNaN ? nil : x }
        let epochs = (0..<history.shape[0]).map { r in
            BoltzmannRefinement.Epoch(epoch: Int(history.double(at: r * 5)), singlePearson: value(r * 5 + 1), pairPearson: value(r * 5 + 2),
                                      connectedPearson: value(r * 5 + 3), largestGap: history.double(at: r * 5 + 4))
        }
        let state = BoltzmannRefinement.State(
            model: PottsModel(alphabet: alphabet, fields: h, couplings: j), chains: codes.bytes,
            generators: (0..<chains).map { c in (0..<4).map { UInt64(bitPattern: Int64(words[c * 4 + $0])) } },
            updates: Int(try double("updates", path: path)), history: epochs)
        return (state, PseudolikelihoodSummary(iterations: Int(plm.double(at: 0)), evaluations: Int(plm.double(at: 1)),
                                               objective: plm.double(at: 2), lambdaCouplings: Float(plm.double(at: 3))))
    }
}
