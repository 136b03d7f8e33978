import FileIO
import Tensors
import Sequences
import Potts

/// plmc's binary parameter file (`plmc -o FILE`, read by EVcouplings' `CouplingsModel`), all
/// little-endian: int32 L, q, N, N_skipped, iterations; float32 θ, λ_h, λ_e, λ_g, Neff; q alphabet
/// bytes; N + N_skipped float32 sequence weights (0 for skipped sequences); L focus letters; L int32
/// residue numbers; then float32 f_i(a) (L·q), h_i(a) (L·q), f_ij(a,b) and e_ij(a,b) for i < j
/// (L(L−1)/2 · q² each, a major). Alphabet `-ACDEFGHIKLMNPQRSTVWY` by default, or the `-a` one
/// (`.ACGU` for RNA; `-` or `.` is the gap); without the gap under `-g` (gaps as missing data),
/// then seqgen's gap state gets h = 0 and J = 0.
public enum PlmcParameters {
    /// Reads a plmc parameter file as a seqgen Potts model in the file's alphabet (protein, RNA or
    /// custom; states permuted to seqgen's order).
    public static func read(_ path: String) throws -> ModelArchive {
        let data = try CompressedReader.readBytes(path)
        var r = ByteReader(data: data, path: path)
        let l = Int(try r.int32()), q = Int(try r.int32()), n = Int(try r.int32()), skipped = Int(try r.int32()), iterations = Int(try r.int32())
        guard l >= 1, l < 100_000, q >= 2, q <= Alphabet.maximumCustomLetters + 1, n >= 0, skipped >= 0 else {
            throw ModelFormatError(path: path, "not a plmc parameter file (L = \(l), q = \(q))")
        }
        let header = try (0..<5).map { _ in try r.float32() }
        let states = String(decoding: try r.bytes(q), as: UTF8.self)
        let alphabet = try StateOrder.alphabet(of: states, path: path)
        let order = try StateOrder(states, alphabet: alphabet, path: path)
        let expected = 20 + 20 + q + 4 * (n + skipped) + l + 4 * l + 4 * 2 * l * q + 4 * 2 * (l * (l - 1) / 2) * q * q
        guard data.count == expected else {
            throw ModelFormatError(path: path, "\(data.count) bytes, but a plmc file of L = \(l), q = \(q), N = \(n + skipped) has \(expected) (truncated or not plmc)")
        }
        r.skip(4 * (n + skipped))
        // Without a focus (`-f`) plmc writes its alphabet's first letter at every site: no sequence.
        let letters = try r.bytes(l)
        let focus = letters.allSatisfy({ $0 == states.utf8.first }) ? String(repeating: "-", count: l) : String(decoding: letters, as: UTF8.self)
        let numbers = try (0..<l).map { _ in Int(try r.int32()) }
        r.skip(4 * l * q)                                           // f_i
        let qs = alphabet.size
        var h = Tensor(zeros: [l, qs]), j = Tensor(zeros: [l, l, qs, qs])
        for i in 0..<l { for a in 0..<q { h.scalars[i * qs + order.seqgenCode[a]] = try r.float32() } }
        r.skip(4 * (l * (l - 1) / 2) * q * q)                       // f_ij
        for i in 0..<l { for k in (i + 1)..<max(l, i + 1) { for a in 0..<q { for b in 0..<q {
            let e = try r.float32(), (sa, sb) = (order.seqgenCode[a], order.seqgenCode[b])
            j.scalars[Couplings.index(i, k, sa, sb, length: l, states: qs)] = e
            j.scalars[Couplings.index(k, i, sb, sa, length: l, states: qs)] = e
        } } } }
        let meta: [(String, ModelArchive.MetaValue)] = [("sequences", .integer(n)), ("skipped_sequences", .integer(skipped)), ("iterations", .integer(iterations)),
                                        ("identity_threshold", .real(1 - Double(header[0]))), ("lambda_h", .real(Double(header[1]))),
                                        ("lambda_J", .real(Double(header[2]))), ("lambda_group", .real(Double(header[3]))), ("neff", .real(Double(header[4]))),
                                        ("gaps_as_missing", .integer(q < alphabet.size ? 1 : 0))]
        return ModelArchive(kind: .potts, alphabet: alphabet, fields: h, couplings: j, focusName: "plmc:" + (path.split(separator: "/").last.map(String.init) ?? path),
                            focusSequence: focus, residueNumbers: numbers, metadata: meta)
    }

