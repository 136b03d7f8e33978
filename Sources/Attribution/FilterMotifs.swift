import Autodiff
import Layers
import Motifs
import RegulatoryCNN
import Tensors

/// First-layer filters as motifs (Koo & Eddy 2019): run sequences through the first convolution
/// block (convolution, BatchNorm, activation; inference mode), and for each filter k collect the
/// input windows (the filter's width, where its output position p reads input p − pad … p − pad +
/// w − 1) at every position whose activation exceeds `threshold` × the filter's largest activation
/// over the whole set; the windows' base counts are the filter's position frequency matrix
/// (positions past a sequence end count ¼ per base). A filter that never activates above 0 gets a
/// uniform matrix and 0 sites.
public enum FilterMotifs {
    public struct Result: Sendable {
        /// One motif per filter: counts (window × 4), `sites` = windows aligned.
        public var motifs: [Motif]
        /// Largest activation of each filter over the set.
        public var maxActivation: [Float]
    }

    /// The first block — the layers up to and including the first activation after the first
    /// convolution — and that convolution.
    public static func firstBlock(_ model: CNNModel) throws -> (block: Sequential, convolution: Conv1D) {
        let layers = model.network.layers
        guard let c = layers.firstIndex(where: { $0 is Conv1D }), let conv = layers[c] as? Conv1D else {
            throw FilterError(description: "the model has no convolution layer")
        }
        let a = layers[c...].firstIndex(where: { $0 is Activation }) ?? c
        return (Sequential(Array(layers[...a])), conv)
    }

    public struct FilterError: Error, CustomStringConvertible { public let description: String }

    /// The filters' motifs over the sequences `x` (N, 4, L), which go through the first block
    /// `batchSize` at a time, twice — once for each filter's largest activation, once for the
    /// windows above its cut — so memory holds one batch's activations whatever N.
    /// `progress(done, 2N)` after each batch of each pass.
    public static func motifs(_ model: CNNModel, x: Tensor, threshold: Float = 0.5, namePrefix: String = "filter",
                              batchSize: Int = 250, progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let (block, conv) = try firstBlock(model)
        let (n, l) = (x.shape[0], x.shape[2])
        let f = conv.weight.shape[0], w = conv.weight.shape[2], pad = conv.geometry.padding
        let batches = stride(from: 0, to: n, by: Swift.max(batchSize, 1)).map { $0..<Swift.min(n, $0 + batchSize) }
        func activations(_ rows: Range<Int>) -> Tensor {
            block(Variable(x.rows(rows)), training: false).value
        }
        var maxima = [Float](repeating: -.infinity, count: f)
        for rows in batches {
            let act = activations(rows)
            let lOut = act.shape[2]
            for s in 0..<rows.count { for k in 0..<f { for p in 0..<lOut { maxima[k] = Swift.max(maxima[k], act.scalars[(s * f + k) * lOut + p]) } } }
            progress?(rows.upperBound, 2 * n)
        }
        var counts = [[[Double]]](repeating: [[Double]](repeating: [0, 0, 0, 0], count: w), count: f)
        var sites = [Int](repeating: 0, count: f)
        for rows in batches {
            let act = activations(rows)
            let lOut = act.shape[2]
            for s in 0..<rows.count {
                let sequence = rows.lowerBound + s
                for k in 0..<f where maxima[k] > 0 {
                    let cut = threshold * maxima[k]
                    for p in 0..<lOut where act.scalars[(s * f + k) * lOut + p] > cut {
                        sites[k] += 1
                        for j in 0..<w {
                            let i = p - pad + j
                            if i < 0 || i >= l { for b in 0..<4 { counts[k][j][b] += 0.25 } }
                            else { for b in 0..<4 { counts[k][j][b] += Double(x.scalars[(sequence * 4 + b) * l + i]) } }
                        }
                    }
                }
            }
            progress?(n + rows.upperBound, 2 * n)
        }
        let motifs = (0..<f).map { k in
            Motif(id: "\(namePrefix)\(k)", name: "", matrix: sites[k] == 0 ? [[Double]](repeating: [1, 1, 1, 1], count: w) : counts[k],
                  sites: Double(sites[k]))
        }
        return Result(motifs: motifs, maxActivation: maxima)
    }
}
