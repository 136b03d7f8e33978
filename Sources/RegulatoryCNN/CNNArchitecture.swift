import Tensors
import Autodiff
import Layers

/// A CNN written as a readable list of layers, e.g.
/// `conv24x19 bn exp dropout0.1 pool50 conv48x3 bn relu dropout0.2 pool2 flatten dense96 bn relu dropout0.5`.
/// Tokens: `convFxK` ("same" padding; suffixes `/valid` for no padding, `/nobias` without bias),
/// `bn`, an activation (`relu`, `exp`, `sigmoid`, `tanh`, `softplus`, `elu`, `linear`), `poolP`
/// (max pool, stride P), `gmax` / `gmean` (global pooling over positions), `dropoutP`, `flatten`,
/// `denseU`, and for CNN + attention hybrids `posenc` (sinusoidal positional encoding added to
/// the feature map) and `mhaH` (H-head self-attention across positions with a residual
/// connection; the channels must divide by H). A final dense layer to the T task logits is always appended. A leading `rc` shares
/// all weights between the two strands: logits = ½ (f(x) + f(reverse complement of x)) (a
/// conjoined network; predictions are exactly strand-symmetric).
///
/// Named architectures, first-layer activation ACT. The published ones, layer for layer as in
/// p-koo/exponential_activations `code/model_zoo` (Koo & Ploenzke 2021; each conv block is
/// conv → BN → activation → dropout, then the pool, as tfomics' `conv_layer`):
/// - `cnn-local` (cnn_local.py): conv 24×19 → BN → ACT → dropout 0.1 → pool 50 → conv 48×3 → BN →
///   ReLU → dropout 0.2 → pool 2 → dense 96 → BN → ReLU → dropout 0.5 → out.
/// - `cnn-dist` (cnn_dist.py): conv 24×19 (ACT, dropout 0.1) → conv 32×7 (0.2) → pool 4 →
///   conv 48×7 valid (0.3) → pool 4 → conv 64×3 valid (0.4) → pool 3 → dense 96 (0.5) → out.
/// - `cnn-deep` (cnn_deep.py): conv 32×19 (ACT, dropout 0.1) → conv 48×7 (0.2) → pool 4 →
///   conv 96×7 valid (0.3) → pool 4 → conv 128×3 valid (0.4) → pool 3 → dense 512 (0.5) → out.
/// Descriptive ones (this project's, not a paper's layer sizes):
/// - `cnn-P1-P2`: conv 32×19 → BN → ACT → pool P1 → dropout 0.1 → conv 124×5 → BN → ReLU → pool P2
///   → dropout 0.1 → dense 512 → BN → ReLU → dropout 0.5 → out — the first-pool sweep of Koo &
///   Eddy (2019), where a *large* first-layer pool (e.g. cnn-25-4, cnn-50-2) makes first-layer
///   filters learn whole motifs and a small one (cnn-2-50, cnn-4-25) lets them learn partial motifs
///   that deeper layers assemble; `cnn-2` = cnn-2-50, `cnn-50` = cnn-50-2.
/// - `cnn-deep-same`: conv 32×19 → BN → ACT → dropout 0.1 → conv 48×7 → pool 4 → conv 96×7 →
///   pool 4 → conv 128×7 → pool 3 (each conv "same", with BN, ReLU, growing dropout after the pool)
///   → dense 512 → out (this project's earlier "cnn-deep").
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
    /// Whether a self-attention layer (`mhaH`) is among the layers.
    public var hasAttention: Bool { tokens.contains { $0.hasPrefix("mha") } }

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
        case "cnn-local":
            return try CNNArchitecture("conv24x19 bn \(act) dropout0.1 pool50 conv48x3 bn relu dropout0.2 pool2 flatten dense96 bn relu dropout0.5")
        case "cnn-dist":
            return try CNNArchitecture("conv24x19 bn \(act) dropout0.1 conv32x7 bn relu dropout0.2 pool4 conv48x7/valid bn relu dropout0.3 pool4 conv64x3/valid bn relu dropout0.4 pool3 flatten dense96 bn relu dropout0.5")
        case "cnn-deep":
            return try CNNArchitecture("conv32x19 bn \(act) dropout0.1 conv48x7 bn relu dropout0.2 pool4 conv96x7/valid bn relu dropout0.3 pool4 conv128x3/valid bn relu dropout0.4 pool3 flatten dense512 bn relu dropout0.5")
        case "cnn-2": return try twoPool(2, 50)
        case "cnn-50": return try twoPool(50, 2)
        case "cnn-deep-same":
            return try CNNArchitecture("conv32x19 bn \(act) dropout0.1 conv48x7 bn relu pool4 dropout0.2 conv96x7 bn relu pool4 dropout0.3 conv128x7 bn relu pool3 dropout0.4 flatten dense512 bn relu dropout0.5")
        default:
            let parts = name.split(separator: "-")
            if parts.count == 3, parts[0] == "cnn", let p1 = Int(parts[1]), let p2 = Int(parts[2]), p1 >= 1, p2 >= 1 { return try twoPool(p1, p2) }
            throw ArchitectureError(description: "unknown architecture '\(name)' (\(Self.names.joined(separator: ", ")), cnn-P1-P2, or a layer list)")
        }
    }

    /// The named architectures (besides the cnn-P1-P2 family).
    public static let names = ["cnn-local", "cnn-dist", "cnn-deep", "cnn-2", "cnn-50", "cnn-deep-same"]

    enum Token {
        case conv(filters: Int, width: Int, bias: Bool, valid: Bool), batchNorm, activation(Activation.Kind), pool(Int)
        case globalMax, globalMean, dropout(Float), flatten, dense(Int)
        case positionalEncoding, attention(heads: Int)
    }

    static func parse(_ t: String) throws -> Token {
        func number(_ prefix: String) -> Int? { t.hasPrefix(prefix) ? Int(t.dropFirst(prefix.count)) : nil }
        if t.hasPrefix("conv") {
            let pieces = t.dropFirst(4).split(separator: "/", omittingEmptySubsequences: false)
            let flags = Set(pieces.dropFirst().map(String.init))
            let dims = pieces[0].split(separator: "x").compactMap { Int($0) }
            guard dims.count == 2, dims[0] >= 1, dims[1] >= 1, flags.isSubset(of: ["nobias", "valid"]), flags.count == pieces.count - 1 else {
                throw ArchitectureError(description: "bad conv layer '\(t)' (expected convFxK[/valid][/nobias], e.g. conv32x19)")
            }
            return .conv(filters: dims[0], width: dims[1], bias: !flags.contains("nobias"), valid: flags.contains("valid"))
        }
        if let p = number("pool"), p >= 1 { return .pool(p) }
        if let u = number("dense"), u >= 1 { return .dense(u) }
        if let h = number("mha"), h >= 1 { return .attention(heads: h) }
        if t.hasPrefix("dropout"), let p = Float(t.dropFirst(7)), p >= 0, p < 1 { return .dropout(p) }
        switch t {
        case "bn": return .batchNorm
        case "flatten": return .flatten
        case "posenc": return .positionalEncoding
        case "gmax": return .globalMax
        case "gmean": return .globalMean
        case "exp", "exponential": return .activation(.exponential)
        default:
            if let kind = Activation.Kind(rawValue: t) { return .activation(kind) }
            throw ArchitectureError(description: "unknown layer '\(t)'")
        }
    }

    /// Builds the layers for inputs (N, 4, L) and `tasks` outputs; initialisation is seeded, and
    /// `initialisation` sets how convolution and dense weights start.
    public func build(length: Int, tasks: Int, seed: UInt64, initialisation: WeightInitialisation = .uniform) throws -> Sequential {
        var rng = RandomGenerator(seed: seed)
        var layers: [any SequentialLayer] = []
        var channels = 4, positions = length, flat: Int? = nil
        var dropouts = 0
        for t in tokens.dropFirst(reverseComplement ? 1 : 0) {
            switch try Self.parse(t) {
            case .conv(let f, let w, let bias, let valid):
                guard flat == nil else { throw ArchitectureError(description: "\(t) after flatten/dense") }
                let padding = valid ? 0 : (w - 1) / 2
                guard positions + 2 * padding - w + 1 >= 1 else { throw ArchitectureError(description: "\(t): a width-\(w) filter over \(positions) positions") }
                layers.append(Conv1D(inputChannels: channels, outputChannels: f, kernelSize: w,
                                     geometry: Conv1DGeometry(padding: padding, stride: 1, dilation: 1), bias: bias,
                                     initialisation: initialisation, using: &rng))
                positions = positions + 2 * padding - w + 1
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
            case .positionalEncoding:
                guard flat == nil else { throw ArchitectureError(description: "\(t) after flatten/dense") }
                layers.append(PositionalEncoding(channels: channels, length: positions))
            case .attention(let h):
                guard flat == nil else { throw ArchitectureError(description: "\(t) after flatten/dense") }
                guard channels % h == 0 else { throw ArchitectureError(description: "\(t): \(channels) channels do not split into \(h) heads") }
                layers.append(SelfAttentionBlock(channels: channels, heads: h, using: &rng))
            case .dropout(let p): dropouts += 1; layers.append(Dropout(probability: p, seed: seed &+ UInt64(dropouts)))
            case .flatten:
                if flat == nil { layers.append(Flatten()); flat = channels * positions }
            case .dense(let u):
                if flat == nil { layers.append(Flatten()); flat = channels * positions }
                layers.append(Linear(inputs: flat!, outputs: u, initialisation: initialisation, using: &rng)); flat = u
            }
        }
        if flat == nil { layers.append(Flatten()); flat = channels * positions }
        layers.append(Linear(inputs: flat!, outputs: tasks, initialisation: initialisation, using: &rng))
        return Sequential(layers)
    }
}

/// Mean over positions: (N, C, L) → (N, C, 1).
public final class GlobalMeanPool: SequentialLayer {
    public init() {}
    public var namedParameters: [(String, Variable)] { [] }
    public func callAsFunction(_ x: Variable, training: Bool) -> Variable { x.mean(alongAxes: [2], keepingDims: true) }
}

