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
        var j = Couplings(length: l, states: q)
        for (a0, b0) in pairs {
            precondition(a0 != b0 && a0 < l && b0 < l, "planted pair (\(a0), \(b0)) out of range")
            let perm = rng.permutation(20)
            for a in 0..<20 {
                j[a0, b0, a, perm[a]] = strength
                j[b0, a0, perm[a], a] = strength
            }
        }
        return PottsModel(alphabet: alphabet, fields: Tensor(shape: [l, q], scalars: h), couplings: j.tensor)
    }

    /// A protein-like contact topology on L ≥ 40 sites (positions scale with L; for L = 64):
    /// an α-helix at 2–14 with (i, i+3) and (i, i+4) contacts; a four-stranded β-sheet of strands
    /// S1 20–26, S2 30–36, S3 44–50, S4 54–60 with antiparallel S1–S2, S2–S3, S3–S4 ladders and a
    /// parallel S1–S4 ladder; and the helix packed against the sheet.
    public static func proteinLikeContacts(length l: Int) -> [(Int, Int)] {
        precondition(l >= 40, "the protein-like topology needs L ≥ 40")
        func at(_ k: Int) -> Int { k * l / 64 }
        var pairs: [(Int, Int)] = []
        let helix = 2..<at(15)
        for i in helix where i + 4 < helix.upperBound { pairs.append((i, i + 4)) }
        for i in helix where i + 3 < helix.upperBound { pairs.append((i, i + 3)) }
        let strand = Swift.max(4, at(7))
        let (s1, s2, s3, s4) = (at(20), at(30), at(44), at(54))
        for k in 0..<strand {
            pairs.append((s1 + k, s2 + strand - 1 - k))      // S1–S2 antiparallel
            pairs.append((s2 + k, s3 + strand - 1 - k))      // S2–S3 antiparallel
            if s4 + strand - 1 - k < l { pairs.append((s3 + k, s4 + strand - 1 - k)) }   // S3–S4 antiparallel
            if s4 + k < l { pairs.append((s1 + k, s4 + k)) }                               // S1–S4 parallel
        }
        for (k, h) in stride(from: helix.lowerBound + 1, to: helix.upperBound, by: 4).enumerated() {
            pairs.append((h, [s1, s2, s3, s4][k % 4] + strand / 2))                         // helix packing
        }
        var seen = Set<Int>()
        return pairs.map { ($0.0 < $0.1 ? $0 : ($0.1, $0.0)) }.filter { $0.0 != $0.1 && seen.insert($0.0 * l + $0.1).inserted }
    }
}
