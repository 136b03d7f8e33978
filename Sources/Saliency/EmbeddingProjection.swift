import Tensors

/// Two-dimensional view of embeddings (N, d): the coordinates themselves when d ≤ 2, else their
/// projections on the first two principal axes (eigenvectors of the d × d covariance, by power
/// iteration with deflation from a fixed start, so the figure is deterministic; each axis' sign is
/// fixed so that its largest loading is positive).
public enum EmbeddingProjection {
    public static func plane(_ z: Tensor) -> (points: [(Double, Double)], explained: [Double]) {
        precondition(z.rank == 2)
        let (n, d) = (z.shape[0], z.shape[1])
        guard n > 0 else { return ([], []) }
        if d == 1 { return ((0..<n).map { (Double(z.scalars[$0]), 0) }, [1]) }
        var mean = [Double](repeating: 0, count: d)
        for r in 0..<n { for k in 0..<d { mean[k] += Double(z.scalars[r * d + k]) / Double(n) } }
        if d == 2 { return ((0..<n).map { (Double(z.scalars[$0 * 2]), Double(z.scalars[$0 * 2 + 1])) }, [1, 1]) }
        var c = [Double](repeating: 0, count: d * d)
        for r in 0..<n {
            for a in 0..<d {
                let xa = Double(z.scalars[r * d + a]) - mean[a]
                for b in 0..<d { c[a * d + b] += xa * (Double(z.scalars[r * d + b]) - mean[b]) / Double(n) }
            }
        }
        let total = (0..<d).reduce(0.0) { $0 + c[$1 * d + $1] }
        var axes: [[Double]] = [], values: [Double] = []
        for _ in 0..<2 {
            var v = (0..<d).map { 1 / Double($0 + 2) }
            var lambda = 0.0
            for _ in 0..<500 {
                var w = [Double](repeating: 0, count: d)
                for a in 0..<d { for b in 0..<d { w[a] += c[a * d + b] * v[b] } }
                let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 0 else { break }
                lambda = norm
                v = w.map { $0 / norm }
            }
            if let big = v.indices.max(by: { Swift.abs(v[$0]) < Swift.abs(v[$1]) }), v[big] < 0 { v = v.map { -$0 } }
            axes.append(v); values.append(lambda)
            for a in 0..<d { for b in 0..<d { c[a * d + b] -= lambda * v[a] * v[b] } }
        }
        let points = (0..<n).map { r -> (Double, Double) in
            var p = (0.0, 0.0)
            for k in 0..<d {
                let x = Double(z.scalars[r * d + k]) - mean[k]
                p.0 += x * axes[0][k]; p.1 += x * axes[1][k]
            }
            return p
        }
        return (points, values.map { total > 0 ? $0 / total : 0 })
    }
}
