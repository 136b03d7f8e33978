import Motifs
import Tensors

/// Synthetic regulatory sequences with known answers, after the benchmarks of Koo & Eddy (2019)
/// and Koo & Ploenzke (2021): i.i.d. uniform background (0.25 per base), k motif instances per
/// sequence (k uniform in `motifsPerSequence`), each sampled base by base from its PWM on a random
/// strand and placed at random non-overlapping positions (random gaps between instances).
/// - `.multi`: one task per motif in `motifs`; a sequence's labels are 1 for every motif it contains.
/// - `.code`: one binary task; positives carry motifs drawn from `motifs` (the core set), negatives
///   motifs drawn from `decoys` (`.uniform` recipe) or from core ∪ decoys (`.published`).
/// Alongside x and y it records the ground truth (N, 4, L): the PWM column behind each embedded
/// base (strand-corrected) and 0.25 elsewhere, which the interpretability scores read, and
/// `truthTask` (N, L): the task whose motif generated each position (−1: background or a decoy).
///
/// Recipes:
/// - `.uniform`: k uniform in `motifsPerSequence`; the free bases split into k + 1 gaps at k
///   uniform cut points; code negatives carry decoys only.
/// - `.published` (Koo & Ploenzke 2021, `task3_generate_synthetic_code_dataset.ipynb` of
///   p-koo/exponential_activations): k = 3…7 with probabilities 0.50, 0.25, 0.17, 0.05, 0.03;
///   gaps ∝ k + 1 draws from U(0, 2), rounded, redrawn until they fill the sequence exactly;
///   positives draw from the 5 core motifs × 2 strands (10 PWMs), negatives from those 10 plus 50
///   random JASPAR motifs × 2 strands (so a negative may carry a core motif, as published).
public struct SyntheticMotifs: Sendable {
    public enum Task: String, Sendable, CaseIterable { case multi, code }
    public enum Recipe: String, Sendable, CaseIterable { case published, uniform }

    /// Probabilities of 3, 4, 5, 6, 7 motifs per sequence in the published code task.
    public static let publishedCounts: [Double] = [0.50, 0.25, 0.17, 0.05, 0.03]
    /// Number of random JASPAR decoys of the published code task.
    public static let publishedDecoyCount = 50

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
    public var recipe: Recipe

    public init(task: Task, motifs: [Motif], decoys: [Motif] = [], count: Int, length: Int = 200,
                motifsPerSequence: ClosedRange<Int> = 1...5, recipe: Recipe = .uniform, seed: UInt64 = 0) {
        self.task = task; self.motifs = motifs; self.decoys = decoys; self.count = count; self.length = length
        self.motifsPerSequence = motifsPerSequence; self.recipe = recipe; self.seed = seed
    }

