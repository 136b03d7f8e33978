import Sequences

/// The training input of `seqgen fit --model lm`: unaligned sequences, their sampling weights, and
/// the query (focus) whose numbering scores and contacts use.
///
/// Weights (the reweighting prior): when the file is an alignment that the alignment reader
/// takes with the same records, the θ-identity weights of the alignment (plmc's definition over
/// its match columns, θ = 1 − `identity`); otherwise k-mer cluster weights (`KmerWeights`) at the
/// same identity. `identity` 1 switches reweighting off (every sequence weight 1).
public struct LanguageModelInput: Sendable {
    public var sequences: RawSequences
    public var weights: [Float]
    public var weightSource: String
    public var focus: Int

    public init(sequences: RawSequences, weights: [Float], weightSource: String, focus: Int) {
        self.sequences = sequences; self.weights = weights; self.weightSource = weightSource; self.focus = focus
    }

    public var focusTokens: [UInt8] { sequences.tokens[focus] }
    public var focusName: String { sequences.names[focus] }
    /// The first residue number of the focus (`NAME/START-END`, else 1).
    public var firstResidue: Int { MultipleSequenceAlignment.startNumber(fromHeader: focusName) ?? 1 }

    /// `focus`: 1-based record number or record name (default: the first record).
    /// `progress(f)`: the weights' fraction done (an O(N²) comparison: seconds for tens of thousands of sequences).
    public static func read(_ path: String, focus: String? = nil, identity: Double = 0.8,
                            progress: (@Sendable (Double) -> Void)? = nil) throws -> LanguageModelInput {
        let raw = try RawSequences.read(path)
        var index = 0
        if let focus {
            if let n = Int(focus) {
                guard n >= 1 && n <= raw.count else { throw LanguageModelError(path: path, "--focus \(n) is outside records 1…\(raw.count)") }
                index = n - 1
            } else {
                guard let n = raw.names.firstIndex(where: { $0 == focus || $0.split(separator: " ").first.map(String.init) == focus }) else {
                    throw LanguageModelError(path: path, "no record named '\(focus)'")
                }
                index = n
            }
        }
        var weights = [Float](repeating: 1, count: raw.count)
        var source = "none (identity 1)"
        if identity < 1 {
            if raw.isAligned, let msa = try? AlignmentReader().read(path), msa.count == raw.count {
                weights = SequenceWeights.compute(msa, identity: identity, progress: progress)
                source = "alignment identity ≥ \(identity) over \(msa.length) match columns"
            } else {
                weights = KmerWeights.compute(raw.tokens, identity: identity, progress: progress)
                source = "3-mer MinHash clusters at identity ≈ \(identity) (Jaccard ≥ \(String(format3(KmerWeights.jaccardThreshold(identity: identity, k: 3)))))"
            }
        }
        return LanguageModelInput(sequences: raw, weights: weights, weightSource: source, focus: index)
    }
}

func format3(_ x: Double) -> String { String(Double(Int((x * 1000).rounded())) / 1000) }
