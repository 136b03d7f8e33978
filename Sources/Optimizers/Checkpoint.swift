import FileIO
import NumPyIO
import Tensors

/// A resumable snapshot of a fit, saved as `.npz` (atomically): the optimizer's full state and a
/// fingerprint of everything that determines the run (input alignment, model, hyperparameters,
/// seed). `--resume` refuses a checkpoint whose fingerprint differs from the new command's. The
/// thread count is not part of it: every resumable fit gives the same bits at any thread count.
///
/// Layout: `kind` ("potts-lbfgs", "attention-adam", "attention-lbfgs", "cnn-adam"), `fingerprint`,
/// then the state arrays: for L-BFGS `x`, `gradient`, `value`, `s` (k, n), `y` (k, n), `iteration`,
/// `evaluations`, `last_decrease` (and, for a line search a stop dropped, `pending_direction` (n),
/// `pending_slope`, `pending_initial_step`); for Adam `param_i`, `m_i`, `v_i`, `step`, plus each model's own.
public struct Checkpoint: Sendable {
    public var kind: String
    public var fingerprint: String
    public var arrays: NPZArchive
    /// An L-BFGS state to be written as `x`, `gradient`, `s`, `y` straight from its own vectors
    /// (`NPZStreamWriter`): a copy of (2m + 2) parameter vectors for the archive would double
    /// the fit's peak memory at every checkpoint.
    var lbfgsVectors: LBFGS.State?

    public init(kind: String, fingerprint: String, arrays: NPZArchive = NPZArchive()) {
        self.kind = kind; self.fingerprint = fingerprint; self.arrays = arrays
    }

    public func write(to path: String) throws {
        try NPZStreamWriter.write(to: path, durable: true) { npz in
            for (name, array) in arrays.entries { try npz.add(name, array) }
            if let s = lbfgsVectors {
                let n = s.x.count
                try npz.add("x", floats: [s.x], shape: [n])
                try npz.add("gradient", floats: [s.gradient], shape: [n])
                try npz.add("s", floats: s.s, shape: [s.s.count, n])
                try npz.add("y", floats: s.y, shape: [s.y.count, n])
                if let p = s.pending { try npz.add("pending_direction", floats: [p.direction], shape: [n]) }
            }
            try npz.add("kind", NumPyArray(string: kind))
            try npz.add("fingerprint", NumPyArray(string: fingerprint))
        }
    }

    public static func read(_ path: String) throws -> Checkpoint {
        let a = try NPZArchive.read(path)
        do {
            return Checkpoint(kind: try a.require("kind", in: path).string(), fingerprint: try a.require("fingerprint", in: path).string(), arrays: a)
        } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
    }

    /// Refuses a checkpoint from a different kind of run or different settings. A `threads=`
    /// entry (written until 2026-12-05) is passed over: the fits do not depend on it.
    public func check(kind expected: String, fingerprint current: String, path: String) throws {
        guard kind == expected else { throw FileIOError(path: path, "is a \(kind) checkpoint; this run needs \(expected)") }
        let saved = fingerprint.split(separator: " ", omittingEmptySubsequences: false).filter { !$0.hasPrefix("threads=") }.joined(separator: " ")
        guard saved == current else {
            throw FileIOError(path: path, "was written by a run with different input or settings:\n  checkpoint: \(fingerprint)\n  this run:   \(current)")
        }
    }

    public func floats(_ name: String, path: String) throws -> [Float] {
        do { return try arrays.require(name, in: path).tensor().scalars } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
    }
    public func double(_ name: String, path: String) throws -> Double { try arrays.require(name, in: path).double(at: 0) }

    /// The array `name`, which must have `shape`.
    public func tensor(_ name: String, shape: [Int], path: String) throws -> Tensor {
        let t: Tensor
        do { t = try arrays.require(name, in: path).tensor() } catch let e as NumPyError { throw FileIOError(path: path, e.problem) }
        guard t.shape == shape else { throw FileIOError(path: path, "\(name) has shape \(t.shape); this run needs \(shape)") }
        return t
    }

    // MARK: L-BFGS

    public init(kind: String, fingerprint: String, lbfgs s: LBFGS.State) {
        self.init(kind: kind, fingerprint: fingerprint)
        lbfgsVectors = s
        arrays["value"] = NumPyArray(doubles: [s.value], shape: [])
        arrays["last_decrease"] = NumPyArray(doubles: [s.lastDecrease], shape: [])
        arrays["recent_values"] = NumPyArray(doubles: s.recentValues, shape: [s.recentValues.count])
        arrays["iteration"] = NumPyArray(ints: [s.iteration], shape: [])
        arrays["evaluations"] = NumPyArray(ints: [s.evaluations], shape: [])
        if let p = s.pending {
            arrays["pending_slope"] = NumPyArray(doubles: [p.slope], shape: [])
            arrays["pending_initial_step"] = NumPyArray(doubles: [p.initialStep], shape: [])
        }
    }

    /// The saved L-BFGS state; `parameters` is the size the resuming run expects.
    public func lbfgsState(parameters n: Int, path: String) throws -> LBFGS.State {
        if let s = lbfgsVectors {
            guard s.x.count == n else { throw FileIOError(path: path, "L-BFGS state has \(s.x.count) parameters; this run has \(n)") }
            return s
        }
        let x = try floats("x", path: path), g = try floats("gradient", path: path)
        let s = try floats("s", path: path), y = try floats("y", path: path)
        guard x.count == n, g.count == n, s.count % n == 0, s.count == y.count else {
            throw FileIOError(path: path, "L-BFGS state has \(x.count) parameters; this run has \(n)")
        }
        let k = s.count / n
        var pending: LBFGS.PendingSearch?
        if arrays["pending_direction"] != nil {
            let d = try floats("pending_direction", path: path)
            guard d.count == n else { throw FileIOError(path: path, "pending_direction has \(d.count) values; this run has \(n) parameters") }
            pending = LBFGS.PendingSearch(direction: d, slope: try double("pending_slope", path: path),
                                          initialStep: try double("pending_initial_step", path: path))
        }
        return LBFGS.State(x: x, gradient: g, value: try double("value", path: path),
                           s: (0..<k).map { Array(s[($0 * n)..<(($0 + 1) * n)]) }, y: (0..<k).map { Array(y[($0 * n)..<(($0 + 1) * n)]) },
                           iteration: Int(try double("iteration", path: path)), evaluations: Int(try double("evaluations", path: path)),
                           lastDecrease: try double("last_decrease", path: path),
                           recentValues: arrays["recent_values"].map { a in (0..<a.count).map { a.double(at: $0) } } ?? [],
                           pending: pending)
    }
}
