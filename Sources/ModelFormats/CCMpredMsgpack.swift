import Tensors
import Sequences
import Potts
import FileIO

/// CCMpred's MessagePack parameter file (`ccmpred -b FILE`, `write_raw_msgpack` in CCMpred's
/// io.c; read by CCMpred's Python tools): one map
///   "format": "ccm-1", "ncol": L,
///   "x_single": [L·20 float32]  — v_i(a), i major, a in CCMpred's order ARNDCQEGHILKMFPSTWYV,
///   "x_pair": {"i/j": {"i": i, "j": j, "x": [21·21 float32]}} for 0 ≤ i < j < L in order,
///             x[a·21 + b] = w_ij(a, b) over ARNDCQEGHILKMFPSTWYV-,
/// and, when CCMpred was built with JSON support, a first key "meta" (its run's metadata), which
/// is read past. States are permuted to seqgen's order exactly as for the raw text; values are
/// float32 as CCMpred writes them, so a round trip is exact. The writer gives the bytes CCMpred's
/// writer does (no "meta"), with msgpack-c's smallest encodings.
public enum CCMpredMsgpack {
    public static func read(_ path: String) throws -> ModelArchive {
        let data = try CompressedReader.readBytes(path)
        var reader = MessagePackReader(data, path: path)
        let root = try reader.read()
        guard reader.atEnd else { throw ModelFormatError(path: path, "\(data.count - reader.offset) bytes after the MessagePack map") }
        guard case .map = root else { throw ModelFormatError(path: path, "not a CCMpred MessagePack file: the top value is not a map") }
        guard root["format"] == .string("ccm-1") else {
            throw ModelFormatError(path: path, "not a CCMpred MessagePack file: 'format' is \(root["format"].map(Self.shown) ?? "missing"), expected \"ccm-1\"")
        }
        guard let ncol = root["ncol"]?.number, ncol >= 2, ncol == ncol.rounded(), ncol < 100_000 else {
            throw ModelFormatError(path: path, "'ncol' is missing or not a column count ≥ 2")
        }
        let l = Int(ncol)
        let order = try StateOrder(StateOrder.ccmpred, path: path)
        let qs = Alphabet.protein.size
        guard case .array(let single)? = root["x_single"], single.count == l * 20 else {
            throw ModelFormatError(path: path, "'x_single' must be an array of L·20 = \(l * 20) numbers")
        }
        var h = Tensor(zeros: [l, qs]), j = Tensor(zeros: [l, l, qs, qs])
        for i in 0..<l { for a in 0..<20 {
            guard let v = single[i * 20 + a].number else { throw ModelFormatError(path: path, "x_single[\(i * 20 + a)] is not a number") }
            h.scalars[i * qs + order.seqgenCode[a]] = Float(v)
        } }
        guard case .map(let pairs)? = root["x_pair"] else { throw ModelFormatError(path: path, "'x_pair' is missing or not a map") }
        guard pairs.count == l * (l - 1) / 2 else {
            throw ModelFormatError(path: path, "'x_pair' has \(pairs.count) pairs, expected L(L−1)/2 = \(l * (l - 1) / 2)")
        }
        var seen = Set<Int>()
        for (key, value) in pairs {
            guard let i = value["i"]?.number.map(Int.init), let k = value["j"]?.number.map(Int.init), 0 <= i, i < k, k < l else {
                throw ModelFormatError(path: path, "x_pair entry \(key) has no valid 'i' < 'j' below ncol = \(l)")
            }
            guard seen.insert(i * l + k).inserted else { throw ModelFormatError(path: path, "pair \(i)/\(k) appears twice in 'x_pair'") }
            guard case .array(let x)? = value["x"], x.count == 441 else { throw ModelFormatError(path: path, "pair \(i)/\(k): 'x' must hold 21·21 numbers") }
            for a in 0..<21 { for b in 0..<21 {
                guard let v = x[a * 21 + b].number else { throw ModelFormatError(path: path, "pair \(i)/\(k): x[\(a * 21 + b)] is not a number") }
                let (sa, sb) = (order.seqgenCode[a], order.seqgenCode[b])
                j.scalars[Couplings.index(i, k, sa, sb, length: l, states: qs)] = Float(v)
                j.scalars[Couplings.index(k, i, sb, sa, length: l, states: qs)] = Float(v)
            } }
        }
        return ModelArchive(kind: .potts, alphabet: .protein, fields: h, couplings: j,
                            focusName: "ccmpred:" + (path.split(separator: "/").last.map(String.init) ?? path),
                            focusSequence: String(repeating: "-", count: l), residueNumbers: Array(1...l), metadata: [])
    }

    static func shown(_ v: MessagePackValue) -> String {
        if case .string(let t) = v { return "\"\(t)\"" }
        return "\(v)"
    }

    /// The file's bytes for a protein Potts model (the gap's field is dropped: CCMpred has none).
    public static func encode(_ model: ModelArchive, path: String) throws -> [UInt8] {
        guard let couplings = model.couplings else { throw ModelFormatError(path: path, "a CCMpred file needs couplings; this is a \(model.modelType) model") }
        guard model.alphabet == .protein else { throw ModelFormatError(path: path, "CCMpred files hold protein models") }
        let order = try StateOrder(StateOrder.ccmpred, path: path)
        let l = model.length, qs = Alphabet.protein.size
        var single: [MessagePackValue] = []
        single.reserveCapacity(l * 20)
        for i in 0..<l { for a in 0..<20 { single.append(.float(model.fields.scalars[i * qs + order.seqgenCode[a]])) } }
        var pairs: [(MessagePackValue, MessagePackValue)] = []
        for i in 0..<l { for k in (i + 1)..<l {
            var x: [MessagePackValue] = []
            x.reserveCapacity(441)
            for a in 0..<21 { for b in 0..<21 {
                x.append(.float(couplings.scalars[Couplings.index(i, k, order.seqgenCode[a], order.seqgenCode[b], length: l, states: qs)]))
            } }
            pairs.append((.string("\(i)/\(k)"), .map([(.string("i"), .int(Int64(i))), (.string("j"), .int(Int64(k))), (.string("x"), .array(x))])))
        } }
        var w = MessagePackWriter()
        w.pack(.map([(.string("format"), .string("ccm-1")), (.string("ncol"), .int(Int64(l))),
                     (.string("x_single"), .array(single)), (.string("x_pair"), .map(pairs))]))
        return w.bytes
    }

    public static func write(_ model: ModelArchive, to path: String, overwrite: Bool) throws {
        try AtomicFile.write(try encode(model, path: path), to: path, overwrite: overwrite)
    }
}
