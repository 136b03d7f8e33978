#if canImport(Glibc)
import Glibc
#endif
import Contacts
import Structures
import FileIO

/// Logistic regression over heads (Rao et al. 2020): P(contact i,j) = σ(w·s_ij + b), s_ij the
/// per-head APC scores (`AttentionContacts.headMaps`), fitted on one family's pairs with
/// |i − j| ≥ `minimumSeparation` whose truth is known, L2 penalty λ‖w‖² (Rao et al. use L1 over 20
/// families; with one family an L2 penalty keeps every head's weight small), by Newton's method
/// (the problem is convex and has ≤ a few dozen features).
///
/// `table` / `init(table:path:)` read and write it as CSV: `#` comment lines, the header
/// `head,weight`, one `layer.head,w` row per head in `labels` order, then `bias,b`.
public struct HeadRegression: Sendable, Equatable {
    /// "layer.head" labels of the heads, in `weights` order.
    public var labels: [String]
    public var weights: [Double]
    public var bias: Double

    public init(labels: [String], weights: [Double], bias: Double) {
        precondition(labels.count == weights.count, "one label per weight")
        self.labels = labels; self.weights = weights; self.bias = bias
    }

    public static func fit(heads maps: [ContactMap], labels: [String], truth: ContactTruth, minimumSeparation: Int = 6, lambda: Double = 0.1) -> HeadRegression {
        let l = maps[0].length, k = maps.count
        var x: [[Double]] = [], y: [Double] = []
        for i in 0..<l { for j in (i + minimumSeparation)..<Swift.max(l, i + minimumSeparation) {
            guard let c = truth.isContact(i, j) else { continue }
            x.append(maps.map { Double($0[i, j]) } + [1]); y.append(c ? 1 : 0)
        } }
        var w = [Double](repeating: 0, count: k + 1)
        for _ in 0..<25 {
            var g = [Double](repeating: 0, count: k + 1)
            var hess = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k + 1)
            for (xi, yi) in zip(x, y) {
                let z = zip(w, xi).reduce(0) { $0 + $1.0 * $1.1 }
                let p = 1 / (1 + exp(-z))
                for a in 0...k { g[a] += (p - yi) * xi[a]; for b in 0...k { hess[a][b] += p * (1 - p) * xi[a] * xi[b] } }
            }
            for a in 0..<k { g[a] += 2 * lambda * w[a]; hess[a][a] += 2 * lambda }
            hess[k][k] += 1e-9
            guard let step = solve(hess, g) else { break }
            for a in 0...k { w[a] -= step[a] }
            if step.reduce(0, { $0 + $1 * $1 }) < 1e-16 { break }
        }
        return HeadRegression(labels: labels, weights: Array(w[0..<k]), bias: w[k])
    }

    /// The logit w·s_ij + b for every pair.
    public func predict(_ maps: [ContactMap]) -> ContactMap {
        let l = maps[0].length
        var s = [Float](repeating: 0, count: l * l)
        for i in 0..<l { for j in 0..<l where i != j {
            s[i * l + j] = Float(bias + zip(weights, maps).reduce(0) { $0 + $1.0 * Double($1.1[i, j]) })
        } }
        return ContactMap(length: l, scores: s)
    }

    /// The CSV text, `comments` first (each line prefixed with "# ").
    public func table(comments: [String] = []) -> String {
        var t = comments.map { "# " + $0 + "\n" }.joined() + "head,weight\n"
        for (label, w) in zip(labels, weights) { t += "\(label),\(w)\n" }
        return t + "bias,\(bias)\n"
    }

    /// Reads `table`'s CSV; `path` is named in errors, with the line.
    public init(table text: String, path: String) throws {
        var labels: [String] = [], weights: [Double] = [], bias: Double?, sawHeader = false
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " }) || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0.filter { $0 != " " }) }
            guard sawHeader else {
                guard fields == ["head", "weight"] else { throw LanguageModelError(path: path, line: n + 1, "expected the header 'head,weight', found '\(line)'") }
                sawHeader = true; continue
            }
            guard fields.count == 2, let value = Double(fields[1]), value.isFinite else {
                throw LanguageModelError(path: path, line: n + 1, "expected 'layer.head,weight' or 'bias,value' with a finite number, found '\(line)'")
            }
            guard bias == nil else { throw LanguageModelError(path: path, line: n + 1, "rows after the 'bias' row") }
            if fields[0] == "bias" { bias = value; continue }
            let parts = fields[0].split(separator: ".")
            guard parts.count == 2, parts.allSatisfy({ Int($0).map { $0 >= 1 } ?? false }) else {
                throw LanguageModelError(path: path, line: n + 1, "'\(fields[0])' is not a head label (layer.head, 1-based)")
            }
            guard !labels.contains(fields[0]) else { throw LanguageModelError(path: path, line: n + 1, "head \(fields[0]) is listed twice") }
            labels.append(fields[0]); weights.append(value)
        }
        guard sawHeader else { throw LanguageModelError(path: path, "no 'head,weight' table") }
        guard let bias else { throw LanguageModelError(path: path, "no 'bias' row") }
        guard !labels.isEmpty else { throw LanguageModelError(path: path, "no head rows") }
        self.init(labels: labels, weights: weights, bias: bias)
    }

    /// Reads the table from a file.
    public static func read(_ path: String) throws -> HeadRegression {
        try HeadRegression(table: try CompressedReader.readText(path, what: "head regression"), path: path)
    }

    /// Gaussian elimination with partial pivoting.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a, v = b
        for c in 0..<n {
            guard let p = (c..<n).max(by: { Swift.abs(m[$0][c]) < Swift.abs(m[$1][c]) }), Swift.abs(m[p][c]) > 1e-300 else { return nil }
            m.swapAt(c, p); v.swapAt(c, p)
            for r in (c + 1)..<n {
                let f = m[r][c] / m[c][c]
                for k in c..<n { m[r][k] -= f * m[c][k] }
                v[r] -= f * v[c]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            x[r] = (v[r] - ((r + 1)..<n).reduce(0) { $0 + m[r][$1] * x[$1] }) / m[r][r]
        }
        return x
    }
}
