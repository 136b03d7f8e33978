import Tensors
import NumPyIO
import FileIO
import Sequences

/// A fitted model as an `.npz` file that numpy opens directly:
///   model_type  'potts' | 'pssm' | 'gaussian' | 'attention' | 'ardca' | 'vae' (arrays: VAEArchive) | 'lm' (see ProteinLanguageModel's archive)
///   h           (L, q) float32 fields
///   J           (L, L, q, q) float32 couplings, J[i,j,a,b] == J[j,i,b,a] (Potts forms); for 'ardca'
///               the autoregressive couplings, not symmetric, with an `order` array (see ArDCAModel)
///   alphabet    string, state order of the last axes ('ACDEFGHIKLMNPQRSTVWY-')
///   focus_name, focus_sequence   strings; residue_numbers (L,) int64 (negative = focus gap)
///   base_pairs  (K, 2) int64, optional: the alignment's consensus RNA secondary structure (`basePairs`)
///   meta_*      0-d scalars: counts (sequences, iterations, threads, seed …) int64, real values
///               (identity threshold, Neff, λs, objective …) float64
/// Strings are NumPy unicode (`<U<n>`): `np.load(f)["focus_name"].item()` is a `str`. Files
/// written before stored them as byte strings (`|S<n>`) and every count as float64; both read.
public struct ModelArchive: Sendable {
    /// A `meta_*` scalar: an integer (written `<i8`) or a real number (written `<f8`).
    public enum MetaValue: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
        case integer(Int)
        case real(Double)

        public init(integerLiteral value: Int) { self = .integer(value) }
        public init(floatLiteral value: Double) { self = .real(value) }

        /// The value as a real number.
        public var double: Double {
            switch self { case .integer(let v): Double(v); case .real(let v): v }
        }

