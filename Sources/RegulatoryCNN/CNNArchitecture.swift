import Tensors
import Autodiff
import Layers

/// A CNN written as a readable list of layers, e.g.
/// `conv32x19 bn exp pool4 dropout0.1 conv124x5 bn relu pool25 dropout0.1 flatten dense512 bn relu dropout0.5`.
/// Tokens: `convFxK` ("same" padding; `convFxK/nobias` without bias), `bn`, an activation
/// (`relu`, `exp`, `sigmoid`, `tanh`, `softplus`, `elu`, `linear`), `poolP` (max pool, stride P),
/// `gmax` / `gmean` (global pooling over positions), `dropoutP`, `flatten`, `denseU`. A final dense
/// layer to the T task logits is always appended. A leading `rc` shares all weights between the two
/// strands: logits = ½ (f(x) + f(reverse complement of x)) (a conjoined network; predictions are
/// exactly strand-symmetric).
///
/// Named architectures (Koo & Eddy 2019; Koo & Ploenzke 2021), first-layer activation ACT:
/// - `cnn-P1-P2`: conv 32×19 → BN → ACT → pool P1 → dropout 0.1 → conv 124×5 → BN → ReLU → pool P2
///   → dropout 0.1 → dense 512 → BN → ReLU → dropout 0.5 → out; `cnn-local` = cnn-4-25 (small
///   first pool: filters learn whole motifs), `cnn-dist` = cnn-25-4, `cnn-2` = cnn-2-50, `cnn-50` = cnn-50-2.
/// - `cnn-deep`: conv 32×19 → BN → ACT → dropout 0.1 → conv 48×7 → pool 4 → conv 96×7 → pool 4 →
///   conv 128×7 → pool 3 (each conv with BN, ReLU, growing dropout) → dense 512 → out.
public struct CNNArchitecture: Sendable, Equatable, CustomStringConvertible {
    public var tokens: [String]

    public init(_ spec: String) throws {
        tokens = spec.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" }).map(String.init)
        guard !tokens.isEmpty else { throw ArchitectureError(description: "empty architecture") }
        for (k, t) in tokens.enumerated() where !(k == 0 && t == "rc") { _ = try Self.parse(t) }
        guard tokens.count > (reverseComplement ? 1 : 0) else { throw ArchitectureError(description: "'rc' needs layers after it") }
    }

    public var description: String { tokens.joined(separator: " ") }

    /// Whether the network is applied to both strands (leading `rc` token).
    public var reverseComplement: Bool { tokens.first == "rc" }

    /// The same architecture with (or without) reverse-complement weight sharing.
    public func withReverseComplement(_ on: Bool) -> CNNArchitecture {
        var a = self
        if reverseComplement { a.tokens.removeFirst() }
        if on { a.tokens.insert("rc", at: 0) }
        return a
    }

    public struct ArchitectureError: Error, CustomStringConvertible { public let description: String }

    /// A named architecture with its first-layer activation.
    public static func named(_ name: String, activation: Activation.Kind = .relu) throws -> CNNArchitecture {
        let act = activation == .exponential ? "exp" : activation.rawValue
        func twoPool(_ p1: Int, _ p2: Int) throws -> CNNArchitecture {
            try CNNArchitecture("conv32x19 bn \(act) pool\(p1) dropout0.1 conv124x5 bn relu pool\(p2) dropout0.1 flatten dense512 bn relu dropout0.5")
        }
        switch name {
        case "cnn-local": return try twoPool(4, 25)
        case "cnn-dist": return try twoPool(25, 4)
        case "cnn-2": return try twoPool(2, 50)
        case "cnn-50": return try twoPool(50, 2)
        case "cnn-deep":
            return try CNNArchitecture("conv32x19 bn \(act) dropout0.1 conv48x7 bn relu pool4 dropout0.2 conv96x7 bn relu pool4 dropout0.3 conv128x7 bn relu pool3 dropout0.4 flatten dense512 bn relu dropout0.5")
        default:
            let parts = name.split(separator: "-")
            if parts.count == 3, parts[0] == "cnn", let p1 = Int(parts[1]), let p2 = Int(parts[2]), p1 >= 1, p2 >= 1 { return try twoPool(p1, p2) }
            throw ArchitectureError(description: "unknown architecture '\(name)' (cnn-local, cnn-dist, cnn-2, cnn-50, cnn-deep, cnn-P1-P2, or a layer list)")
        }
    }

