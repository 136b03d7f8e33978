import Tensors
import Archive
import Contacts

/// How a coupling block becomes one number: its Frobenius norm after zero-sum centring over the 20
/// amino acids (CCMpred, seqgen), or as stored over every state (plmc's CN score).
public enum BlockNorm: String, Sendable, CaseIterable { case centred, plmc }

extension ModelArchive {
    /// Contact scores of a model with couplings: APC-corrected Frobenius norms of its coupling
    /// blocks (or the raw norms). `partialCorrelation` (Gaussian models): score the partial
    /// correlations −Θ_uv/√(Θ_uu Θ_vv) instead of −Θ. A language model's contacts are its
    /// attention maps instead (`languageModelContacts(path:heads:)`, `lmHeads` "layer.head"
    /// labels, nil = every head). `path` is named in errors.
    public func contactMap(path: String, raw: Bool = false, partialCorrelation: Bool = false, norm: BlockNorm = .centred,
                           lmHeads: String? = nil) throws -> ContactMap {
        if kind == .lm { return try languageModelContacts(path: path, heads: lmHeads) }
        guard var j = try symmetricCouplings(path: path) else {
            throw PipelineError(path: path, "a \(modelType) model has no couplings to score contacts from")
        }
        if partialCorrelation {
            guard let diag = try extra("precision_diagonal")?.tensor() else {
                throw PipelineError(path: path, "--partial-correlation needs a gaussian model")
            }
            let (l, q, q1) = (length, alphabet.size, alphabet.size - 1)
            for i in 0..<l { for k in 0..<l { for a in 0..<q1 { for b in 0..<q1 {
                j.scalars[Couplings.index(i, k, a, b, length: l, states: q)] /= (diag.scalars[i * q1 + a] * diag.scalars[k * q1 + b]).squareRoot()
            } } } }
        }
        let block = norm == .plmc ? 0..<alphabet.size : 0..<(alphabet.size - 1)     // every state, or every state but the gap
        let norms = ContactMap.frobeniusNorms(couplings: j, block: block, centred: norm == .centred)
        return raw ? norms : norms.apc()
    }

    /// The ranked-pairs table of `seqgen contacts`: `i,j,residue_i,residue_j,aa_i,aa_j,score` for
    /// every pair with |i − j| ≥ `minimumSeparation`, best first (columns 1-based, residues by the
    /// focus numbering).
    public func contactTable(_ map: ContactMap, minimumSeparation: Int) -> String {
        let letters = Array(focusSequence)
        var csv = "i,j,residue_i,residue_j,aa_i,aa_j,score\n"
        for p in map.rankedPairs(minimumSeparation: minimumSeparation) {
            csv += "\(p.i + 1),\(p.j + 1),\(residueNumbers[p.i]),\(residueNumbers[p.j]),\(letters[p.i]),\(letters[p.j]),\(p.score)\n"
        }
        return csv
    }
}
