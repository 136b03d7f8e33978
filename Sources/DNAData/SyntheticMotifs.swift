import Motifs
import Tensors

/// Synthetic regulatory sequences with known answers, after the benchmarks of Koo & Eddy (2019)
/// and Koo & Ploenzke (2021): i.i.d. uniform background (0.25 per base), k motif instances per
/// sequence (k uniform in `motifsPerSequence`), each sampled base by base from its PWM on a random
/// strand and placed at random non-overlapping positions (random gaps between instances).
/// - `.multi`: one task per motif in `motifs`; a sequence's labels are 1 for every motif it contains.
/// - `.code`: one binary task; positives carry motifs drawn from `motifs` (the core set), negatives
///   motifs drawn from `decoys` (a wider background pool that excludes the core).
/// Alongside x and y it records the ground truth (N, 4, L): the PWM column behind each embedded
/// base (strand-corrected) and 0.25 elsewhere, which the interpretability scores read.
public struct SyntheticMotifs: Sendable {
    public enum Task: String, Sendable, CaseIterable { case multi, code }

    /// The published motif sets (JASPAR 2016 CORE vertebrates names).
    public static let multiNames = ["Arid3a", "CEBPB", "FOSL1", "GABPA", "MAFK", "MAX", "MEF2A", "NFYB", "SP1", "SRF", "STAT1", "YY1"]
    public static let codeCore = ["SP1", "GABPA", "CEBPB", "MAX", "YY1"]
    /// Decoys for `.code`: the multi-task motifs outside the core.
    public static var codeDecoys: [String] { multiNames.filter { !codeCore.contains($0) } }

    public var task: Task
    public var motifs: [Motif]
    public var decoys: [Motif]
    public var count: Int
    public var length: Int
    public var motifsPerSequence: ClosedRange<Int>
    public var validFraction = 0.1, testFraction = 0.2
    public var seed: UInt64

    public init(task: Task, motifs: [Motif], decoys: [Motif] = [], count: Int, length: Int = 200,
                motifsPerSequence: ClosedRange<Int> = 1...5, seed: UInt64 = 0) {
        self.task = task; self.motifs = motifs; self.decoys = decoys; self.count = count; self.length = length
        self.motifsPerSequence = motifsPerSequence; self.seed = seed
    }

    /// Picks the named motifs (case-insensitive names) from a motif file's list, in the given order.
    public static func select(_ names: [String], from all: [Motif]) throws -> [Motif] {
        try names.map { name in
            guard let m = all.first(where: { $0.name.lowercased() == name.lowercased() }) else {
                throw SyntheticError(description: "motif '\(name)' is not in the motif file")
            }
            return m
        }
    }

    public struct SyntheticError: Error, CustomStringConvertible { public let description: String }

    /// Checks that the requested motifs fit in a sequence.
    public func validate() throws {
        guard !motifs.isEmpty else { throw SyntheticError(description: "no motifs given") }
        guard task == .multi || !decoys.isEmpty else { throw SyntheticError(description: "the code task needs decoy motifs") }
        guard count >= 10 else { throw SyntheticError(description: "need at least 10 sequences") }
        guard motifsPerSequence.lowerBound >= 1 else { throw SyntheticError(description: "at least one motif per sequence") }
        guard validFraction >= 0, testFraction >= 0, validFraction + testFraction < 1 else { throw SyntheticError(description: "bad split fractions") }
        let widest = (motifs + decoys).map(\.width).max() ?? 0
        guard widest * motifsPerSequence.upperBound <= length else {
            throw SyntheticError(description: "\(motifsPerSequence.upperBound) motifs of width up to \(widest) do not fit in \(length) bases")
        }
    }

    public func generate() throws -> DNASplits {
        try validate()
        var rng = RandomGenerator(seed: seed)
        let l = length
        let tasks = task == .multi ? motifs.count : 1
        var x = [Float](repeating: 0, count: count * 4 * l)
        var truth = [Float](repeating: 0.25, count: count * 4 * l)
        var y = [Float](repeating: 0, count: count * tasks)
        let pwms = (motifs + decoys).map { $0.probabilities(pseudocount: 0) }
        for n in 0..<count {
            // Which motifs: multi draws from all motifs; code draws positives from the core and
            // negatives from the decoys (alternating classes keeps the classes balanced).
            let k = motifsPerSequence.lowerBound + rng.int(below: motifsPerSequence.count)
            let positive = task == .multi || n % 2 == 0
            let pool = task == .multi || positive ? Array(0..<motifs.count) : Array(motifs.count..<(motifs.count + decoys.count))
            let chosen = (0..<k).map { _ in pool[rng.int(below: pool.count)] }
            // Non-overlapping placement: split the free bases into k + 1 random gaps.
            let widths = chosen.map { pwms[$0].count }
            let free = l - widths.reduce(0, +)
            var cuts = (0..<k).map { _ in rng.int(below: free + 1) }
            cuts.sort()
            var position = 0, previousCut = 0
            var starts: [Int] = []
            for (c, w) in zip(cuts, widths) { position += c - previousCut; previousCut = c; starts.append(position); position += w }
            // Background, then motifs over it.
            var bases = (0..<l).map { _ in rng.int(below: 4) }
            for (m, start) in zip(chosen, starts) {
                let reverse = rng.uniform() < 0.5
                let pwm = reverse ? pwms[m].reversed().map { [$0[3], $0[2], $0[1], $0[0]] } : pwms[m]
                for (offset, column) in pwm.enumerated() {
                    bases[start + offset] = RandomGenerator.sample(column, uniform: rng.uniformDouble())
                    for b in 0..<4 { truth[(n * 4 + b) * l + start + offset] = Float(column[b]) }
                }
                if task == .multi { y[n * tasks + m] = 1 }
            }
            if task == .code { y[n] = positive ? 1 : 0 }
            for (i, b) in bases.enumerated() { x[(n * 4 + b) * l + i] = 1 }
        }
        let all = DNADataset(x: Tensor(shape: [count, 4, l], scalars: x), y: Tensor(shape: [count, tasks], scalars: y),
                             groundTruth: Tensor(shape: [count, 4, l], scalars: truth))
        let order = rng.permutation(count)
        let nValid = Int(Double(count) * validFraction), nTest = Int(Double(count) * testFraction)
        let nTrain = count - nValid - nTest
        return DNASplits(train: all.subset(Array(order[0..<nTrain])), valid: all.subset(Array(order[nTrain..<(nTrain + nValid)])),
                         test: all.subset(Array(order[(nTrain + nValid)...])),
                         taskNames: task == .multi ? motifs.map(\.name) : ["code"])
    }
}

extension RandomGenerator {
    /// Index drawn from the probability vector `p` given a uniform draw u ∈ [0, 1).
    static func sample(_ p: [Double], uniform u: Double) -> Int {
        let total = p.reduce(0, +)
        var acc = 0.0
        for (k, v) in p.enumerated() { acc += v / total; if u < acc { return k } }
        return p.count - 1
    }
}
