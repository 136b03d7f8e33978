#if canImport(Glibc)
import Glibc
#endif
import DNAData
import Motifs
import Statistics
import Tensors

/// Global importance analysis (Koo, Majdandzic, Ploenzke, Anand & Paul 2021, PLoS Comput Biol):
/// the effect of a pattern is E_null[f(x with the pattern embedded) − f(x)] over null sequences x
/// that keep the data's low-order statistics but lose its motifs, reported as the mean over the
/// null set with its standard error sd / √n. Nulls: dinucleotide shuffles of (test) sequences,
/// sequences sampled from the data's per-position base profile, or uniform random sequences.
/// A pattern is a motif's consensus (one fixed sequence) or a fresh sample from its PWM for
/// every null sequence; an embedding overwrites the bases at its positions (either strand).
public struct GlobalImportance {
    public let attributor: Attributor

    public init(attributor: Attributor) { self.attributor = attributor }

    public enum Null: String, Sendable, CaseIterable { case dinucleotide, profile, uniform }

    public struct Effect: Sendable, Equatable {
        public var mean: Double, standardError: Double, count: Int
    }

    /// What is embedded where: a motif (A, C, G, T probabilities per position), sampled or its
    /// consensus, on the forward or reverse strand, starting at `position`.
    public struct Placement: Sendable {
        public var motif: [[Double]]
        public var position: Int
        public var reverse: Bool
        public init(motif: [[Double]], position: Int, reverse: Bool = false) { self.motif = motif; self.position = position; self.reverse = reverse }
    }

    /// `count` null sequences (count, 4, L) built from x (N, 4, L).
    public static func nullSequences(from x: Tensor, kind: Null, count: Int, using rng: inout RandomGenerator) -> Tensor {
        let (n, l) = (x.shape[0], x.shape[2])
        var out = [Float](repeating: 0, count: count * 4 * l)
        var profile = [[Double]](repeating: [0, 0, 0, 0], count: l)
        if kind == .profile {
            for s in 0..<n { for i in 0..<l { for b in 0..<4 { profile[i][b] += Double(x.scalars[(s * 4 + b) * l + i]) } } }
        }
        for k in 0..<count {
            let bases: [Int]
            switch kind {
            case .uniform: bases = (0..<l).map { _ in rng.int(below: 4) }
            case .profile: bases = (0..<l).map { i in RandomGenerator.sample(profile[i].map { $0 + 1e-9 }, uniform: rng.uniformDouble()) }
            case .dinucleotide:
                let s = k % Swift.max(n, 1)
                let seq = (0..<l).map { i in (0..<4).max { x.scalars[(s * 4 + $0) * l + i] < x.scalars[(s * 4 + $1) * l + i] }! }
                bases = DinucleotideShuffle.shuffle(seq, using: &rng)
            }
            for (i, b) in bases.enumerated() { out[(k * 4 + b) * l + i] = 1 }
        }
        return Tensor(shape: [count, 4, l], scalars: out)
    }

    /// The null set with `placements` embedded; sampled PWMs draw per sequence when `sample`.
    public static func embed(_ null: Tensor, _ placements: [Placement], sample: Bool, using rng: inout RandomGenerator) -> Tensor {
        var out = null
        let (count, l) = (null.shape[0], null.shape[2])
        for k in 0..<count {
            for p in placements {
                let columns = p.reverse ? p.motif.reversed().map { [$0[3], $0[2], $0[1], $0[0]] } : p.motif
                for (offset, column) in columns.enumerated() {
                    let i = p.position + offset
                    guard i >= 0 && i < l else { continue }
                    let b = sample ? RandomGenerator.sample(column, uniform: rng.uniformDouble())
                                   : column.indices.max { column[$0] < column[$1] || (column[$0] == column[$1] && $0 > $1) }!
                    for c in 0..<4 { out.scalars[(k * 4 + c) * l + i] = c == b ? 1 : 0 }
                }
            }
        }
        return out
    }

    /// Mean and standard error of f(embedded) − f(null) over the null set.
    public func effect(null: Tensor, placements: [Placement], sample: Bool = false, seed: UInt64 = 0) -> Effect {
        var rng = RandomGenerator(seed: seed)
        let with = attributor.scores(GlobalImportance.embed(null, placements, sample: sample, using: &rng))
        let without = attributor.scores(null)
        let d = zip(with, without).map { Double($0 - $1) }
        let n = Double(d.count)
        let (mean, variance) = meanAndSampleVariance(d) ?? (d.reduce(0, +) / n, 0)
        return Effect(mean: mean, standardError: (variance / n).squareRoot(), count: d.count)
    }
}
