#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors
import Sequences
import Potts
import FileIO

/// CCMpred's raw parameter text (`ccmpred -r FILE`): L lines of the 20 fields v_i(a) (the gap's
/// field is 0), then for each pair i < j a line `# i j` (0-based) and 21 lines of 21 couplings,
/// line a, column b = w_ij(a, b). States in CCMpred's order `ARNDCQEGHILKMFPSTWYV-`. Fields are
/// written with 9 significant digits (CCMpred's own `%g` keeps 6), couplings as CCMpred does (`%.20e`).
/// A last `#>META> {json}` line (CCMpred built with JSON support) is read past.
public enum CCMpredRaw {
    public static func read(_ path: String) throws -> ModelArchive {
        let reader = try CompressedReader(path: path)
        let order = try StateOrder(StateOrder.ccmpred, path: path)
        let qs = Alphabet.protein.size
        var fieldRows: [[Float]] = []
        var line = try reader.readLine()
        while let text = line, !text.hasPrefix("#") {
            if !text.allSatisfy(\.isWhitespace) {
                let v = try numbers(text, path: path, line: reader.lineNumber)
                guard v.count == 20 else { throw ModelFormatError(path: path, line: reader.lineNumber, "\(v.count) fields on a field line, expected 20") }
                fieldRows.append(v)
            }
            line = try reader.readLine()
        }
        let l = fieldRows.count
        guard l >= 2 else { throw ModelFormatError(path: path, "not a CCMpred raw file: \(l) field lines before the first '# i j'") }
        var h = Tensor(zeros: [l, qs]), j = Tensor(zeros: [l, l, qs, qs])
        for i in 0..<l { for a in 0..<20 { h.scalars[i * qs + order.seqgenCode[a]] = fieldRows[i][a] } }
        for i in 0..<l { for k in (i + 1)..<l {
            guard let header = line else { throw ModelFormatError(path: path, "ends before the couplings of pair (\(i), \(k)) (truncated)") }
            let f = header.split(separator: " ")
            guard f.count == 3, f[0] == "#", Int(f[1]) == i, Int(f[2]) == k else {
                throw ModelFormatError(path: path, line: reader.lineNumber, "expected '# \(i) \(k)', found '\(header)'")
            }
            for a in 0..<21 {
                guard let text = try reader.readLine() else { throw ModelFormatError(path: path, "ends inside pair (\(i), \(k)) (truncated)") }
                let v = try numbers(text, path: path, line: reader.lineNumber)
                guard v.count == 21 else { throw ModelFormatError(path: path, line: reader.lineNumber, "\(v.count) couplings, expected 21") }
                for b in 0..<21 {
                    let (sa, sb) = (order.seqgenCode[a], order.seqgenCode[b])
                    j.scalars[Couplings.index(i, k, sa, sb, length: l, states: qs)] = v[b]
                    j.scalars[Couplings.index(k, i, sb, sa, length: l, states: qs)] = v[b]
                }
            }
            line = try reader.readLine()
        } }
        // CCMpred built with JSON support ends the file with `#>META> {…}` (no newline): its run record.
        while let text = line, text.allSatisfy(\.isWhitespace) || text.hasPrefix("#>META>") { line = try reader.readLine() }
        if let extra = line {
            throw ModelFormatError(path: path, line: reader.lineNumber, "unexpected line after the last pair: '\(extra.prefix(40))'")
        }
        return ModelArchive(kind: .potts, alphabet: .protein, fields: h, couplings: j,
                            focusName: "ccmpred:" + (path.split(separator: "/").last.map(String.init) ?? path),
                            focusSequence: String(repeating: "-", count: l), residueNumbers: Array(1...l), metadata: [])
    }

    public static func write(_ model: ModelArchive, to path: String, overwrite: Bool) throws {
        guard let couplings = model.couplings else { throw ModelFormatError(path: path, "a CCMpred raw file needs couplings; this is a \(model.modelType) model") }
        guard model.alphabet == .protein else { throw ModelFormatError(path: path, "CCMpred files hold protein models") }
        let order = try StateOrder(StateOrder.ccmpred, path: path)
        let l = model.length, qs = Alphabet.protein.size
        var out = ""
        out.reserveCapacity(l * l * 21 * 21 * 14)
        for i in 0..<l {
            for a in 0..<20 { out += formatted(model.fields.scalars[i * qs + order.seqgenCode[a]], digits: 9) + "\t" }
            out += "\n"
        }
        for i in 0..<l { for k in (i + 1)..<l {
            out += "# \(i) \(k)\n"
            for a in 0..<21 {
                for b in 0..<21 { out += formatted(couplings.scalars[Couplings.index(i, k, order.seqgenCode[a], order.seqgenCode[b], length: l, states: qs)], digits: 21, exponent: true) + "\t" }
                out += "\n"
            }
        } }
        try AtomicFile.write(out, to: path, overwrite: overwrite)
    }

    static func numbers(_ text: String, path: String, line: Int) throws -> [Float] {
        try text.split(whereSeparator: { $0 == "\t" || $0 == " " }).map { field in
            guard let v = Float(field) else { throw ModelFormatError(path: path, line: line, "'\(field)' is not a number") }
            return v
        }
    }
}

/// `%.{digits}g` or `%.{digits-1}e` of a Float, as C's printf writes it.
func formatted(_ v: Float, digits: Int, exponent: Bool = false) -> String {
    let format = exponent ? "%.\(digits - 1)e" : "%.\(digits)g"
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([Double(v)]) { vsnprintf(&buffer, 64, format, $0) }
    return String(nulTerminated: buffer)
}
