import FileIO
import NumPyIO
import Tensors

/// A labelled DNA dataset: `x` (N, 4, L) one-hot (A, C, G, T), `y` (N, T) labels in [0, 1], and
/// optionally `groundTruth` (N, 4, L): for synthetic data, the PWM column that generated each
/// position (0.25 everywhere outside embedded motifs), and `truthTask` (N, L): the task whose
/// motif generated each position (−1: background or a motif of no task, e.g. a decoy).
public struct DNADataset: Sendable {
    public var x: Tensor
    public var y: Tensor
    public var groundTruth: Tensor?
    public var truthTask: Tensor?

    public init(x: Tensor, y: Tensor, groundTruth: Tensor? = nil, truthTask: Tensor? = nil) {
        precondition(x.rank == 3 && x.shape[1] == 4 && y.rank == 2 && y.shape[0] == x.shape[0], "x (N, 4, L) and y (N, T)")
        self.x = x; self.y = y; self.groundTruth = groundTruth; self.truthTask = truthTask
    }

    public var count: Int { x.shape[0] }
    public var length: Int { x.shape[2] }
    public var tasks: Int { y.shape[1] }

    /// The tasks whose labels hold one class only (> 0.5 positive), with that class: their AUROC
    /// and AUPR are undefined on this set.
    public var singleClassTasks: [(task: Int, positive: Bool)] {
        (0..<tasks).compactMap { t in
            let positives = (0..<count).filter { y.scalars[$0 * tasks + t] > 0.5 }.count
            return positives == 0 || positives == count ? (t, positives > 0) : nil
        }
    }

    /// Sequence indices by decreasing label of `task`, ties in dataset order: a regression's most
    /// active sequences first.
    public func byDecreasingLabel(task: Int) -> [Int] {
        let t = tasks
        return (0..<count).sorted { (y.scalars[$0 * t + task], $1) > (y.scalars[$1 * t + task], $0) }
    }

    /// The rows `indices`, in that order.
    public func subset(_ indices: [Int]) -> DNADataset {
        func rows(_ t: Tensor) -> Tensor {
            let width = t.count / Swift.max(t.shape[0], 1)
            var out = [Float](); out.reserveCapacity(indices.count * width)
            for i in indices { out += t.scalars[(i * width)..<((i + 1) * width)] }
            return Tensor(shape: [indices.count] + t.shape.dropFirst(), scalars: out)
        }
        return DNADataset(x: rows(x), y: rows(y), groundTruth: groundTruth.map(rows), truthTask: truthTask.map(rows))
    }
}

/// Train / validation / test splits in the layout of the field's published datasets:
/// `X_train` (N, 4, L) (or channels-last (N, L, 4), as Keras models read them), `Y_train` (N, T), optional `model_train` (N, 4, L) ground-truth PWMs and
/// `truth_task_train` (N, L) the task owning each ground-truth position (seqgen's own), and
/// the same for `valid` and `test`; read from HDF5 (`.h5`, `.hdf5`) or `.npz`, written as `.npz`
/// with `task_names` as a (T,) unicode array (older files: one comma-joined byte string, still read).
public struct DNASplits: Sendable {
    public var train: DNADataset, valid: DNADataset, test: DNADataset
    public var taskNames: [String]
    /// What reading the data noticed and a user should hear (ambiguous bases, unused labels).
    public var warnings: [String] = []

    public init(train: DNADataset, valid: DNADataset, test: DNADataset, taskNames: [String]? = nil) {
        self.train = train; self.valid = valid; self.test = test
        self.taskNames = taskNames ?? (0..<train.tasks).map { "task\($0)" }
    }

    public static let splitNames = ["train", "valid", "test"]

    /// One line per task with a single class in the `split` set (nil when none): what a user must
    /// know before reading its AUROC.
    public func singleClassWarning(_ split: String) -> String? {
        guard let set = self.split(named: split), set.count > 0, !set.singleClassTasks.isEmpty else { return nil }
        let list = set.singleClassTasks.map { "\(taskNames[$0.task]) (only \($0.positive ? "positives" : "negatives"))" }
        let allOf = set.singleClassTasks.count == set.tasks
        return "the \(split) split has one class for \(list.joined(separator: ", ")): AUROC and AUPR are undefined there"
            + (allOf ? " (n/a for every task" + (split == "valid" ? "; early stopping follows the validation loss)" : ")") : " and left out of the means")
    }

    /// "train", "valid" or "test".
    public func split(named name: String) -> DNADataset? {
        switch name { case "train": train; case "valid": valid; case "test": test; default: nil }
    }

    /// Throws, naming the dataset's `path`, for the first of the splits `names` that holds no
    /// sequences: training or scoring on it would report a loss of 0 and an AUROC of nan.
    public func requireSequences(in names: String..., path: String) throws {
        for name in names where (split(named: name)?.count ?? 0) == 0 {
            throw FileIOError(path: path, "the \(name) split has no sequences")
        }
    }

    /// The names a split's sequences and labels go by in the field's files, in the order tried:
    /// `X_train`/`Y_train` (seqgen, the Koo lab's datasets), `x_train`/`y_train` (Keras scripts),
    /// `train_in`/`train_out` (Basset's HDF5 files).
    static func arrayNames(_ split: String) -> [(x: String, y: String)] {
        [("X_" + split, "Y_" + split), ("x_" + split, "y_" + split), (split + "_in", split + "_out")]
    }

