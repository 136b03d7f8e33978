#if canImport(Glibc)
import Glibc
#endif
import Contacts
import Structures
import Tensors

/// Attention maps as contact predictions (Rao et al. 2020, "Transformer protein language models
/// are unsupervised structure learners"): for each layer ℓ and head h, S = A + Aᵀ over the query's
/// residues, then APC (`ContactMap.apc`). The unsupervised prediction is the mean of the per-head
/// APC maps; `HeadRegression` learns a logistic combination of them on a family with a structure.
public enum AttentionContacts {
    /// Per (layer, head), in layer-major order: symmetrised, APC-corrected maps.
    public static func headMaps(_ model: ProteinLanguageModel, sequence: [UInt8]) -> [ContactMap] {
        let l = sequence.count
        return model.attentionMaps(sequence).flatMap { layer -> [ContactMap] in
            (0..<layer.shape[0]).map { h in
                var s = [Float](repeating: 0, count: l * l)
                for i in 0..<l { for j in 0..<l where i != j {
                    s[i * l + j] = layer.scalars[(h * l + i) * l + j] + layer.scalars[(h * l + j) * l + i]
                } }
                return ContactMap(length: l, scores: s).apc()
            }
        }
    }

    /// The mean of maps of equal length.
    public static func average(_ maps: [ContactMap]) -> ContactMap {
        let l = maps[0].length
        var s = [Float](repeating: 0, count: l * l)
        for m in maps { for k in 0..<(l * l) { s[k] += m.scores[k] } }
        return ContactMap(length: l, scores: s.map { $0 / Float(maps.count) })
    }

    /// "layer.head" labels (1-based) in `headMaps` order.
    public static func headLabels(layers: Int, heads: Int) -> [String] {
        (0..<layers).flatMap { l in (0..<heads).map { "\(l + 1).\($0 + 1)" } }
    }
}

/// Logistic regression over heads (Rao et al. 2020): P(contact i,j) = σ(w·s_ij + b), s_ij the
/// per-head APC scores, fitted on one family's pairs with |i − j| ≥ `minimumSeparation` whose
/// truth is known, L2 penalty λ‖w‖² (Rao et al. use L1 over 20 families; with one family an L2
/// penalty keeps every head's weight small), by Newton's method (the problem is convex and has
/// ≤ a few dozen features).
public struct HeadRegression: Sendable {
    public var weights: [Double]
    public var bias: Double

    public init(weights: [Double], bias: Double) { self.weights = weights; self.bias = bias }

    public static func fit(heads maps: [ContactMap], truth: ContactTruth, minimumSeparation: Int = 6, lambda: Double = 0.1) -> HeadRegression {
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
                let p = 1 / (1 + Foundation_exp(-z))
                for a in 0...k { g[a] += (p - yi) * xi[a]; for b in 0...k { hess[a][b] += p * (1 - p) * xi[a] * xi[b] } }
            }
            for a in 0..<k { g[a] += 2 * lambda * w[a]; hess[a][a] += 2 * lambda }
            hess[k][k] += 1e-9
            guard let step = solve(hess, g) else { break }
            for a in 0...k { w[a] -= step[a] }
            if step.reduce(0, { $0 + $1 * $1 }) < 1e-16 { break }
        }
        return HeadRegression(weights: Array(w[0..<k]), bias: w[k])
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

@inline(__always) func Foundation_exp(_ x: Double) -> Double { exp(x) }
