import Tensors
import Sequences

/// A Potts model with known couplings, for tests and the bundled example: weak random fields and,
/// on each planted pair (i, j), a coupling that rewards one partner residue per residue:
///   J_ij(a, π_ij(a)) = strength for a random permutation π_ij of the 20 amino acids, 0 elsewhere.
/// Pairs not planted have J = 0, so the planted pairs are exactly the true contacts.
public enum PlantedPotts {
    public static func model(length l: Int, pairs: [(Int, Int)], strength: Float = 1.6, fieldScale: Float = 0.5, seed: UInt64) -> PottsModel {
        let alphabet = Alphabet.protein
        let q = alphabet.size
        var rng = RandomGenerator(seed: seed)
        var h = [Float](repeating: 0, count: l * q)
        for i in 0..<l {
            for a in 0..<20 { h[i * q + a] = fieldScale * rng.normal() }
            h[i * q + 20] = -4              // gaps are rare
        }
        var j = [Float](repeating: 0, count: l * l * q * q)
        for (a0, b0) in pairs {
            precondition(a0 != b0 && a0 < l && b0 < l, "planted pair (\(a0), \(b0)) out of range")
            let perm = rng.permutation(20)
            for a in 0..<20 {
                j[((a0 * l + b0) * q + a) * q + perm[a]] = strength
                j[((b0 * l + a0) * q + perm[a]) * q + a] = strength
            }
        }
        return PottsModel(alphabet: alphabet, fields: Tensor(shape: [l, q], scalars: h), couplings: Tensor(shape: [l, l, q, q], scalars: j))
    }

    /// A protein-like contact topology on L sites: two α-helices (i, i+3) and (i, i+4) contacts,
    /// a β-hairpin ladder (antiparallel pairs), and helix–sheet packing contacts.
    public static func proteinLikeContacts(length l: Int) -> [(Int, Int)] {
        precondition(l >= 40, "the protein-like topology needs L ≥ 40")
        var pairs: [(Int, Int)] = []
        let helix1 = 2..<(l / 4), helix2 = (l / 4 + 4)..<(l / 2)
        for helix in [helix1, helix2] {
            for i in helix where i + 4 < helix.upperBound { pairs.append((i, i + 4)) }
            for i in stride(from: helix.lowerBound, to: helix.upperBound - 3, by: 2) { pairs.append((i, i + 3)) }
        }
        // β-hairpin: strand A ascending, strand B descending, turn in between.
        let a0 = l / 2 + 3, len = Swift.max(4, l / 8)
        let b1 = a0 + 2 * len + 2
        for k in stride(from: 0, to: len, by: 1) where b1 - k < l { pairs.append((a0 + k, b1 - k)) }
        // Packing of helix 1 against the sheet and helix 2.
        for k in stride(from: 0, to: Swift.min(helix1.count, len), by: 3) {
            pairs.append((helix1.lowerBound + k + 1, a0 + k))
            if helix2.lowerBound + k < helix2.upperBound { pairs.append((helix1.lowerBound + k, helix2.upperBound - 1 - k)) }
        }
        var seen = Set<Int>()
        return pairs.map { ($0.0 < $0.1 ? $0 : ($0.1, $0.0)) }.filter { seen.insert($0.0 * l + $0.1).inserted }
    }
}
