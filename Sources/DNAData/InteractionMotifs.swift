import Motifs
import Tensors

/// A synthetic task whose label depends on a motif *pair* at a planted spacing — the test bed for
/// CNN + attention hybrids and GIA spacing experiments. Every sequence carries one instance of
/// motif A and one of motif B (each sampled base by base from its PWM, forward strand, B after A)
/// on an i.i.d. uniform background:
/// - positives: B starts exactly `spacing` bases after A ends;
/// - negatives: the gap is uniform over the gaps 0…(L − w_A − w_B) at least `margin` away from
///   `spacing`.
/// Either motif alone therefore carries no information; only the pair at its spacing does. The
/// pair's start is uniform over the positions where it fits. Classes alternate (balanced); ground
/// truth as in `SyntheticMotifs` (the PWM column behind each motif base; `truthTask` 0 on both
/// motifs). 70/10/20% splits.
public struct InteractionMotifs: Sendable {
    public var first: Motif, second: Motif
    public var spacing: Int
    public var count: Int
    public var length: Int
    public var margin: Int
    public var seed: UInt64
    public var validFraction = 0.1, testFraction = 0.2

    public init(first: Motif, second: Motif, spacing: Int, count: Int, length: Int = 200, margin: Int = 5, seed: UInt64 = 0) {
        self.first = first; self.second = second; self.spacing = spacing; self.count = count
        self.length = length; self.margin = margin; self.seed = seed
    }

    /// The largest gap that fits: L − w_A − w_B.
    public var maximumGap: Int { length - first.width - second.width }

    /// Gaps a negative may have.
    public var negativeGaps: [Int] { maximumGap < 0 ? [] : (0...maximumGap).filter { Swift.abs($0 - spacing) >= margin } }

    public func validate() throws {
        guard count >= 10 else { throw SyntheticMotifs.SyntheticError(description: "--count: need at least 10 sequences") }
        guard maximumGap >= 0 else { throw SyntheticMotifs.SyntheticError(description: "motifs of widths \(first.width) and \(second.width) do not fit in --length \(length) bases") }
        guard spacing >= 0, spacing <= maximumGap else {
            throw SyntheticMotifs.SyntheticError(description: "--spacing \(spacing) must be in 0…\(maximumGap) (the gap that fits between the two motifs in --length \(length) bases)")
        }
        guard !negativeGaps.isEmpty else {
            throw SyntheticMotifs.SyntheticError(description: "no gap in 0…\(maximumGap) is \(margin) or more away from --spacing \(spacing), as negatives need; use a longer --length")
        }
    }

    public func generate() throws -> DNASplits {
        try validate()
        var rng = RandomGenerator(seed: seed)
        let l = length
        let pwms = [first, second].map { $0.probabilities(pseudocount: 0) }
        let gaps = negativeGaps
        var x = [Float](repeating: 0, count: count * 4 * l)
        var truth = [Float](repeating: 0.25, count: count * 4 * l)
        var truthTask = [Float](repeating: -1, count: count * l)
        var y = [Float](repeating: 0, count: count)
        for n in 0..<count {
            let positive = n % 2 == 0
            let gap = positive ? spacing : gaps[rng.int(below: gaps.count)]
            let span = first.width + gap + second.width
            let start = rng.int(below: l - span + 1)
            var bases = (0..<l).map { _ in rng.int(below: 4) }
            for (pwm, offset) in [(pwms[0], start), (pwms[1], start + first.width + gap)] {
                for (j, column) in pwm.enumerated() {
                    bases[offset + j] = RandomGenerator.sample(column, uniform: rng.uniformDouble())
                    for b in 0..<4 { truth[(n * 4 + b) * l + offset + j] = Float(column[b]) }
                    truthTask[n * l + offset + j] = 0
                }
            }
            y[n] = positive ? 1 : 0
            for (i, b) in bases.enumerated() { x[(n * 4 + b) * l + i] = 1 }
        }
        let all = DNADataset(x: Tensor(shape: [count, 4, l], scalars: x), y: Tensor(shape: [count, 1], scalars: y),
                             groundTruth: Tensor(shape: [count, 4, l], scalars: truth),
                             truthTask: Tensor(shape: [count, l], scalars: truthTask))
        let order = rng.permutation(count)
        let nValid = Int(Double(count) * validFraction), nTest = Int(Double(count) * testFraction)
        let nTrain = count - nValid - nTest
        return DNASplits(train: all.subset(Array(order[0..<nTrain])), valid: all.subset(Array(order[nTrain..<(nTrain + nValid)])),
                         test: all.subset(Array(order[(nTrain + nValid)...])), taskNames: ["interaction"])
    }
}
