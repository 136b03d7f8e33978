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
