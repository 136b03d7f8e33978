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

    /// Activations (N, F, L′) of the first block — layers up to and including the first
    /// activation after the first convolution.
    public static func firstBlock(_ model: CNNModel, x: Tensor, batchSize: Int = 250) throws -> (Tensor, Conv1D) {
        let layers = model.network.layers
        guard let c = layers.firstIndex(where: { $0 is Conv1D }), let conv = layers[c] as? Conv1D else {
            throw FilterError(description: "the model has no convolution layer")
        }
        let a = layers[c...].firstIndex(where: { $0 is Activation }) ?? c
        let block = Array(layers[...a])
        var out: [Float] = []
        var shape: [Int] = []
        let n = x.shape[0], width = x.count / Swift.max(n, 1)
        var start = 0
        while start < n {
            let end = Swift.min(n, start + batchSize)
            var h = Variable(Tensor(shape: [end - start] + Array(x.shape.dropFirst()), scalars: Array(x.scalars[(start * width)..<(end * width)])))
            for layer in block { h = layer(h, training: false) }
            out += h.value.scalars
            shape = [n] + Array(h.shape.dropFirst())
            start = end
        }
        return (Tensor(shape: shape, scalars: out), conv)
    }

    public struct FilterError: Error, CustomStringConvertible { public let description: String }

    public static func motifs(_ model: CNNModel, x: Tensor, threshold: Float = 0.5, namePrefix: String = "filter") throws -> Result {
        let (act, conv) = try firstBlock(model, x: x)
        let (n, f, lOut) = (act.shape[0], act.shape[1], act.shape[2])
        let w = conv.weight.shape[2], pad = conv.geometry.padding, l = x.shape[2]
        var maxima = [Float](repeating: -.infinity, count: f)
        for s in 0..<n { for k in 0..<f { for p in 0..<lOut { maxima[k] = Swift.max(maxima[k], act.scalars[(s * f + k) * lOut + p]) } } }
        var motifs: [Motif] = []
        for k in 0..<f {
            var counts = [[Double]](repeating: [0, 0, 0, 0], count: w)
            var sites = 0
            if maxima[k] > 0 {
                let cut = threshold * maxima[k]
                for s in 0..<n { for p in 0..<lOut where act.scalars[(s * f + k) * lOut + p] > cut {
                    sites += 1
                    for j in 0..<w {
                        let i = p - pad + j
                        if i < 0 || i >= l { for b in 0..<4 { counts[j][b] += 0.25 } }
                        else { for b in 0..<4 { counts[j][b] += Double(x.scalars[(s * 4 + b) * l + i]) } }
                    }
                } }
            }
            if sites == 0 { counts = [[Double]](repeating: [1, 1, 1, 1], count: w) }
            motifs.append(Motif(id: "\(namePrefix)\(k)", name: "", matrix: counts, sites: Double(sites)))
        }
        return Result(motifs: motifs, maxActivation: maxima)
    }
}
