/// BLOSUM62 (Henikoff & Henikoff 1992, the NCBI matrix, half-bit units) in the token order
/// ACDEFGHIKLMNPQRSTVWY, and an embedding initialisation built from it.
///
/// Prior (c): residues that substitute for each other start close. BLOSUM62 is symmetric, so
/// B = U Λ Uᵀ (Jacobi eigendecomposition); the rows of U_k |Λ_k|^{1/2} over the k leading
/// eigenvalues are k-dimensional residue coordinates whose inner products reproduce the positive
/// part of B as well as any rank-k map can. They are scaled to the s.d. of the random rows they
/// replace and fill the first k = min(D, 20) coordinates of the 20 amino-acid embeddings; other
/// tokens and coordinates keep their random initialisation.
public enum SubstitutionEmbedding {
    public static let blosum62: [[Float]] = [
        [4, 0, -2, -1, -2, 0, -2, -1, -1, -1, -1, -2, -1, -1, -1, 1, 0, 0, -3, -2],
        [0, 9, -3, -4, -2, -3, -3, -1, -3, -1, -1, -3, -3, -3, -3, -1, -1, -1, -2, -2],
        [-2, -3, 6, 2, -3, -1, -1, -3, -1, -4, -3, 1, -1, 0, -2, 0, -1, -3, -4, -3],
        [-1, -4, 2, 5, -3, -2, 0, -3, 1, -3, -2, 0, -1, 2, 0, 0, -1, -2, -3, -2],
        [-2, -2, -3, -3, 6, -3, -1, 0, -3, 0, 0, -3, -4, -3, -3, -2, -2, -1, 1, 3],
        [0, -3, -1, -2, -3, 6, -2, -4, -2, -4, -3, 0, -2, -2, -2, 0, -2, -3, -2, -3],
        [-2, -3, -1, 0, -1, -2, 8, -3, -1, -3, -2, 1, -2, 0, 0, -1, -2, -3, -2, 2],
        [-1, -1, -3, -3, 0, -4, -3, 4, -3, 2, 1, -3, -3, -3, -3, -2, -1, 3, -3, -1],
        [-1, -3, -1, 1, -3, -2, -1, -3, 5, -2, -1, 0, -1, 1, 2, 0, -1, -2, -3, -2],
        [-1, -1, -4, -3, 0, -4, -3, 2, -2, 4, 2, -3, -3, -2, -2, -2, -1, 1, -2, -1],
        [-1, -1, -3, -2, 0, -3, -2, 1, -1, 2, 5, -2, -2, 0, -1, -1, -1, 1, -1, -1],
        [-2, -3, 1, 0, -3, 0, 1, -3, 0, -3, -2, 6, -2, 0, 0, 1, 0, -3, -4, -2],
        [-1, -3, -1, -1, -4, -2, -2, -3, -1, -3, -2, -2, 7, -1, -2, -1, -1, -2, -4, -3],
        [-1, -3, 0, 2, -3, -2, 0, -3, 1, -2, 0, 0, -1, 5, 1, 0, -1, -2, -2, -1],
        [-1, -3, -2, 0, -3, -2, 0, -3, 2, -2, -1, 0, -2, 1, 5, -1, -1, -3, -3, -2],
        [1, -1, 0, 0, -2, 0, -1, -2, 0, -2, -1, 1, -1, 0, -1, 4, 1, -2, -3, -2],
        [0, -1, -1, -1, -2, -2, -2, -1, -1, -1, -1, 0, -1, -1, -1, 1, 5, 0, -2, -2],
        [0, -1, -3, -2, -1, -3, -3, 3, -2, 1, 1, -3, -2, -2, -3, -2, 0, 4, -3, -1],
        [-3, -2, -4, -3, 1, -2, -2, -3, -3, -2, -1, -4, -4, -2, -3, -3, -2, -3, 11, 2],
        [-2, -2, -3, -2, 3, -3, 2, -1, -2, -1, -1, -2, -3, -1, -2, -2, -2, -1, 2, 7],
    ]

    /// 20 × k residue coordinates U_k |Λ_k|^{1/2} (k leading eigenvalues by magnitude), each
    /// column scaled to unit mean square and then by `scale`.
    public static func coordinates(dimension k: Int, scale: Float) -> [[Float]] {
        let (values, vectors) = symmetricEigen(blosum62.map { $0.map(Double.init) })
        let order = values.indices.sorted { values[$0] > values[$1] }.prefix(Swift.min(k, 20))
        var out = [[Float]](repeating: [Float](repeating: 0, count: order.count), count: 20)
        for (c, e) in order.enumerated() {
            let column = (0..<20).map { vectors[$0][e] * Swift.abs(values[e]).squareRoot() }
            let rms = (column.reduce(0) { $0 + $1 * $1 } / 20).squareRoot()
            for a in 0..<20 { out[a][c] = Float(column[a] / Swift.max(rms, 1e-12)) * scale }
        }
        return out
    }

    /// Eigenvalues and eigenvectors (columns of the returned matrix) of a symmetric matrix by
    /// cyclic Jacobi rotations (exact to round-off for 20 × 20).
    static func symmetricEigen(_ m: [[Double]]) -> ([Double], [[Double]]) {
        let n = m.count
        var a = m
        var v = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in (i + 1)..<n { off += a[i][j] * a[i][j] } }
            if off < 1e-22 { break }
            for p in 0..<n { for q in (p + 1)..<n where Swift.abs(a[p][q]) > 1e-300 {
                let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (Swift.abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {
                    let (akp, akq) = (a[k][p], a[k][q])
                    a[k][p] = c * akp - s * akq; a[k][q] = s * akp + c * akq
                }
                for k in 0..<n {
                    let (apk, aqk) = (a[p][k], a[q][k])
                    a[p][k] = c * apk - s * aqk; a[q][k] = s * apk + c * aqk
                }
                for k in 0..<n {
                    let (vkp, vkq) = (v[k][p], v[k][q])
                    v[k][p] = c * vkp - s * vkq; v[k][q] = s * vkp + c * vkq
                }
            } }
        }
        return ((0..<n).map { a[$0][$0] }, v)
    }
}
