import FileIO
import Scoring
import Sequences
import LanguageModel

/// Whole sequences scored against the model's focus (`seqgen score --sequences`): designs, samples,
/// homologs, variants with insertions and deletions. Higher = fitter, and the focus scores 0.
/// - A model over alignment columns (PSSM, Potts, Gaussian, attention, ArDCA, VAE) reads sequences
///   aligned to its columns; each is the variant of the focus at the columns where they differ,
///   scored as a mutation is: log P(x) − log P(focus) for PSSM, Potts (−ΔE, the statistical energy
///   difference), Gaussian and ArDCA, ΔELBO for a VAE. A sequence that differs from the focus by a
///   gap where the model has no fitted gap state (gaps as missing data) is left unscored.
/// - A language model reads unaligned sequences of any length: PLL(x) − PLL(focus) (pseudo-log-
///   likelihoods, L masked passes per sequence; Salazar et al. 2020), what masked language models
///   score insertions and deletions by.
public struct ScoredSequences {
    public struct Row: Sendable {
        public var name: String
        /// nil: not scorable (a gap the model cannot score, or a sequence longer than the LM's positions).
        public var score: Double?
        /// Aligned models: columns where the sequence differs from the focus; LM: residues.
        public var size: Int
    }
    public var rows: [Row]
    /// The CSV column holding `size`: `differences` (aligned) or `length` (LM).
    public var sizeColumn: String
    /// Why a sequence is left unscored, as "… left unscored: <reason>" and "all are <reason>" read.
    public var unscoredReason: String

    public var scored: Int { rows.filter { $0.score != nil }.count }
    public var unscored: [String] { rows.filter { $0.score == nil }.map(\.name) }

    /// `name,score,differences` (or `length`), one row per sequence in file order; an unscorable
    /// sequence has an empty score.
    public var csv: String { csv() }

    /// The same table with another first column (`mutant` for a scan of whole sequences, so that
    /// `eval mutations` pairs it with the scan) and, when given, each row's measured value.
    public func csv(nameColumn: String = "name", measured: (column: String, values: [Double?])? = nil) -> String {
        "\(nameColumn),score,\(sizeColumn)" + (measured.map { ",\($0.column)" } ?? "") + "\n" + rows.enumerated().map { k, r in
            "\(r.name.csvField()),\(r.score.map { String($0) } ?? ""),\(r.size)"
                + (measured.map { ",\($0.values[k].map { String($0) } ?? "")" } ?? "") + "\n"
        }.joined()
    }

    /// Aligned sequences (`msa`, in the model's alphabet and columns) against the focus `background`.
    public init(aligned msa: MultipleSequenceAlignment, scorer: any MutationEffectModel, background: [UInt8], source: String) throws {
        guard msa.length == background.count else {
            throw PipelineError(path: source, "the sequences are \(msa.length) columns wide and the model has \(background.count): "
                                + "align them to the model's columns (as the alignment it was fitted to, or `seqgen sample`'s output; an A2M/A3M's lower-case inserts are dropped)")
        }
        let gap = msa.alphabet.gap
        var variants: [[(column: Int, state: UInt8)]] = [], scorable: [Int] = [], sizes: [Int] = []
        for n in 0..<msa.count {
            let diffs = zip(msa.row(n), background).enumerated().compactMap { c, pair in pair.0 != pair.1 ? (column: c, state: pair.0) : nil }
            sizes.append(diffs.count)
            if !scorer.scoresGaps && diffs.contains(where: { $0.state == gap || background[$0.column] == gap }) { continue }
            variants.append(diffs); scorable.append(n)
        }
        var scores = [Double?](repeating: nil, count: msa.count)
        for (n, e) in zip(scorable, scorer.effects(of: variants, background: background)) { scores[n] = e }
        rows = (0..<msa.count).map { Row(name: msa.names[$0], score: scores[$0], size: sizes[$0]) }
        sizeColumn = "differences"
        unscoredReason = "different from the focus by a gap, where the model has no fitted gap state"
    }

    /// Unaligned sequences under a language model: PLL(x) − PLL(`focus`). `progress(done, total)`
    /// after each sequence.
    public init(unaligned sequences: RawSequences, model: ProteinLanguageModel, focus: [UInt8], progress: ((Int, Int) -> Void)? = nil) {
        let base = model.pseudoLogLikelihood(focus)
        let room = model.configuration.maxPositions - 2
        var out: [Row] = []
        for (k, (name, x)) in zip(sequences.names, sequences.tokens).enumerated() {
            let score: Double? = x.count <= room ? (x == focus ? 0 : model.pseudoLogLikelihood(x) - base) : nil
            out.append(Row(name: name, score: score, size: x.count))
            progress?(k + 1, sequences.count)
        }
        rows = out
        sizeColumn = "length"
        unscoredReason = "longer than the model's \(room) residues"
    }
}
