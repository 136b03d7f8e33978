import Tensors
import Sequences
import Potts
import FileIO

/// GREMLIN's MRF text file (`gremlin_cpp -mrf_o FILE`, `Mrf::save` in sokrypton/GREMLIN_CPP): one
/// line per kept column `V[i] v_i(0) … v_i(q−1)`, then one line per pair i < j
/// `W[i][j] w_ij(0,0) w_ij(0,1) … w_ij(q−1,q−1)` (a major), space-separated, i and j the 0-based
/// columns of the alignment (columns GREMLIN dropped for gaps have no lines). States in GREMLIN's
/// order: protein `ARNDCQEGHILKMFPSTWYV-` (q = 21, as CCMpred), RNA `AUCG-` (q = 5). Reading: L is
/// the alignment's column count where it is known (`columns`), else the largest column index + 1
/// (so columns GREMLIN dropped at the end are lost); a column without a `V` line gets zero fields
/// and couplings (a dropped column has no parameters). Writing uses 9 significant digits (`%.9g`, exact for
/// float32; GREMLIN's own writer keeps C++'s default 6), so a round trip is exact.
public enum GremlinMRF {
    static let proteinOrder = "ARNDCQEGHILKMFPSTWYV-"
    static let rnaOrder = "AUCG-"

    public static func read(_ path: String, columns: Int? = nil) throws -> ModelArchive {
        let reader = try CompressedReader(path: path)
        var fields: [Int: [Float]] = [:]
        var pairs: [(Int, Int, [Float], Int)] = []
        var q: Int?
        while let line = try reader.readLine() {
            let n = reader.lineNumber
            if line.allSatisfy(\.isWhitespace) { continue }
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let tag = f[0]
            let values = try f.dropFirst().map { field -> Float in
                guard let v = Float(field) else { throw ModelFormatError(path: path, line: n, "'\(field)' is not a number") }
                return v
            }
            let indices = tag.split(whereSeparator: { $0 == "[" || $0 == "]" }).dropFirst().map { Int($0) }
            if tag.hasPrefix("V[") {
                guard indices.count == 1, let i = indices[0], i >= 0, i < 100_000 else { throw ModelFormatError(path: path, line: n, "bad tag '\(tag)', expected V[i]") }
                guard q == nil || q == values.count else { throw ModelFormatError(path: path, line: n, "\(values.count) fields, expected \(q!) as on the first V line") }
                guard values.count == 21 || values.count == 5 else {
                    throw ModelFormatError(path: path, line: n, "\(values.count) fields on a V line: GREMLIN's protein models have 21 states, RNA models 5")
                }
                guard fields[i] == nil else { throw ModelFormatError(path: path, line: n, "V[\(i)] appears twice") }
                q = values.count; fields[i] = values
            } else if tag.hasPrefix("W[") {
                guard let q else { throw ModelFormatError(path: path, line: n, "a W line before any V line") }
                guard indices.count == 2, let i = indices[0], let j = indices[1], i >= 0, i < j else {
                    throw ModelFormatError(path: path, line: n, "bad tag '\(tag)', expected W[i][j] with i < j")
                }
                guard values.count == q * q else { throw ModelFormatError(path: path, line: n, "\(values.count) couplings, expected q² = \(q * q)") }
                pairs.append((i, j, values, n))
            } else {
                throw ModelFormatError(path: path, line: n, "expected a V[i] or W[i][j] line, found '\(tag.prefix(20))'")
            }
        }
        guard let q, let last = fields.keys.max() else { throw ModelFormatError(path: path, "no V[i] lines: not a GREMLIN MRF file") }
        if let columns, last >= columns {
            throw ModelFormatError(path: path, "V[\(last)] names column \(last + 1), beyond the alignment's \(columns) columns")
        }
        let l = columns ?? last + 1
        let (alphabet, letters) = q == 21 ? (Alphabet.protein, proteinOrder) : (Alphabet.rna, rnaOrder)
        let code = letters.map { Int(alphabet.code(of: $0)!) }
        let qs = alphabet.size
        var h = Tensor(zeros: [l, qs]), jt = Tensor(zeros: [l, l, qs, qs])
        for (i, v) in fields { for a in 0..<q { h.scalars[i * qs + code[a]] = v[a] } }
        for (i, j, v, n) in pairs {
            guard j < l, fields[i] != nil, fields[j] != nil else { throw ModelFormatError(path: path, line: n, "W[\(i)][\(j)] names a column without a V line") }
            for a in 0..<q { for b in 0..<q {
                jt.scalars[Couplings.index(i, j, code[a], code[b], length: l, states: qs)] = v[a * q + b]
                jt.scalars[Couplings.index(j, i, code[b], code[a], length: l, states: qs)] = v[a * q + b]
            } }
        }
        return ModelArchive(kind: .potts, alphabet: alphabet, fields: h, couplings: jt,
                            focusName: "gremlin:" + (path.split(separator: "/").last.map(String.init) ?? path),
                            focusSequence: String(repeating: "-", count: l), residueNumbers: Array(1...l), metadata: [])
    }

    /// Writes a protein or RNA Potts model: every column, every pair i < j.
    public static func write(_ model: ModelArchive, to path: String, overwrite: Bool) throws {
        guard let couplings = model.couplings else { throw ModelFormatError(path: path, "a GREMLIN MRF needs couplings; this is a \(model.modelType) model") }
        let letters: String
        switch model.alphabet {
        case .protein: letters = proteinOrder
        case .rna: letters = rnaOrder
        default: throw ModelFormatError(path: path, "GREMLIN MRF files hold protein or RNA models, not \(model.alphabet.name) (\(model.alphabet.string))")
        }
        let code = letters.map { Int(model.alphabet.code(of: $0)!) }
        let (l, q) = (model.length, code.count)
        var out = ""
        for i in 0..<l {
            out += "V[\(i)]"
            for a in 0..<q { out += " " + formatted(model.fields.scalars[i * q + code[a]], digits: 9) }
            out += "\n"
        }
        for i in 0..<l { for j in (i + 1)..<l {
            out += "W[\(i)][\(j)]"
            for a in 0..<q { for b in 0..<q {
                out += " " + formatted(couplings.scalars[Couplings.index(i, j, code[a], code[b], length: l, states: q)], digits: 9)
            } }
            out += "\n"
        } }
        try AtomicFile.write(out, to: path, overwrite: overwrite)
    }
}
