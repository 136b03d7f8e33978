import Sequences
import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// Site-independent model: weighted column frequencies with a pseudocount,
///   f_i(a) = (Σ_n w_n [x_i^n = a] + c/q) / (Neff + c),   h_i(a) = log f_i(a),
/// equivalently f = (1 − λ)·f_emp + λ/q with pseudocount fraction λ = c / (Neff + c)
/// (gauge: the fields are log-probabilities, Σ_a e^{h_i(a)} = 1), and
///   log P(x) = Σ_i h_i(x_i).
public struct PSSM: Sendable {
    public var alphabet: Alphabet
    /// (L, q) log-probabilities.
    public var fields: Tensor
    public var pseudocount: Double

    public init(alphabet: Alphabet, fields: Tensor, pseudocount: Double) {
        self.alphabet = alphabet; self.fields = fields; self.pseudocount = pseudocount
    }

    /// With a pseudocount fraction λ ∈ [0, 1): f = (1 − λ) f_emp + λ/q. seqgen's default for scoring is
    /// λ = 0.25 (chosen on the shared BLAT_ECOLX and GFP_AEQVI scans; see README).
    public init(_ msa: MultipleSequenceAlignment, weights: [Float], pseudocountFraction lambda: Double) {
        precondition(lambda >= 0 && lambda < 1, "pseudocount fraction must be in [0, 1)")
        let neff = weights.reduce(0.0) { $0 + Double($1) }
        self.init(msa, weights: weights, pseudocount: lambda * neff / (1 - lambda))
    }

    /// With an absolute pseudocount c (total weight spread evenly over the q states).
    public init(_ msa: MultipleSequenceAlignment, weights: [Float], pseudocount: Double = 1) {
        let (l, q) = (msa.length, msa.alphabet.size)
        var counts = [Double](repeating: 0, count: l * q)
        var neff = 0.0
        msa.codes.withUnsafeBufferPointer { c in
            for n in 0..<msa.count {
                let w = Double(weights[n])
                neff += w
                for i in 0..<l { counts[i * q + Int(c[n * l + i])] += w }
            }
        }
        let f = counts.map { Float(Glibc.log(($0 + pseudocount / Double(q)) / (neff + pseudocount))) }
        self.init(alphabet: msa.alphabet, fields: Tensor(shape: [l, q], scalars: f), pseudocount: pseudocount)
    }

    public var length: Int { fields.shape[0] }

    /// log P(x) = Σ_i h_i(x_i) for an encoded sequence of length L.
    public func logLikelihood(_ codes: ArraySlice<UInt8>) -> Double {
        let q = alphabet.size
        var s = 0.0
        for (i, c) in codes.enumerated() { s += Double(fields.scalars[i * q + Int(c)]) }
        return s
    }
}