    /// Reads the splits of an `.npz` or HDF5 file; every label must suit `objective`.
    public static func read(_ path: String, objective: Objective = .classification) throws -> DNASplits {
        let lower = path.lowercased()
        let fetch: (String) throws -> Tensor?
        var names: [String]?
        let hdf5Magic: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        if lower.hasSuffix(".h5") || lower.hasSuffix(".hdf5") || (try? CompressedReader(path: path).peek(8)) == hdf5Magic {
            let file = try HDF5File(path)
            fetch = { file.contains($0) ? try file.tensor($0) : nil }
        } else {
            let archive = try NPZArchive.read(path)
            fetch = { key in
                do { return try archive[key]?.tensor() } catch let e as NumPyError { throw FileIOError(path: path, "\(key): \(e.problem)") }
            }
            names = try archive["task_names"].map { try $0.names() }
        }
        var sets: [DNADataset] = []
        for split in splitNames {
            var found: (x: Tensor, xName: String, yName: String)?
            for (xName, yName) in arrayNames(split) where found == nil {
                if let x = try fetch(xName) { found = (x, xName, yName) }
            }
            guard let found else {
                throw FileIOError(path: path, "no X_\(split) array (expected X_train, X_valid, X_test; x_train… or Basset's train_in… are read too)")
            }
            var x = found.x
            let (xName, yName) = (found.xName, found.yName)
            guard var y = try fetch(yName) else { throw FileIOError(path: path, "no \(yName) array") }
            // Basset's (N, 4, 1, L): the 2-D image layout of its Torch convolutions.
            if x.rank == 4, x.shape[2] == 1 { x = x.reshaped([x.shape[0], x.shape[1], x.shape[3]]) }
            // Channels-last files (Keras: (N, L, 4)) are read as (N, 4, L); so are their ground-truth PWMs.
            // At L = 4 the shape cannot tell: the layout in which every position is one-hot can.
            let channelsLast = x.rank == 3 && x.shape[2] == 4
                && (x.shape[1] != 4 || (Self.oneHotProblem(x) != nil && Self.oneHotProblem(x.permuted([0, 2, 1])) == nil))
            if channelsLast { x = x.permuted([0, 2, 1]) }
            guard x.rank == 3, x.shape[1] == 4 else { throw FileIOError(path: path, "\(xName) has shape \(x.shape); expected (N, 4, L) or (N, L, 4) one-hot") }
            guard x.isFinite else { throw FileIOError(path: path, "\(xName) contains NaN or infinite values") }
            if let (n, i, total) = Self.oneHotProblem(x) {
                throw FileIOError(path: path, "\(xName) is not one-hot: sequence \(n), position \(i) sums to \(total) over A, C, G, T (expected 1, an N as 0.25 each, or 0 for padding)")
            }
            if y.rank == 1 { y = y.reshaped([y.shape[0], 1]) }
            guard y.rank == 2, y.shape[0] == x.shape[0] else { throw FileIOError(path: path, "\(yName) has shape \(y.shape); expected (\(x.shape[0]), T)") }
            if let k = y.scalars.firstIndex(where: { objective.problem($0) != nil }) {
                throw FileIOError(path: path, "\(yName) holds \(y.scalars[k]) (sequence \(k / y.shape[1]), task \(k % y.shape[1])): \(objective.problem(y.scalars[k])!)")
            }
            let truth = try fetch("model_" + split).map { channelsLast && $0.rank == 3 && $0.shape[2] == 4 ? $0.permuted([0, 2, 1]) : $0 }
            if let truth, truth.shape != x.shape { throw FileIOError(path: path, "model_\(split) has shape \(truth.shape); expected \(x.shape)") }
            let owner = try fetch("truth_task_" + split)
            if let owner, owner.shape != [x.shape[0], x.shape[2]] { throw FileIOError(path: path, "truth_task_\(split) has shape \(owner.shape); expected [\(x.shape[0]), \(x.shape[2])]") }
            sets.append(DNADataset(x: x, y: y, groundTruth: truth, truthTask: owner))
        }
        guard Set(sets.map(\.length)).count == 1, Set(sets.map(\.tasks)).count == 1 else {
            throw FileIOError(path: path, "splits differ in sequence length or number of tasks")
        }
        if let n = names, n.count != sets[0].tasks { names = nil }
        return DNASplits(train: sets[0], valid: sets[1], test: sets[2], taskNames: names)
    }

    /// The first position of an (N, 4, L) tensor whose four channels are not a one-hot base, an N
    /// (0.25 each) or padding (all 0): values in [0, 1] summing to 1 or 0, within 10⁻³.
    public static func oneHotProblem(_ x: Tensor) -> (sequence: Int, position: Int, sum: Float)? {
        let (n, l) = (x.shape[0], x.shape[2])
        return x.scalars.withUnsafeBufferPointer { v in
            for s in 0..<n {
                for i in 0..<l {
                    var total: Float = 0, inRange = true
                    for b in 0..<4 { let e = v[(s * 4 + b) * l + i]; total += e; inRange = inRange && e >= 0 && e <= 1 }
                    if !inRange || (Swift.abs(total - 1) > 1e-3 && Swift.abs(total) > 1e-3) { return (s, i, total) }
                }
            }
            return nil
        }
    }

    public func write(to path: String, overwrite: Bool) throws {
        // Deflated straight from the tensors: no copy of the one-hot sets (1.3 GB at 100,000 × 200 bp
        // with their motif tracks).
        try NPZStreamWriter.write(to: path, overwrite: overwrite) { npz in
            for (name, set) in zip(DNASplits.splitNames, [train, valid, test]) {
                try npz.add("X_" + name, set.x, compressed: true)
                try npz.add("Y_" + name, set.y, compressed: true)
                if let t = set.groundTruth { try npz.add("model_" + name, t, compressed: true) }
                if let t = set.truthTask { try npz.add("truth_task_" + name, t, compressed: true) }
            }
            try npz.add("task_names", NumPyArray(strings: taskNames), compressed: true)
        }
    }
}
