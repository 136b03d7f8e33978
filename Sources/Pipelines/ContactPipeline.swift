import Tensors
import Archive
import Contacts
import Sequences
import LanguageModel

/// How a coupling block becomes one number: its Frobenius norm after zero-sum centring over the 20
/// amino acids (CCMpred, seqgen), or as stored over every state (plmc's CN score).
public enum BlockNorm: String, Sendable, CaseIterable { case centred, plmc }

/// The pair score of `contacts`: APC-corrected Frobenius norms of the coupling blocks, or direct
/// information (Morcos et al. 2011; `DirectInformation`), which needs single-site frequencies.
public enum ContactScore: String, Sendable, CaseIterable { case frobenius, di }

extension ModelArchive {
    /// Contact scores of a model with couplings: APC-corrected Frobenius norms of its coupling
    /// blocks (or the raw norms). `partialCorrelation` (Gaussian models): score the partial
    /// correlations −Θ_uv/√(Θ_uu Θ_vv) instead of −Θ. A language model's contacts are its
    /// attention maps instead (`languageModelContacts(path:heads:regression:)`, `lmHeads` "layer.head"
    /// labels, nil = every head; or a fitted `headRegression`). `saliencyInputs`: the sequences a VAE's saliency couplings are
    /// averaged over (`saliencyInputs(from:count:)`; nil = the focus sequence); `progress` reports
    /// their Jacobian sweeps. `path` is named in errors.
    public func contactMap(path: String, raw: Bool = false, partialCorrelation: Bool = false, norm: BlockNorm = .centred,
                           lmHeads: String? = nil, headRegression: HeadRegression? = nil, saliencyInputs: [[UInt8]]? = nil,
                           progress: ((Int, Int) -> Void)? = nil) throws -> ContactMap {
        if kind == .lm { return try languageModelContacts(path: path, heads: lmHeads, regression: headRegression) }
        guard lmHeads == nil && headRegression == nil else {
            throw PipelineError(path: path, "--lm-heads and --head-regression choose a language model's attention heads; this is a \(modelType) model")
        }
        guard var j = try symmetricCouplings(path: path, saliencyInputs: saliencyInputs, progress: progress) else {
            throw PipelineError(path: path, "a \(modelType) model has no couplings to score contacts from")
        }
        if partialCorrelation {
            guard let diag = try extra("precision_diagonal")?.tensor() else {
                throw PipelineError(path: path, "--partial-correlation needs a gaussian model")
            }
            let (l, q, q1) = (length, alphabet.size, alphabet.size - 1)
            // In double precision: a heavily shrunk model's Θ_uu·Θ_vv underflows in Float.
            for i in 0..<l { for k in 0..<l { for a in 0..<q1 { for b in 0..<q1 {
                let t = Couplings.index(i, k, a, b, length: l, states: q)
                let scale = (Double(diag.scalars[i * q1 + a]) * Double(diag.scalars[k * q1 + b])).squareRoot()
                j.scalars[t] = Float(Double(j.scalars[t]) / scale)
            } } } }
        }
        let block = norm == .plmc ? 0..<alphabet.size : 0..<(alphabet.size - 1)     // every state, or every state but the gap
        let norms = ContactMap.frobeniusNorms(couplings: j, block: block, centred: norm == .centred)
        let map = raw ? norms : norms.apc()
        guard map.scores.allSatisfy(\.isFinite) else {
            throw PipelineError(path: path, "the contact scores are not finite (the model's couplings\(partialCorrelation ? " or precision diagonal" : "") hold values too large or too small for Float): nothing written")
        }
        return map
    }

    /// `count` rows of `msa` spread evenly over it (rows 0, N/count, 2N/count, …; all rows when
    /// count ≥ N): the input sequences a VAE's saliency couplings are averaged over, chosen without
    /// randomness so the contact map of a model file is one map. The alignment must have the
    /// model's columns. `path` is named in errors.
    public func saliencyInputs(from msa: MultipleSequenceAlignment, count: Int, path: String) throws -> [[UInt8]] {
        try checkColumns(of: msa, path: path)
        guard count > 0, msa.count > 0 else { throw PipelineError(path: path, "no saliency input sequences (count \(count), alignment rows \(msa.count))") }
        let n = Swift.min(count, msa.count)
        return (0..<n).map { k in Array(msa.row(k * msa.count / n)) }
    }

    /// An alignment read for this model must have its columns and alphabet.
    func checkColumns(of msa: MultipleSequenceAlignment, path: String) throws {
        guard msa.length == length, msa.alphabet == alphabet else {
            throw PipelineError(path: path, "the alignment has \(msa.length) columns (\(msa.alphabet.name)) but the model \(length) (\(alphabet.name))")
        }
    }

