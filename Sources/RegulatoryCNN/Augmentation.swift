import DNAData
import Tensors

/// A change made to every training batch's inputs (N, 4, L) before the forward pass: evolution-
/// inspired augmentation, Gaussian noise, adversarial examples. Labels are unchanged. `rng` is
/// seeded by the trainer from (seed, epoch, batch), so a run (and a resumed run) is reproducible.
public protocol BatchPerturbation: Sendable {
    func perturb(_ x: Tensor, labels: Tensor, model: CNNModel, using rng: inout RandomGenerator) -> Tensor
    /// One line for logs and checkpoint fingerprints.
    var summary: String { get }
    /// The same perturbation applied to every sequence of a batch (for those that perturb a fraction).
    func onEveryRow() -> any BatchPerturbation
}

extension BatchPerturbation {
    public func onEveryRow() -> any BatchPerturbation { self }
}

/// One evolution-inspired augmentation of EvoAug (Lee et al. 2023, Genome Biology 24:105), on one
/// sequence of L one-hot columns; every one returns exactly L columns:
/// - `mutation(f)`: round(f/0.75 · L) distinct positions get a uniformly random base (a quarter of
///   them silent, so the expected substituted fraction is f);
/// - `deletion(D)`: a stretch of d ~ U{0..D} columns starting at s ~ U{0..L−D} is removed and
///   ⌊d/2⌋ random columns are added at the start, d − ⌊d/2⌋ at the end;
/// - `insertion(I)`: k ~ U{0..I} random columns are inserted at p ~ U{0..L}, then ⌊k/2⌋ columns are
///   cropped from the start and k − ⌊k/2⌋ from the end (EvoAug pads every sequence to L + I instead;
///   cropping keeps the model's input length L);
/// - `translocation(T)`: a circular shift by ±t, t ~ U{0..T}, sign fair;
/// - `inversion(V)`: the stretch of v ~ U{0..V} columns at s ~ U{0..L−V} is replaced by its reverse
///   complement;
/// - `reverseComplement(p)`: the whole sequence is reverse-complemented with probability p;
/// - `noise(σ)`: N(0, σ²) added to every entry (the result is no longer one-hot).
/// Published defaults (EvoAug's library and paper): mutation 5%, noise σ 0.2, rc 0.5; insertion,
/// deletion, translocation and inversion up to 20 nt (the issue's "up to 20", EvoAug's tuned range).
public enum EvoAugmentation: Sendable, Equatable, CustomStringConvertible {
    case mutation(fraction: Float)
    case deletion(maximum: Int)
    case insertion(maximum: Int)
    case translocation(maximum: Int)
    case inversion(maximum: Int)
    case reverseComplement(probability: Float)
    case noise(std: Float)

    public static let names = ["mutation", "insertion", "deletion", "translocation", "inversion", "rc", "noise"]

    /// The augmentation `name` at its published default strength.
    public static func defaultStrength(_ name: String) -> EvoAugmentation? {
        switch name {
        case "mutation": .mutation(fraction: 0.05)
        case "deletion": .deletion(maximum: 20)
        case "insertion": .insertion(maximum: 20)
        case "translocation": .translocation(maximum: 20)
        case "inversion": .inversion(maximum: 20)
        case "rc": .reverseComplement(probability: 0.5)
        case "noise": .noise(std: 0.2)
        default: nil
        }
    }

    public var name: String {
        switch self {
        case .mutation: "mutation"; case .deletion: "deletion"; case .insertion: "insertion"
        case .translocation: "translocation"; case .inversion: "inversion"; case .reverseComplement: "rc"; case .noise: "noise"
        }
    }

    public var description: String {
        switch self {
        case .mutation(let f): "mutation=\(f)"
        case .deletion(let m), .insertion(let m), .translocation(let m), .inversion(let m): "\(name)=\(m)"
        case .reverseComplement(let p): "rc=\(p)"
        case .noise(let s): "noise=\(s)"
        }
    }

    /// Canonical order when several apply to one sequence: the structural changes act on exact
    /// one-hot columns first, then substitutions, then noise.
    var rank: Int {
        switch self {
        case .inversion: 0; case .deletion: 1; case .insertion: 2; case .translocation: 3
        case .reverseComplement: 4; case .mutation: 5; case .noise: 6
        }
    }

    public struct ParseError: Error, CustomStringConvertible { public let description: String }

    /// Parses "mutation,insertion=15,rc" (a name, or name=strength) for sequences of `length` bp.
    public static func parse(_ spec: String, length: Int) throws -> [EvoAugmentation] {
        var out: [EvoAugmentation] = []
        for item in spec.split(separator: ",").map({ String($0.filter { $0 != " " }) }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard let base = defaultStrength(parts[0]) else {
                throw ParseError(description: "unknown augmentation '\(parts[0])' (expected \(names.joined(separator: ", ")))")
            }
            guard !out.contains(where: { $0.name == base.name }) else { throw ParseError(description: "augmentation '\(parts[0])' given twice") }
            var a = base
            if parts.count == 2 {
                let v = parts[1]
                switch base {
                case .mutation, .reverseComplement:
                    guard let f = Float(v), f >= 0, f <= 1 else { throw ParseError(description: "\(parts[0])=\(v): expected a fraction in [0, 1]") }
                    a = base.name == "rc" ? .reverseComplement(probability: f) : .mutation(fraction: f)
                case .noise:
                    guard let s = Float(v), s >= 0, s.isFinite else { throw ParseError(description: "noise=\(v): expected a standard deviation ≥ 0") }
                    a = .noise(std: s)
                case .deletion, .insertion, .translocation, .inversion:
                    guard let m = Int(v), m >= 0 else { throw ParseError(description: "\(parts[0])=\(v): expected a whole number of nucleotides ≥ 0") }
                    switch base {
                    case .deletion: a = .deletion(maximum: m)
                    case .insertion: a = .insertion(maximum: m)
                    case .translocation: a = .translocation(maximum: m)
                    default: a = .inversion(maximum: m)
                    }
                }
            }
            switch a {
            case .deletion(let m), .insertion(let m), .translocation(let m), .inversion(let m):
                guard m < length else { throw ParseError(description: "\(a): at most \(length - 1) nt for \(length)-bp sequences") }
            default: break
            }
            out.append(a)
        }
        guard !out.isEmpty else { throw ParseError(description: "no augmentation named (expected \(names.joined(separator: ", ")))") }
        return out
    }

