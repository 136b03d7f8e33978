/// Attribution maps of N one-hot DNA sequences of length L in the form TF-MoDISco reads them
/// (Shrikumar et al. 2018, arXiv:1811.00416):
/// - hypothetical contributions h[n][i][b] — what base b at position i would contribute: the
///   attribution map centred per position over the four bases, h = a − ¼ Σ_b a_b (for a gradient
///   map this is the gradient correction of Majdandzic & Koo; for an ISM map, whose observed base
///   is 0, it makes the observed base's entry −¼ Σ Δf, positive where mutations hurt);
/// - the one-hot sequence x[n][i][b];
/// - the actual contribution of a position c[n][i] = Σ_b h[n][i][b] x[n][i][b].
/// Stored position-major, (N, L, 4), bases A, C, G, T.
public struct ContributionMaps: Sendable {
    public let count: Int, length: Int
    /// h: (N, L, 4).
    public private(set) var hypothetical: [Float]
    /// x: (N, L, 4).
    public private(set) var onehot: [Float]

    /// From an attribution map and the one-hot sequences, both (N, 4, L) (`channelsFirst`, the
    /// layout of `seqgen cnn attribute`) or both (N, L, 4). `hypothetical`: the map holds
    /// hypothetical contributions already (DeepLIFT's, TF-MoDISco's `hyp_scores`) and is kept as it is.
    public init(attributions a: [Float], onehot x: [Float], count n: Int, length l: Int, channelsFirst: Bool = true, hypothetical given: Bool = false) {
        precondition(a.count == n * 4 * l && x.count == n * 4 * l, "maps and sequences must both be N × 4 × L")
        count = n; length = l
        var h = [Float](repeating: 0, count: n * l * 4), o = h
        for s in 0..<n {
            for i in 0..<l {
                var column: [Float] = [0, 0, 0, 0]
                for b in 0..<4 {
                    let k = channelsFirst ? (s * 4 + b) * l + i : (s * l + i) * 4 + b
                    column[b] = a[k]
                    o[(s * l + i) * 4 + b] = x[k]
                }
                let mean = given ? 0 : (column[0] + column[1] + column[2] + column[3]) / 4
                for b in 0..<4 { h[(s * l + i) * 4 + b] = column[b] - mean }
            }
        }
        hypothetical = h; onehot = o
    }

    /// c[n][·]: the actual contribution of each position of sequence n.
    public func contributions(_ n: Int) -> [Float] {
        (0..<length).map { i in
            let k = (n * length + i) * 4
            return (0..<4).reduce(Float(0)) { $0 + hypothetical[k + $1] * onehot[k + $1] }
        }
    }

    /// A width × 4 window of `values` (hypothetical or one-hot) of sequence n covering positions
    /// origin ..< origin + width, read on the forward strand, or on the reverse strand (column j =
    /// position origin + width − 1 − j, bases complemented: A↔T, C↔G). Positions outside the
    /// sequence read 0.
    static func window(_ values: [Float], sequence n: Int, length l: Int, origin: Int, width: Int, reverse: Bool) -> [Float] {
        var out = [Float](repeating: 0, count: width * 4)
        for j in 0..<width {
            let p = reverse ? origin + width - 1 - j : origin + j
            guard p >= 0, p < l else { continue }
            let k = (n * l + p) * 4
            for b in 0..<4 { out[j * 4 + b] = values[k + (reverse ? 3 - b : b)] }
        }
        return out
    }

    func hypotheticalWindow(_ n: Int, origin: Int, width: Int, reverse: Bool) -> [Float] {
        ContributionMaps.window(hypothetical, sequence: n, length: length, origin: origin, width: width, reverse: reverse)
    }

    func onehotWindow(_ n: Int, origin: Int, width: Int, reverse: Bool) -> [Float] {
        ContributionMaps.window(onehot, sequence: n, length: length, origin: origin, width: width, reverse: reverse)
    }
}