    /// Writes a Potts model (any archive with couplings) as a plmc parameter file with the gap first:
    /// `-ACDEFGHIKLMNPQRSTVWY` for protein, `-` and the alphabet's states otherwise (`-ACGU`); a
    /// model with gaps as missing data without the gap, as `plmc -g` (`ACDEFGHIKLMNPQRSTVWY`). plmc's
    /// file also carries the alignment's weights and weighted marginals f_i, f_ij: they are computed
    /// from `alignment` (the one the model was fitted to) with the model's identity threshold.
    /// `weights`: the alignment's sequence weights at the model's identity threshold, when already computed.
    public static func write(_ model: ModelArchive, alignment msa: MultipleSequenceAlignment, weights given: [Float]? = nil, to path: String, overwrite: Bool) throws {
        guard let couplings = model.couplings else { throw ModelFormatError(path: path, "a plmc file needs couplings; this is a \(model.modelType) model") }
        let l = model.length
        guard msa.length == l else {
            throw ModelFormatError(path: path, "the alignment has \(msa.length) columns but the model \(l)")
        }
        guard msa.alphabet == model.alphabet else {
            throw ModelFormatError(path: path, "the alignment is read as \(msa.alphabet.name) (\(msa.alphabet.string)) but the model is \(model.alphabet.name) (\(model.alphabet.string)): give --alphabet")
        }
        guard model.alphabet.letters.last == UInt8(ascii: "-") else {          // DNA's last state is N
            throw ModelFormatError(path: path, "plmc files need a gap state; the \(model.alphabet.name) alphabet (\(model.alphabet.string)) has none")
        }
        // plmc numbers every column by a focus residue (it drops the focus's gap columns before fitting):
        // a gap there would be written as a negative residue number and a '-' in the target sequence.
        let focusGaps = model.focusSequence.enumerated().filter { $0.element == "-" || $0.element == "." }.map { $0.offset + 1 }
        guard focusGaps.isEmpty else {
            throw ModelFormatError(path: path, "the focus has a gap in \(focusGaps.count) of the model's columns (first: column \(focusGaps[0])); a plmc file numbers every column by a focus residue, as plmc drops such columns: fit an alignment whose focus has a residue in every column (A3M/A2M match columns, or another --focus)")
        }
        // A model fitted with gaps as missing data is written as `plmc -g` writes it: without the
        // gap state (its h and J are not parameters of the model, only zeros).
        let gapless = model.meta("gaps_as_missing") == 1
        let all = model.alphabet == .protein ? StateOrder.plmc : "-" + String(model.alphabet.string.dropLast())
        let order = try StateOrder(gapless ? String(all.dropFirst()) : all, alphabet: model.alphabet, path: path)
        let q = order.letters.count, qs = model.alphabet.size
        let identity = model.meta("identity_threshold") ?? 0.8
        let weights = given ?? SequenceWeights.compute(msa, identity: identity)
        let neff = SequenceWeights.effectiveCount(weights)
        var w = ByteWriter()
        for v in [l, q, msa.count, 0, Int(model.meta("iterations") ?? 0)] { w.int32(Int32(v)) }
        for v in [1 - identity, model.meta("lambda_h") ?? 0, model.meta("lambda_J") ?? 0, 0, neff] { w.float32(Float(v)) }
        w.bytes(order.letters)
        for x in weights { w.float32(x > 0 ? 1 / x : 0) }         // plmc stores the number of neighbours, 1 / weight
        w.bytes(Array(model.focusSequence.utf8.prefix(l)) + [UInt8](repeating: UInt8(ascii: "-"), count: max(0, l - model.focusSequence.utf8.count)))
        for v in model.residueNumbers { w.int32(Int32(v)) }
        // Weighted marginals over sequences (plmc: no pseudocount in the stored f_i, f_ij).
        var fi = [Double](repeating: 0, count: l * qs)
        var fij = [Double](repeating: 0, count: l * l * qs * qs)
        for s in 0..<msa.count {
            let ws = Double(weights[s]) / neff, row = Array(msa.row(s))
            for i in 0..<l {
                let a = Int(row[i]); fi[i * qs + a] += ws
                for k in (i + 1)..<max(l, i + 1) { fij[Couplings.index(i, k, a, Int(row[k]), length: l, states: qs)] += ws }
            }
        }
        for i in 0..<l { for a in 0..<q { w.float32(Float(fi[i * qs + order.seqgenCode[a]])) } }
        for i in 0..<l { for a in 0..<q { w.float32(model.fields.scalars[i * qs + order.seqgenCode[a]]) } }
        for i in 0..<l { for k in (i + 1)..<max(l, i + 1) { for a in 0..<q { for b in 0..<q {
            w.float32(Float(fij[Couplings.index(i, k, order.seqgenCode[a], order.seqgenCode[b], length: l, states: qs)]))
        } } } }
        for i in 0..<l { for k in (i + 1)..<max(l, i + 1) { for a in 0..<q { for b in 0..<q {
            w.float32(couplings.scalars[Couplings.index(i, k, order.seqgenCode[a], order.seqgenCode[b], length: l, states: qs)])
        } } } }
        try AtomicFile.write(w.data, to: path, overwrite: overwrite)
    }
}

/// Little-endian reads with a clear error at the end of the data.
struct ByteReader {
    let data: [UInt8], path: String
    var offset = 0
    init(data: [UInt8], path: String) { self.data = data; self.path = path }
    mutating func bytes(_ n: Int) throws -> [UInt8] {
        guard offset + n <= data.count else { throw ModelFormatError(path: path, "ends after \(data.count) bytes (truncated)") }
        defer { offset += n }
        return Array(data[offset ..< offset + n])
    }
    mutating func int32() throws -> Int32 {
        let b = try bytes(4)
        return Int32(bitPattern: UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24)
    }
    mutating func float32() throws -> Float { Float(bitPattern: UInt32(bitPattern: try int32())) }
    mutating func skip(_ n: Int) { offset += n }
}

struct ByteWriter {
    var data: [UInt8] = []
    mutating func bytes(_ b: [UInt8]) { data += b }
    mutating func int32(_ v: Int32) { let u = UInt32(bitPattern: v); data += [UInt8(u & 255), UInt8(u >> 8 & 255), UInt8(u >> 16 & 255), UInt8(u >> 24)] }
    mutating func float32(_ v: Float) { int32(Int32(bitPattern: v.bitPattern)) }
}