    enum Token {
        case conv(filters: Int, width: Int, bias: Bool), batchNorm, activation(Activation.Kind), pool(Int)
        case globalMax, globalMean, dropout(Float), flatten, dense(Int)
    }

    static func parse(_ t: String) throws -> Token {
        func number(_ prefix: String) -> Int? { t.hasPrefix(prefix) ? Int(t.dropFirst(prefix.count)) : nil }
        if t.hasPrefix("conv") {
            let body = t.dropFirst(4)
            let bias = !body.hasSuffix("/nobias")
            let dims = body.replacingSuffix("/nobias").split(separator: "x").compactMap { Int($0) }
            guard dims.count == 2, dims[0] >= 1, dims[1] >= 1 else { throw ArchitectureError(description: "bad conv layer '\(t)' (expected convFxK, e.g. conv32x19)") }
            return .conv(filters: dims[0], width: dims[1], bias: bias)
        }
        if let p = number("pool"), p >= 1 { return .pool(p) }
        if let u = number("dense"), u >= 1 { return .dense(u) }
        if t.hasPrefix("dropout"), let p = Float(t.dropFirst(7)), p >= 0, p < 1 { return .dropout(p) }
        switch t {
        case "bn": return .batchNorm
        case "flatten": return .flatten
        case "gmax": return .globalMax
        case "gmean": return .globalMean
        case "exp", "exponential": return .activation(.exponential)
        default:
            if let kind = Activation.Kind(rawValue: t) { return .activation(kind) }
            throw ArchitectureError(description: "unknown layer '\(t)'")
        }
    }

    /// Builds the layers for inputs (N, 4, L) and `tasks` outputs; initialisation is seeded.
    public func build(length: Int, tasks: Int, seed: UInt64) throws -> Sequential {
        var rng = RandomGenerator(seed: seed)
        var layers: [any SequentialLayer] = []
        var channels = 4, positions = length, flat: Int? = nil
        var dropouts = 0
        for t in tokens.dropFirst(reverseComplement ? 1 : 0) {
            switch try Self.parse(t) {
            case .conv(let f, let w, let bias):
                guard flat == nil else { throw ArchitectureError(description: "\(t) after flatten/dense") }
                layers.append(Conv1D(inputChannels: channels, outputChannels: f, kernelSize: w,
                                     geometry: Conv1DGeometry(padding: (w - 1) / 2, stride: 1, dilation: 1), bias: bias, using: &rng))
                positions = positions + 2 * ((w - 1) / 2) - w + 1
                channels = f
            case .batchNorm: layers.append(BatchNorm1d(channels: flat ?? channels))
            case .activation(let kind): layers.append(Activation(kind))
            case .pool(let p):
                guard flat == nil, p <= positions else { throw ArchitectureError(description: "\(t): pool of \(p) over \(positions) positions") }
                layers.append(MaxPool1D(size: p)); positions /= p
            case .globalMax:
                guard flat == nil else { throw ArchitectureError(description: "\(t) after flatten") }
                layers.append(MaxPool1D(size: positions)); positions = 1
            case .globalMean:
                guard flat == nil else { throw ArchitectureError(description: "\(t) after flatten") }
                layers.append(GlobalMeanPool()); positions = 1
            case .dropout(let p): dropouts += 1; layers.append(Dropout(probability: p, seed: seed &+ UInt64(dropouts)))
            case .flatten:
                if flat == nil { layers.append(Flatten()); flat = channels * positions }
            case .dense(let u):
                if flat == nil { layers.append(Flatten()); flat = channels * positions }
                layers.append(Linear(inputs: flat!, outputs: u, using: &rng)); flat = u
            }
        }
        if flat == nil { layers.append(Flatten()); flat = channels * positions }
        layers.append(Linear(inputs: flat!, outputs: tasks, using: &rng))
        return Sequential(layers)
    }
}

/// Mean over positions: (N, C, L) → (N, C, 1).
public final class GlobalMeanPool: SequentialLayer {
    public init() {}
    public var namedParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ x: Variable, training: Bool) -> Variable { x.mean(alongAxes: [2], keepingDims: true) }
}

extension Substring {
    func replacingSuffix(_ suffix: String) -> Substring { hasSuffix(suffix) ? dropLast(suffix.count) : self }
}