    /// Weighted single-site frequencies f_i(a) (L×q, rows summing to 1) for DI: from `alignment`
    /// (the one the model was fitted to; weights at the model's `identity_threshold`, 0.8 when
    /// absent), else a Gaussian model's stored mean `mu` (f of the q − 1 non-gap states; the gap
    /// gets the rest). `path` is named in errors.
    public func siteFrequencies(path: String, alignment msa: MultipleSequenceAlignment?) throws -> [Double] {
        let (l, q) = (length, alphabet.size)
        if let msa {
            try checkColumns(of: msa, path: path)
            let w = weightsShowingProgress(msa, identity: meta("identity_threshold") ?? 0.8)
            let neff = SequenceWeights.effectiveCount(w)
            guard neff > 0 else { throw PipelineError(path: path, "the alignment has no weighted sequences") }
            var f = [Double](repeating: 0, count: l * q)
            for s in 0..<msa.count { let row = msa.row(s); for i in 0..<l { f[i * q + Int(row[row.startIndex + i])] += Double(w[s]) } }
            return f.map { $0 / neff }
        }
        if kind == .gaussian, let mu = try extra("mu")?.tensor(), mu.scalars.count == l * (q - 1) {
            var f = [Double](repeating: 0, count: l * q)
            for i in 0..<l {
                var rest = 1.0
                for a in 0..<(q - 1) { let v = Swift.max(0, Double(mu.scalars[i * (q - 1) + a])); f[i * q + a] = v; rest -= v }
                f[i * q + q - 1] = Swift.max(0, rest)
            }
            return f
        }
        throw PipelineError(path: path, "DI needs the single-site frequencies: pass --alignment, the alignment the \(modelType) model was fitted to")
    }

    /// Direct information of every pair (no APC, as Morcos et al.), from the model's couplings and
    /// `siteFrequencies`, with Morcos et al.'s pseudocount weight (`progress`: as `contactMap`).
    public func directInformation(path: String, alignment: MultipleSequenceAlignment?, saliencyInputs: [[UInt8]]? = nil,
                                  pseudocount: Double = DirectInformation.defaultPseudocount,
                                  progress: ((Int, Int) -> Void)? = nil) throws -> ContactMap {
        guard kind != .lm, let j = try symmetricCouplings(path: path, saliencyInputs: saliencyInputs, progress: progress) else {
            throw PipelineError(path: path, "a \(modelType) model has no couplings to compute DI from")
        }
        return DirectInformation.map(couplings: j, frequencies: try siteFrequencies(path: path, alignment: alignment), pseudocount: pseudocount)
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

    /// EVcouplings' coupling tables (`PREFIX_CouplingScores.csv` and `_longrange.csv` of its
    /// couplings stage): `i,A_i,j,A_j,fn,cn,segment_i,segment_j,probability,score` for every pair
    /// i < j, best `cn` first; i, j are focus residue numbers, A_i, A_j the focus letters, fn the raw
    /// block norms, cn = score their APC-corrected values, segment "A_1" (one chain), probability
    /// the posterior of the `ScoreMixtureModel` fitted to all cn (0 everywhere when the mixture does
    /// not fit: no positive cn, or a signal component collapsed onto one score). The long-range
    /// table keeps pairs ≥ `longRange` residues apart (EVcouplings' min_sequence_distance, 6).
    /// Columns where the focus has a gap are left out, as EVcouplings' tables hold focus residues
    /// only (plmc drops those columns), and the APC's means run over the focus residues alone, as
    /// EVcouplings computes CN on plmc's model of them. `corrected` is false for a language model,
    /// whose fn is APC-corrected head by head before the heads are averaged: its cn repeats fn.
    public func evcouplingsTables(fn: ContactMap, corrected: Bool = true, longRange: Int = 6) -> (all: String, longRange: String, mixture: ScoreMixtureModel?) {
        let letters = Array(focusSequence)
        let residue = letters.map { $0 != "-" && $0 != "." }
        let cn = corrected ? fn.apc(columns: residue) : fn
        let pairs = cn.rankedPairs(minimumSeparation: 1).filter { residue[$0.i] && residue[$0.j] }
        let mixture = ScoreMixtureModel(fitting: pairs.map { Double($0.score) })
        let header = "i,A_i,j,A_j,fn,cn,segment_i,segment_j,probability,score\n"
        var all = header, long = header
        for p in pairs {
            let probability = mixture?.probability(Double(p.score)) ?? 0
            let row = "\(residueNumbers[p.i]),\(letters[p.i]),\(residueNumbers[p.j]),\(letters[p.j]),\(fn[p.i, p.j]),\(p.score),A_1,A_1,\(probability),\(p.score)\n"
            all += row
            if abs(residueNumbers[p.j] - residueNumbers[p.i]) >= longRange { long += row }
        }
        return (all, long, mixture)
    }
}
