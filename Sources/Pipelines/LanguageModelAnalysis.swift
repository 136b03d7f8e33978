import Archive
import Contacts
import NumPyIO
import LanguageModel

extension ModelArchive {
    /// The language model of an 'lm' archive and its query (focus) as tokens; refuses a query
    /// longer than the model's positions. `path` is named in errors.
    public func languageModel(path: String) throws -> (ProteinLanguageModel, [UInt8]) {
        let model = try ProteinLanguageModel(archive: self, path: path)
        guard let focus = ProteinTokens.encode(focusSequence) else { throw PipelineError(path: path, "focus_sequence holds a non-residue letter") }
        guard focus.count + 2 <= model.configuration.maxPositions else {
            throw PipelineError(path: path, "the query needs \(focus.count + 2) positions; the model has \(model.configuration.maxPositions)")
        }
        return (model, focus)
    }

    /// Contacts of a language model: the mean of the symmetrised, APC-corrected attention maps of
    /// `heads` ("layer.head" labels, 1-based, comma-separated; nil = every head), or, with
    /// `regression`, its logits over the heads it names.
    public func languageModelContacts(path: String, heads: String?, regression: HeadRegression? = nil) throws -> ContactMap {
        let (maps, labels) = try languageModelHeadMaps(path: path)
        if let regression {
            guard heads == nil else { throw PipelineError("--lm-heads and --head-regression are alternatives: give one") }
            return regression.predict(try pick(regression.labels, from: maps, labels: labels, path: path, option: "--head-regression"))
        }
        guard let heads else { return AttentionContacts.average(maps) }
        let picked = try pick(heads.split(separator: ",").map { String($0.filter { $0 != " " }) }, from: maps, labels: labels, path: path, option: "--lm-heads")
        guard !picked.isEmpty else { throw PipelineError("--lm-heads: no heads given") }
        return AttentionContacts.average(picked)
    }

    /// Every head's map over the query, with its "layer.head" label.
    public func languageModelHeadMaps(path: String) throws -> (maps: [ContactMap], labels: [String]) {
        let (model, focus) = try languageModel(path: path)
        return (AttentionContacts.headMaps(model, sequence: focus), AttentionContacts.headLabels(layers: model.configuration.layers, heads: model.configuration.heads))
    }

    private func pick(_ wanted: [String], from maps: [ContactMap], labels: [String], path: String, option: String) throws -> [ContactMap] {
        try wanted.map { label in
            guard let k = labels.firstIndex(of: label) else {
                throw PipelineError("\(option): '\(label)' is not a head of \(path) (layer.head, from 1.1 to \(labels.last ?? ""))")
            }
            return maps[k]
        }
    }

    /// `seqgen compare LM POTTS`: every head of this language model (and the head average) against
    /// `other`'s coupling contact map.
    public func compareHeads(path: String, with other: ModelArchive, otherPath: String, minimumSeparation: Int) throws -> AttentionCouplingComparison {
        guard other.kind != .lm else { throw PipelineError("compare LM needs a coupling model (Potts, Gaussian, attention, ArDCA) as the other model") }
        // Positions are matched by residue number: the residues there must be the same protein's.
        let mine = Array(focusSequence), theirs = Array(other.focusSequence)
        var at: [Int: Int] = [:]
        for (k, n) in residueNumbers.enumerated() where at[n] == nil { at[n] = k }
        let shared = other.residueNumbers.enumerated().compactMap { c, n in n >= 0 && c < theirs.count ? at[n].flatMap { $0 < mine.count ? (n, mine[$0], theirs[c]) : nil } : nil }
        let differ = shared.filter { $0.1 != $0.2 }
        if let first = differ.first, Double(shared.count - differ.count) < 0.9 * Double(shared.count) {
            throw PipelineError("\(path) vs \(otherPath): the focus sequences differ at \(differ.count) of the \(shared.count) residue numbers they share (first: \(first.0) \(first.1) vs \(first.2)): not the same protein, or numbered differently")
        }
        let couplings = try other.contactMap(path: otherPath)
        let (maps, labels) = try languageModelHeadMaps(path: path)
        do {
            return try AttentionCouplingComparison(heads: maps, labels: labels, lmNumbers: residueNumbers,
                                                   couplings: couplings, couplingNumbers: other.residueNumbers, minimumSeparation: minimumSeparation)
        } catch let e as LanguageModelError { throw PipelineError("\(path) vs \(otherPath): \(e.problem)") }
    }
}

/// `seqgen embed` on a language model: the final layer's representations (after the final layer
/// norm) of each sequence's residues, mean-pooled (N, D) or per residue (N, T, D) zero-padded to
/// the longest sequence T.
public enum LanguageModelEmbedding {
    /// Embeds `sequences` (read from `source`, named in errors) with `model`, a batch of 32 at a
    /// time (each batch's representations pooled before the next: memory holds the output, not
    /// every residue's representation); `progress(sequences done, N)` after each batch.
    public static func embed(_ model: ProteinLanguageModel, sequences raw: RawSequences, source: String, perResidue: Bool,
                             progress: ((Int, Int) -> Void)? = nil) throws -> NumPyArray {
        if let k = raw.tokens.firstIndex(where: { $0.count + 2 > model.configuration.maxPositions }) {
            throw PipelineError(path: source, "record \(k + 1) ('\(raw.names[k])') has \(raw.tokens[k].count) residues; the model takes at most \(model.configuration.maxPositions - 2)")
        }
        let (n, d, t, batch) = (raw.count, model.configuration.dimension, raw.maximumLength, 32)
        var flat = [Float](repeating: 0, count: perResidue ? n * t * d : n * d)
        for start in stride(from: 0, to: n, by: batch) {
            let end = Swift.min(start + batch, n)
            for (k, r) in model.representations(Array(raw.tokens[start..<end]), chunk: batch).enumerated() {
                let s = start + k
                if perResidue {
                    for e in 0..<r.count { flat[s * t * d + e] = r.scalars[e] }
                } else {
                    for c in 0..<d { flat[s * d + c] = stride(from: c, to: r.count, by: d).reduce(Float(0)) { $0 + r.scalars[$1] } / Float(r.count / d) }
                }
            }
            progress?(end, n)
        }
        return NumPyArray(floats: flat, shape: perResidue ? [n, t, d] : [n, d])
    }
}
