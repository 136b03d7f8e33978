import Tensors
import FileIO
#if canImport(Glibc)
import Glibc
#endif

/// Symmetric L×L contact scores with zero diagonal.
public struct ContactMap: Sendable {
    /// Row-major L×L.
    public var scores: [Float]
    public let length: Int

    public init(length: Int, scores: [Float]) {
        precondition(scores.count == length * length, "scores must be L×L")
        self.length = length; self.scores = scores
    }

    public subscript(i: Int, j: Int) -> Float { scores[i * length + j] }

    /// S_ij = ‖J̃_ij‖_F over the states `block` (default: the 20 amino acids, gap excluded), where J̃_ij
    /// is the block double-centred (zero-sum gauge within the block: row and column means removed),
    /// or taken as stored when `centred` is false (plmc's CN score: every state, the fit's own gauge).
    /// couplings: (L, L, q, q) full symmetric tensor.
    public static func frobeniusNorms(couplings: Tensor, block given: Range<Int>? = nil, centred: Bool = true) -> ContactMap {
        let table = Couplings(couplings)
        let l = table.length, block = given ?? 0..<(table.states - 1)
        precondition(block.upperBound <= table.states, "state block \(block) exceeds q = \(table.states)")
        var s = [Float](repeating: 0, count: l * l)
        for i in 0..<l {
            for j in (i + 1)..<Swift.max(l, i + 1) {
                s[i * l + j] = table.blockNorm(i, j, states: block, centred: centred); s[j * l + i] = s[i * l + j]
            }
        }
        return ContactMap(length: l, scores: s)
    }

    /// Average product correction (Dunn et al. 2008): S_ij − S̄_i· S̄_·j / S̄, with means over j ≠ i.
    /// With `columns`, the means run over the columns it marks only and every score of a column it
    /// does not mark is 0 (EVcouplings' CN over the focus residues, where plmc drops the others).
    public func apc(columns: [Bool]? = nil) -> ContactMap {
        let l = length
        let keep = columns ?? [Bool](repeating: true, count: l)
        precondition(keep.count == l, "columns must mark each of the L columns")
        let n = keep.filter { $0 }.count
        guard n > 1 else { return columns == nil ? self : ContactMap(length: l, scores: [Float](repeating: 0, count: l * l)) }
        var rowMean = [Double](repeating: 0, count: l)
        var total = 0.0
        for i in 0..<l where keep[i] { for j in 0..<l where j != i && keep[j] { rowMean[i] += Double(self[i, j]) } }
        for i in 0..<l where keep[i] { total += rowMean[i]; rowMean[i] /= Double(n - 1) }
        total /= Double(n * (n - 1))
        var out = scores
        for i in 0..<l { for j in 0..<l {
            out[i * l + j] = i == j || !keep[i] || !keep[j] ? 0 : Float(Double(self[i, j]) - (total > 0 ? rowMean[i] * rowMean[j] / total : 0))
        } }
        return ContactMap(length: l, scores: out)
    }

    /// The score every pair i ≠ j shares, when they all share one (a model with no couplings), else nil.
    public var constantScore: Float? {
        guard length > 1 else { return nil }
        let first = self[0, 1]
        for i in 0..<length { for j in (i + 1)..<length where self[i, j] != first { return nil } }
        return first
    }

    public struct Pair: Sendable, Equatable {
        public var i: Int, j: Int, score: Float
    }

    /// Pairs i < j with |i − j| ≥ minimumSeparation, highest score first (ties: smaller i, then j).
    public func rankedPairs(minimumSeparation: Int = 1) -> [Pair] {
        var pairs: [Pair] = []
        for i in 0..<length { for j in (i + Swift.max(1, minimumSeparation))..<Swift.max(length, i + Swift.max(1, minimumSeparation)) {
            pairs.append(Pair(i: i, j: j, score: self[i, j]))
        } }
        return pairs.sorted { $0.score != $1.score ? $0.score > $1.score : ($0.i, $0.j) < ($1.i, $1.j) }
    }

    /// CCMpred's `.mat`: L lines of L tab-separated scores (shortest round-tripping decimal).
    /// `ccmpredExact` writes the bytes CCMpred's own writer does — every value as C's `%.20e`
    /// followed by a tab, then a newline (so each line ends in a tab) — for tools that compare
    /// files byte for byte. Both read back to the same Float scores.
    public func matText(ccmpredExact: Bool = false) -> String {
        guard ccmpredExact else {
            return (0..<length).map { i in (0..<length).map { j in String(self[i, j]) }.joined(separator: "\t") }.joined(separator: "\n") + "\n"
        }
        var out = ""
        var buffer = [CChar](repeating: 0, count: 64)
        for i in 0..<length {
            for j in 0..<length {
                let n = withVaList([Double(self[i, j])]) { args in buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress!, 64, "%.20e", args) } }
                out += String(decoding: buffer[0..<Int(n)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                out += "\t"
            }
            out += "\n"
        }
        return out
    }

    public static func readMat(_ path: String) throws -> ContactMap {
        let r = try CompressedReader(path: path)
        var rows: [[Float]] = []
        while let line = try r.readLine() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.isEmpty || line.hasPrefix("#") { continue }       // CCMpred's `#>META> {json}` record
            var row: [Float] = []
            for f in fields {
                guard let v = Float(f) else { throw FileIOError(path: path, line: r.lineNumber, "'\(f)' is not a number") }
                row.append(v)
            }
            rows.append(row)
        }
        guard !rows.isEmpty, rows.allSatisfy({ $0.count == rows.count }) else {
            throw FileIOError(path: path, "not a square score matrix (\(rows.count) rows of lengths \(Set(rows.map(\.count)).sorted()))")
        }
        return ContactMap(length: rows.count, scores: rows.flatMap { $0 })
    }
}
