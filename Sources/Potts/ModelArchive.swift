import Tensors
import NumPyIO
import FileIO
import Sequences

/// A fitted model as an `.npz` file that numpy opens directly:
///   model_type  'potts' | 'pssm'
///   h           (L, q) float32 fields
///   J           (L, L, q, q) float32 couplings, J[i,j,a,b] == J[j,i,b,a] (Potts only)
///   alphabet    byte string, state order of the last axes ('ACDEFGHIKLMNPQRSTVWY-')
///   focus_name, focus_sequence   byte strings; residue_numbers (L,) int64 (negative = focus gap)
///   metadata    numbers: identity threshold, Neff, λs, iterations, objective, threads …
public struct ModelArchive: Sendable {
    public var modelType: String
    public var alphabet: Alphabet
    public var fields: Tensor
    public var couplings: Tensor?
    public var focusName: String
    public var focusSequence: String
    public var residueNumbers: [Int]
    /// Scalar metadata, written as 0-d float64 arrays named `meta_<key>`.
    public var metadata: [(String, Double)]
    /// Model-specific arrays kept as they are (e.g. the Gaussian's `mu`, `precision_diagonal`).
    public var extras: [(String, NumPyArray)] = []

    public init(modelType: String, alphabet: Alphabet, fields: Tensor, couplings: Tensor?, focusName: String,
                focusSequence: String, residueNumbers: [Int], metadata: [(String, Double)]) {
        self.modelType = modelType; self.alphabet = alphabet; self.fields = fields; self.couplings = couplings
        self.focusName = focusName; self.focusSequence = focusSequence; self.residueNumbers = residueNumbers
        self.metadata = metadata
    }

    public var length: Int { fields.shape[0] }

    public var pottsModel: PottsModel? {
        couplings.map { PottsModel(alphabet: alphabet, fields: fields, couplings: $0) }
    }

    public func write(to path: String, overwrite: Bool) throws {
        var a = NPZArchive()
        a["model_type"] = NumPyArray(string: modelType)
        a["alphabet"] = NumPyArray(string: alphabet.string)
        a["h"] = NumPyArray(fields)
        if let couplings { a["J"] = NumPyArray(couplings) }
        a["focus_name"] = NumPyArray(string: focusName)
        a["focus_sequence"] = NumPyArray(string: focusSequence)
        a["residue_numbers"] = NumPyArray(ints: residueNumbers, shape: [residueNumbers.count])
        for (k, v) in metadata { a["meta_" + k] = NumPyArray(doubles: [v], shape: []) }
        for (k, v) in extras { a[k] = v }
        try a.write(to: path, overwrite: overwrite)
    }

    /// Model types `seqgen fit` writes, which `read` accepts.
    public static let sequenceModelTypes = ["potts", "pssm", "gaussian", "attention"]

    /// Reads a model written by `seqgen fit`. Any other `.npz` is refused by what it is: "a CNN
    /// model; `need`", "a DNA dataset, not a model", or "not a seqgen model" with its arrays.
    /// `need` says what the calling command accepts (e.g. "contacts needs a Potts, Gaussian or
    /// attention model").
    public static func read(_ path: String, need: String = "this command needs a model from `seqgen fit` (Potts, PSSM, Gaussian or attention)") throws -> ModelArchive {
        let a = try NPZArchive.read(path)
        do {
            guard let typeArray = a["model_type"] else {
                let names = a.entries.map(\.name)
                if names.contains("X_train") || names.contains("x") && names.contains("y") {
                    throw FileIOError(path: path, "a DNA dataset, not a model; \(need)")
                }
                if names.contains("fingerprint") && names.contains("kind") {
                    throw FileIOError(path: path, "a checkpoint, not a model (continue the fit with --resume); \(need)")
                }
                throw FileIOError(path: path, "not a seqgen model (no 'model_type' array; it holds \(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : "")); \(need)")
            }
            let type = try typeArray.string()
            guard sequenceModelTypes.contains(type) else {
                let kind = type == "cnn" ? "a CNN model (from `seqgen cnn train`)" : "a '\(type)' model"
                throw FileIOError(path: path, "\(kind); \(need)")
            }
            let letters = try a.require("alphabet", in: path).string()
            guard let alphabet = [Alphabet.protein, .dna].first(where: { $0.string == letters }) else {
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
            let meta = try a.entries.filter { $0.name.hasPrefix("meta_") }.map { (String($0.name.dropFirst(5)), $0.array.double(at: 0)) }
            guard h.isFinite, j?.isFinite ?? true else { throw FileIOError(path: path, "model contains NaN or infinite parameters") }
            var archive = ModelArchive(modelType: type, alphabet: alphabet, fields: h, couplings: j,
                                       focusName: try a["focus_name"]?.string() ?? "", focusSequence: focus,
                                       residueNumbers: numbers, metadata: meta)
            let known: Set<String> = ["model_type", "alphabet", "h", "J", "focus_name", "focus_sequence", "residue_numbers"]
            archive.extras = a.entries.filter { !known.contains($0.name) && !$0.name.hasPrefix("meta_") }.map { ($0.name, $0.array) }
            return archive
        } catch let e as NumPyError {
            throw FileIOError(path: path, e.problem)
        }
    }

    public func meta(_ key: String) -> Double? { metadata.first { $0.0 == key }?.1 }
    public func extra(_ key: String) -> NumPyArray? { extras.first { $0.0 == key }?.1 }
}