    /// The published code task: the 5 core motifs, `publishedDecoyCount` decoys drawn at random
    /// (seeded by `seed`) from the other motifs of `all` (names differing from every core name),
    /// 3–7 motifs per sequence.
    public static func publishedCode(from all: [Motif], core names: [String] = codeCore, count: Int = 20000,
                                     length: Int = 200, seed: UInt64 = 0) throws -> SyntheticMotifs {
        let core = try select(names, from: all)
        let lowered = Set(names.map { $0.lowercased() })
        let pool = all.filter { !lowered.contains($0.name.lowercased()) }
        guard pool.count >= publishedDecoyCount else {
            throw SyntheticError(description: "the published code task needs \(publishedDecoyCount) decoys; the motif file has \(pool.count) motifs outside the core")
        }
        var rng = RandomGenerator(seed: seed ^ 0xDEC0_15)
        let decoys = rng.permutation(pool.count).prefix(publishedDecoyCount).map { pool[$0] }
        return SyntheticMotifs(task: .code, motifs: core, decoys: Array(decoys), count: count, length: length,
                               motifsPerSequence: 3...7, recipe: .published, seed: seed)
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
        guard recipe == .uniform || motifsPerSequence == 3...7 else { throw SyntheticError(description: "the published recipe places 3-7 motifs per sequence") }
        guard validFraction >= 0, testFraction >= 0, validFraction + testFraction < 1 else { throw SyntheticError(description: "bad split fractions") }
        let widest = (motifs + decoys).map(\.width).max() ?? 0
        if recipe == .published {
            let narrowest = (motifs + decoys).map(\.width).min() ?? 0
            guard 3 * narrowest < length else { throw SyntheticError(description: "3 motifs of width \(narrowest) do not fit in \(length) bases") }
            return
        }
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
        var truthTask = [Float](repeating: -1, count: count * l)
        for n in 0..<count {
            // Which motifs: multi draws from all motifs; code draws positives from the core and
            // negatives from the decoys (published: core ∪ decoys); alternating classes keeps the
            // classes balanced.
            let positive = task == .multi || n % 2 == 0
            let pool: [Int]
            if task == .multi || positive { pool = Array(0..<motifs.count) }
            else if recipe == .published { pool = Array(0..<(motifs.count + decoys.count)) }
            else { pool = Array(motifs.count..<(motifs.count + decoys.count)) }
            var chosen: [Int], widths: [Int]
            switch recipe {
            case .uniform:
                let k = motifsPerSequence.lowerBound + rng.int(below: motifsPerSequence.count)
                chosen = (0..<k).map { _ in pool[rng.int(below: pool.count)] }
                widths = chosen.map { pwms[$0].count }
            case .published:   // redrawn until the motifs fit, as published
                repeat {
                    let k = 3 + RandomGenerator.sample(Self.publishedCounts, uniform: rng.uniformDouble())
                    chosen = (0..<k).map { _ in pool[rng.int(below: pool.count)] }
                    widths = chosen.map { pwms[$0].count }
                } while widths.reduce(0, +) >= l
            }
            let starts = recipe == .published ? Self.publishedStarts(widths: widths, length: l, using: &rng)
                                              : Self.uniformStarts(widths: widths, length: l, using: &rng)
            // Background, then motifs over it.
            var bases = (0..<l).map { _ in rng.int(below: 4) }
            for (m, start) in zip(chosen, starts) {
                let reverse = rng.uniform() < 0.5
                let pwm = reverse ? pwms[m].reversed().map { [$0[3], $0[2], $0[1], $0[0]] } : pwms[m]
                for (offset, column) in pwm.enumerated() {
                    bases[start + offset] = RandomGenerator.sample(column, uniform: rng.uniformDouble())
                    for b in 0..<4 { truth[(n * 4 + b) * l + start + offset] = Float(column[b]) }
                    if m < motifs.count { truthTask[n * l + start + offset] = Float(task == .multi ? m : 0) }
                }
                if task == .multi { y[n * tasks + m] = 1 }
            }
            if task == .code { y[n] = positive ? 1 : 0 }
            for (i, b) in bases.enumerated() { x[(n * 4 + b) * l + i] = 1 }
        }
        let all = DNADataset(x: Tensor(shape: [count, 4, l], scalars: x), y: Tensor(shape: [count, tasks], scalars: y),
                             groundTruth: Tensor(shape: [count, 4, l], scalars: truth),
                             truthTask: Tensor(shape: [count, l], scalars: truthTask))
        let order = rng.permutation(count)
        let nValid = Int(Double(count) * validFraction), nTest = Int(Double(count) * testFraction)
        let nTrain = count - nValid - nTest
        return DNASplits(train: all.subset(Array(order[0..<nTrain])), valid: all.subset(Array(order[nTrain..<(nTrain + nValid)])),
                         test: all.subset(Array(order[(nTrain + nValid)...])),
                         taskNames: task == .multi ? motifs.map(\.name) : ["code"])
    }
}

extension SyntheticMotifs {
    /// Non-overlapping starts: the free bases split into k + 1 gaps at k uniform cut points.
    static func uniformStarts(widths: [Int], length: Int, using rng: inout RandomGenerator) -> [Int] {
        let free = length - widths.reduce(0, +)
        var cuts = widths.map { _ in rng.int(below: free + 1) }
        cuts.sort()
        var position = 0, previousCut = 0
        var starts: [Int] = []
        for (c, w) in zip(cuts, widths) { position += c - previousCut; previousCut = c; starts.append(position); position += w }
        return starts
    }

    /// The published spacing: gaps g_0…g_k ∝ u_j ~ U(0, 2), rounded to integers, redrawn until
    /// Σ g = the free bases exactly.
    static func publishedStarts(widths: [Int], length: Int, using rng: inout RandomGenerator) -> [Int] {
        let free = length - widths.reduce(0, +)
        var gaps: [Int]
        repeat {
            let u = (0...widths.count).map { _ in 2 * rng.uniformDouble() }
            let total = Swift.max(u.reduce(0, +), 1e-300)
            gaps = u.map { Int(($0 / total * Double(free)).rounded(.toNearestOrEven)) }
        } while gaps.reduce(0, +) != free
        var starts: [Int] = [], position = gaps[0]
        for (w, g) in zip(widths, gaps.dropFirst()) { starts.append(position); position += w + g }
        return starts
    }
}

extension RandomGenerator {
    /// Index drawn from the probability vector `p` given a uniform draw u ∈ [0, 1).
    public static func sample(_ p: [Double], uniform u: Double) -> Int {
        let total = p.reduce(0, +)
        var acc = 0.0
        for (k, v) in p.enumerated() { acc += v / total; if u < acc { return k } }
        return p.count - 1
    }
}
