import Autodiff
import Layers
import Tensors

/// Attention maps of a CNN + attention hybrid, taken from the forward pass itself.
///
/// For the k-th self-attention layer (`mhaH` in the layer list) of a model whose input is one-hot
/// DNA x: (N, 4, L), the map A: (N, H, P, P) holds A[n, h, i, j] = softmax_j(q_i · k_j / √d) for head
/// h, where P is the number of positions the layer sees (L after padding and pooling). The layers
/// before it run in inference mode (dropout off, BatchNorm folded, `foldedForInference`), exactly
/// as `CNNModel.predict` runs them, and the map is the one `SelfAttentionBlock.attend` returns — the
/// softmax computed by `Layers.MultiHeadAttention` for the prediction, not a copy of it. For a
/// reverse-complement-shared architecture the maps are those of the forward strand as given.
public struct AttentionMaps {
    public enum AttentionError: Error, CustomStringConvertible {
        case noAttentionLayer(architecture: String)
        case layerOutOfRange(layer: Int, count: Int)
        case lengthMismatch(model: Int, data: Int)
        public var description: String {
            switch self {
            case .noAttentionLayer(let a): return "the model has no self-attention layer (architecture '\(a)'; add `posenc mhaH` after the conv blocks)"
            case .layerOutOfRange(let k, let n): return "attention layer \(k) does not exist (the model has \(n); use 0..<\(n))"
            case .lengthMismatch(let m, let d): return "sequences of \(d) bp; the model expects \(m)"
            }
        }
    }

    /// Which input bases a position of a feature map depends on: position p covers input bases
    /// start(p) = stride·p + offset … start(p) + receptiveField − 1 (before clipping to 0..<L).
    /// Composition: a conv of width k, dilation d, stride s and padding q maps
    /// (stride, offset, rf) → (stride·s, offset − stride·q, rf + stride·d·(k − 1)); a max pool of
    /// size P and stride S maps it to (stride·S, offset, rf + stride·(P − 1)); other layers keep it.
    public struct Window: Sendable, Equatable {
        public var stride: Int, offset: Int, receptiveField: Int
        public init(stride: Int = 1, offset: Int = 0, receptiveField: Int = 1) {
            self.stride = stride; self.offset = offset; self.receptiveField = receptiveField
        }
        /// The input bases behind position p, clipped to 0..<length.
        public func bases(_ p: Int, length: Int) -> ClosedRange<Int> {
            let s = Swift.max(0, stride * p + offset), e = Swift.min(length - 1, stride * p + offset + receptiveField - 1)
            return s...Swift.max(s, e)
        }
    }

    public let model: CNNModel
    /// Indices in `network.layers` of the self-attention layers, in order.
    public let attentionLayers: [Int]

    public init(model: CNNModel) throws {
        self.model = model
        attentionLayers = model.network.layers.indices.filter { model.network.layers[$0] is SelfAttentionBlock }
        guard !attentionLayers.isEmpty else { throw AttentionError.noAttentionLayer(architecture: model.architecture.description) }
    }

    func check(_ layer: Int) throws {
        guard layer >= 0, layer < attentionLayers.count else { throw AttentionError.layerOutOfRange(layer: layer, count: attentionLayers.count) }
    }

    /// The input window of the positions seen by attention layer `layer`.
    public func window(layer: Int = 0) throws -> Window {
        try check(layer)
        var w = Window()
        for l in model.network.layers[..<attentionLayers[layer]] {
            if let conv = l as? Conv1D {
                let g = conv.geometry, k = conv.weight.shape[2]
                w = Window(stride: w.stride * g.stride, offset: w.offset - w.stride * g.padding, receptiveField: w.receptiveField + w.stride * g.dilation * (k - 1))
            } else if let pool = l as? MaxPool1D {
                w = Window(stride: w.stride * pool.stride, offset: w.offset, receptiveField: w.receptiveField + w.stride * (pool.size - 1))
            }
        }
        return w
    }

    /// Attention probabilities (N, H, P, P) of attention layer `layer` (0-based among the
    /// model's `mha` layers) for one-hot x: (N, 4, L), `batchSize` sequences at a time.
    public func maps(_ x: Tensor, layer: Int = 0, batchSize: Int = 200) throws -> Tensor {
        try check(layer)
        guard x.shape.count == 3, x.shape[2] == model.length else { throw AttentionError.lengthMismatch(model: model.length, data: x.shape.count == 3 ? x.shape[2] : 0) }
        // Fold the prefix up to and including the attention block: folding never crosses an
        // attention block, and its fixed copy computes the same map as the forward pass.
        let prefix = Sequential(Array(model.network.layers[...attentionLayers[layer]])).foldedForInference()
        guard let block = prefix.layers.last as? SelfAttentionBlock else { preconditionFailure("folding moved the attention block") }
        let before = Array(prefix.layers.dropLast())
        let n = x.shape[0]
        guard n > 0 else { return Tensor(shape: [0, block.heads, 0, 0], scalars: []) }
        var parts: [Tensor] = []
        for start in stride(from: 0, to: n, by: batchSize) {
            let rows = start..<Swift.min(n, start + batchSize)
            parts.append(noGrad {
                var h = Variable(x.rows(rows))
                for l in before { h = l(h, training: false) }
                return block.attend(h).attention.value
            })
        }
        let shape = parts[0].shape
        return Tensor(shape: [n] + Array(shape.dropFirst()), scalars: parts.flatMap(\.scalars))
    }
}
