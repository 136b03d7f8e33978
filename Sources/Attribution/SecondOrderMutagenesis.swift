import Layers
import Tensors

/// Second-order in-silico mutagenesis over a window of one sequence: for every pair of positions
/// i < j in the window and alternative bases a ≠ x_i, b ≠ x_j, the epistatic term
///   ε(i, a; j, b) = Δf(i, a; j, b) − Δf(i, a) − Δf(j, b),
/// with Δf(·) = f(mutant) − f(x). ε is 0 for a model additive over positions (tested), and its
/// norm ‖ε(i, ·; j, ·)‖₂ over the 3 × 3 base pairs is the position × position interaction map.
/// Cost: 3W single and 9W(W − 1)/2 double mutants, in batches of `batchSize` inference passes.
public struct SecondOrderMutagenesis: Sendable {
    /// ε as (W, 4, W, 4), symmetric in (i, a) ↔ (j, b); 0 at observed bases and on i == j.
    public var epistasis: [Float]
    /// ‖ε(i, ·; j, ·)‖₂ as (W, W).
    public var norms: [Float]
    public var window: Range<Int>

    public var width: Int { window.count }
}

extension Attributor {
    /// Second-order ISM of sequence `n` of x (N, 4, L) over `window`.
    /// `progress(variants scored, variants)` after each batch of the 1 + 3W + 9·W(W−1)/2 variants.
    public func secondOrderMutagenesis(_ x: Tensor, sequence n: Int = 0, window: Range<Int>,
                                       progress: ((Int, Int) -> Void)? = nil) -> SecondOrderMutagenesis {
        let l = x.shape[2], w = window.count
        precondition(window.lowerBound >= 0 && window.upperBound <= l && w >= 1, "ism2 window out of range")
        let original = Array(x.scalars[(n * 4 * l)..<((n + 1) * 4 * l)])
        let observed = (0..<l).map { i in (0..<4).max { original[$0 * l + i] < original[$1 * l + i] }! }
        let inference = model.network.foldedForInference()
        func mutate(_ edits: [(Int, Int)]) -> [Float] {
            var s = original
            for (i, b) in edits { for c in 0..<4 { s[c * l + i] = c == b ? 1 : 0 } }
            return s
        }
        var variants: [[(Int, Int)]] = [[]]
        for i in window { for a in 0..<4 where a != observed[i] { variants.append([(i, a)]) } }
        for i in window { for j in window where j > i {
            for a in 0..<4 where a != observed[i] { for b in 0..<4 where b != observed[j] { variants.append([(i, a), (j, b)]) } }
        } }
        var f: [Float] = []
        f.reserveCapacity(variants.count)
        var start = 0
        while start < variants.count {
            let end = Swift.min(variants.count, start + batchSize)
            let batch = variants[start..<end].flatMap(mutate)
            f += scores(Tensor(shape: [end - start, 4, l], scalars: batch), inference: inference)
            start = end
            progress?(end, variants.count)
        }
        let f0 = f[0]
        var single = [Float](repeating: 0, count: w * 4)
        var k = 1
        for i in window { for a in 0..<4 where a != observed[i] { single[(i - window.lowerBound) * 4 + a] = f[k] - f0; k += 1 } }
        var eps = [Float](repeating: 0, count: w * 4 * w * 4)
        var norms = [Float](repeating: 0, count: w * w)
        for i in window { for j in window where j > i {
            let (ii, jj) = (i - window.lowerBound, j - window.lowerBound)
            var sq: Float = 0
            for a in 0..<4 where a != observed[i] { for b in 0..<4 where b != observed[j] {
                let e = f[k] - f0 - single[ii * 4 + a] - single[jj * 4 + b]
                k += 1
                eps[((ii * 4 + a) * w + jj) * 4 + b] = e
                eps[((jj * 4 + b) * w + ii) * 4 + a] = e
                sq += e * e
            } }
            norms[ii * w + jj] = sq.squareRoot(); norms[jj * w + ii] = sq.squareRoot()
        } }
        return SecondOrderMutagenesis(epistasis: eps, norms: norms, window: window)
    }
}