        var array: NumPyArray {
            switch self { case .integer(let v): NumPyArray(int: v); case .real(let v): NumPyArray(doubles: [v], shape: []) }
        }
    }

    /// Which model the arrays describe (`model_type`).
    public var kind: ModelKind
    /// `kind`'s name as written in the file (`model_type`).
    public var modelType: String { kind.rawValue }
    /// The states of the last axes of `h` and `J` (`alphabet`).
    public var alphabet: Alphabet
    /// h: (L, q) fields.
    public var fields: Tensor
    /// J: (L, L, q, q) couplings; nil for a PSSM.
    public var couplings: Tensor?
    /// The focus (query) sequence's name, its letters over the model's L columns, and each column's
    /// residue number in the focus (negative where the focus has a gap).
    public var focusName: String
    public var focusSequence: String
    public var residueNumbers: [Int]

    /// The model column holding focus residue `residue` (> 0); nil where no column does (a focus
    /// gap's column carries a negative number, which names no residue).
    public func column(ofResidue residue: Int) -> Int? { residue > 0 ? residueNumbers.firstIndex(of: residue) : nil }

    /// "first–last" of the focus residues the model's columns hold, for messages.
    public var residueRange: String {
        let numbered = residueNumbers.filter { $0 > 0 }
        return "\(numbered.min() ?? 0)–\(numbered.max() ?? 0)"
    }

    /// Scalar metadata, written as 0-d arrays named `meta_<key>`.
    public var metadata: [(String, MetaValue)]
    /// Model-specific arrays kept as they are (e.g. the Gaussian's `mu`, `precision_diagonal`).
    public var extras: [(String, NumPyArray)] = []

    public init(kind: ModelKind, alphabet: Alphabet, fields: Tensor, couplings: Tensor?, focusName: String,
                focusSequence: String, residueNumbers: [Int], metadata: [(String, MetaValue)]) {
        self.kind = kind; self.alphabet = alphabet; self.fields = fields; self.couplings = couplings
        self.focusName = focusName; self.focusSequence = focusSequence; self.residueNumbers = residueNumbers
        self.metadata = metadata
    }

    /// L, the number of columns.
    public var length: Int { fields.shape[0] }

    /// The focus sequence, its name and numbering, and `fields`/`couplings` in `msa`'s alphabet.
    public init(kind: ModelKind, msa: MultipleSequenceAlignment, fields: Tensor, couplings: Tensor?, metadata: [(String, MetaValue)]) {
        self.init(kind: kind, alphabet: msa.alphabet, fields: fields, couplings: couplings, focusName: msa.names[msa.focus],
                  focusSequence: msa.focusSequence, residueNumbers: msa.residueNumbers, metadata: metadata)
        basePairs = msa.basePairs
    }

    /// The alignment's consensus secondary structure (`base_pairs`, (K, 2) int64, 0-based model
    /// columns i < j; absent when the alignment gave none): a contact truth for RNA families.
    public var basePairs: [BasePair] {
        get { (try? extra("base_pairs")?.ints()).map { v in stride(from: 0, to: v.count - 1, by: 2).map { BasePair(v[$0], v[$0 + 1]) } } ?? [] }
        set {
            extras.removeAll { $0.0 == "base_pairs" }
            if !newValue.isEmpty { extras.append(("base_pairs", NumPyArray(ints: newValue.flatMap { [$0.i, $0.j] }, shape: [newValue.count, 2]))) }
        }
    }

    /// Writes the archive as `.npz` (atomically; an existing file only with `overwrite`). h and J
    /// are streamed from the tensors (`NPZStreamWriter`): at L = 1000 a copy of J is 1.76 GB.
    public func write(to path: String, overwrite: Bool) throws {
        var a = NPZArchive()
        // h and J hold their place in the entry order; their bytes come from the tensors below.
        let placeholder = NumPyArray(floats: [], shape: [0])
        a["model_type"] = NumPyArray(string: modelType)
        a["alphabet"] = NumPyArray(string: alphabet.string)
        a["h"] = placeholder
        if couplings != nil { a["J"] = placeholder }
        a["focus_name"] = NumPyArray(string: focusName)
        a["focus_sequence"] = NumPyArray(string: focusSequence)
        a["residue_numbers"] = NumPyArray(ints: residueNumbers, shape: [residueNumbers.count])
        for (k, v) in metadata { a["meta_" + k] = v.array }
        for (k, v) in extras { a[k] = v }
        try NPZStreamWriter.write(to: path, overwrite: overwrite) { npz in
            for (name, array) in a.entries {
                if name == "h" && array.shape == [0] { try npz.add(name, fields) }
                else if name == "J" && array.shape == [0], let couplings { try npz.add(name, couplings) }
                else { try npz.add(name, array) }
            }
        }
    }

    /// Reads a model written by `seqgen fit`. Any other `.npz` is refused by what it is: "a CNN
    /// model; `need`", "a DNA dataset, not a model", or "not a seqgen model" with its arrays.
    /// `need` says what the calling command accepts (e.g. "contacts needs a Potts, Gaussian or
    /// attention model").
    public static func read(_ path: String, need: String = "this command needs a model from `seqgen fit` (Potts, PSSM, Gaussian, attention or ArDCA)") throws -> ModelArchive {
        let a = try NPZArchive.read(path)
        do {
            guard let typeArray = a["model_type"] else {
                let names = a.entries.map(\.name)
                if ["X_train", "x_train", "train_in"].contains(where: names.contains) || names.contains("x") && names.contains("y") {
                    throw FileIOError(path: path, "a DNA dataset, not a model; \(need)")
                }
                if names.contains("fingerprint") && names.contains("kind") {
                    throw FileIOError(path: path, "a checkpoint, not a model (continue the fit with --resume); \(need)")
                }
                throw FileIOError(path: path, "not a seqgen model (no 'model_type' array; it holds \(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : "")); \(need)")
            }
            let type = try typeArray.string()
            guard let kind = ModelKind(rawValue: type) else {
                let kind = type == "cnn" ? "a CNN model (from `seqgen cnn train`)" : "a '\(type)' model"
                throw FileIOError(path: path, "\(kind); \(need)")
            }
            let letters = try a.require("alphabet", in: path).string()
            guard let alphabet = Alphabet.states(letters) else {
                throw FileIOError(path: path, "unknown alphabet '\(letters)'")
            }
            let h = try a.require("h", in: path).tensor()
            guard h.rank == 2, h.shape[1] == alphabet.size else { throw FileIOError(path: path, "h has shape \(h.shape), expected (L, \(alphabet.size))") }
            let j = try a["J"].map { try $0.tensor() }
            if let j, j.shape != [h.shape[0], h.shape[0], alphabet.size, alphabet.size] {
                throw FileIOError(path: path, "J has shape \(j.shape), expected (L, L, q, q) = \([h.shape[0], h.shape[0], alphabet.size, alphabet.size])")
            }
            let numbers = try a.require("residue_numbers", in: path).ints()
            let focus = try a.require("focus_sequence", in: path).string()
            guard numbers.count == h.shape[0], focus.count == h.shape[0] else {
                throw FileIOError(path: path, "focus sequence / numbering do not match L = \(h.shape[0])")
            }
            let meta: [(String, MetaValue)] = try a.entries.filter { $0.name.hasPrefix("meta_") }.map { e in
                guard e.array.count == 1, !e.array.double(at: 0).isNaN || e.array.dtype == .float32 || e.array.dtype == .float64 else {
                    throw FileIOError(path: path, "\(e.name) is not a number (\(e.array.dtype.descr), shape \(e.array.shape))")
                }
                switch e.array.dtype {
                case .float32, .float64: return (String(e.name.dropFirst(5)), .real(e.array.double(at: 0)))
                default: return (String(e.name.dropFirst(5)), .integer(try e.array.ints()[0]))
                }
            }
            guard h.isFinite, j?.isFinite ?? true else { throw FileIOError(path: path, "model contains NaN or infinite parameters") }
            var archive = ModelArchive(kind: kind, alphabet: alphabet, fields: h, couplings: j,
                                       focusName: try a["focus_name"]?.string() ?? "", focusSequence: focus,
                                       residueNumbers: numbers, metadata: meta)
            let known: Set<String> = ["model_type", "alphabet", "h", "J", "focus_name", "focus_sequence", "residue_numbers"]
            archive.extras = a.entries.filter { !known.contains($0.name) && !$0.name.hasPrefix("meta_") }.map { ($0.name, $0.array) }
            if let pairs = a["base_pairs"] {
                let v = try pairs.ints(), l = h.shape[0]
                let columns = v.filter { $0 >= 0 && $0 < l }
                guard pairs.shape.count == 2, pairs.shape[1] == 2, columns.count == v.count, Set(v).count == v.count,
                      stride(from: 0, to: v.count, by: 2).allSatisfy({ v[$0] < v[$0 + 1] }) else {
                    throw FileIOError(path: path, "base_pairs must be (K, 2) pairs i < j of distinct columns 0…\(l - 1), each column in one pair at most")
                }
            }
            return archive
        } catch let e as NumPyError {
            throw FileIOError(path: path, e.problem)
        }
    }

    /// The metadata value `meta_<key>` as a number (integers converted), whichever encoding the file used.
    public func meta(_ key: String) -> Double? { metadata.first { $0.0 == key }?.1.double }
    /// The model-specific array `key` (e.g. `mu`), nil when absent.
    public func extra(_ key: String) -> NumPyArray? { extras.first { $0.0 == key }?.1 }
}