    /// Applies the augmentation to `columns` (L columns of 4 values, position-major: base b of
    /// position i at 4i + b).
    func apply(_ columns: inout [Float], length l: Int, using rng: inout RandomGenerator) {
        func randomColumns(_ k: Int) -> [Float] {
            var c = [Float](repeating: 0, count: 4 * k)
            for i in 0..<k { c[4 * i + rng.int(below: 4)] = 1 }
            return c
        }
        switch self {
        case .mutation(let f):
            let m = Swift.min(l, Int((f / 0.75 * Float(l)).rounded()))
            var positions = Array(0..<l)
            for j in 0..<m {
                positions.swapAt(j, j + rng.int(below: l - j))
                let i = positions[j], b = rng.int(below: 4)
                for c in 0..<4 { columns[4 * i + c] = c == b ? 1 : 0 }
            }
        case .deletion(let maximum):
            let d = rng.int(below: maximum + 1), s = rng.int(below: l - maximum + 1)
            let front = d / 2
            columns = randomColumns(front) + columns[0..<(4 * s)] + columns[(4 * (s + d))...] + randomColumns(d - front)
        case .insertion(let maximum):
            let k = rng.int(below: maximum + 1), p = rng.int(below: l + 1)
            let grown = Array(columns[0..<(4 * p)]) + randomColumns(k) + columns[(4 * p)...]
            let front = k / 2
            columns = Array(grown[(4 * front)..<(4 * (front + l))])
        case .translocation(let maximum):
            let t = rng.int(below: maximum + 1), shift = rng.uniform() < 0.5 ? -t : t
            let r = ((shift % l) + l) % l
            // roll: column i moves to (i + shift) mod L.
            columns = Array(columns[(4 * (l - r))...] + columns[0..<(4 * (l - r))])
        case .inversion(let maximum):
            let v = rng.int(below: maximum + 1), s = rng.int(below: l - maximum + 1)
            let segment = Array(columns[(4 * s)..<(4 * (s + v))])
            for j in 0..<v { for c in 0..<4 { columns[4 * (s + j) + c] = segment[4 * (v - 1 - j) + (3 - c)] } }
        case .reverseComplement(let p):
            guard rng.uniform() < p else { return }
            columns.reverse()       // position-major: reversing all 4L values reverses positions and maps base c → 3 − c (A↔T, C↔G)
        case .noise(let sigma):
            for k in columns.indices { columns[k] += sigma * rng.normal() }
        }
    }
}

/// EvoAug's training-time augmentation: each sequence of a batch gets `perSequence` distinct
/// augmentations drawn uniformly from the list (EvoAug's `max_augs_per_seq` = 2 with `hard_aug`:
/// exactly that many; with `exactCount` false, 1…that many), applied in the canonical order.
public struct EvoAug: BatchPerturbation {
    public var augmentations: [EvoAugmentation]
    public var perSequence: Int
    public var exactCount: Bool

    /// EvoAug's max_augs_per_seq as its papers train: 2.
    public static let defaultPerSequence = 2

    public init(_ augmentations: [EvoAugmentation], perSequence: Int = defaultPerSequence, exactCount: Bool = true) {
        self.augmentations = augmentations.sorted { $0.rank < $1.rank }
        self.perSequence = Swift.max(1, Swift.min(perSequence, augmentations.count))
        self.exactCount = exactCount
    }

    public var summary: String { "evoaug \(augmentations.map(\.description).joined(separator: ",")) (\(exactCount ? "" : "≤ ")\(perSequence) per sequence)" }

    public func perturb(_ x: Tensor, labels: Tensor, model: CNNModel, using rng: inout RandomGenerator) -> Tensor { augment(x, using: &rng) }

    /// The augmented batch (N, 4, L), same shape.
    public func augment(_ x: Tensor, using rng: inout RandomGenerator) -> Tensor {
        let (n, l) = (x.shape[0], x.shape[2])
        var out = x
        var columns = [Float](repeating: 0, count: 4 * l)
        for s in 0..<n {
            let k = exactCount ? perSequence : 1 + rng.int(below: perSequence)
            var pick = Array(augmentations.indices)
            for j in 0..<k { pick.swapAt(j, j + rng.int(below: pick.count - j)) }
            let chosen = pick.prefix(k).sorted()
            for i in 0..<l { for b in 0..<4 { columns[4 * i + b] = x.scalars[(s * 4 + b) * l + i] } }
            for a in chosen { augmentations[a].apply(&columns, length: l, using: &rng) }
            precondition(columns.count == 4 * l, "augmentation changed the length")
            for i in 0..<l { for b in 0..<4 { out.scalars[(s * 4 + b) * l + i] = columns[4 * i + b] } }
        }
        return out
    }
}
