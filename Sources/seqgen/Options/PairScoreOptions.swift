import ArgumentParser
import Console
import Contacts
import LanguageModel
import Archive
import Pipelines

extension BlockNorm: ExpressibleByArgument {}
extension ContactScore: ExpressibleByArgument {}

/// How a model's pairs are scored, shared by `contacts` (which writes the scores) and `eval
/// contacts` (which scores them against a structure), so both see the same map.
struct PairScoreOptions: ParsableArguments {
    @Option(help: "Pair score: frobenius (APC-corrected block norms) or di (direct information, Morcos et al. 2011; not APC-corrected; needs --alignment unless the model is Gaussian).")
    var score = ContactScore.frobenius

    @Flag(help: "Raw Frobenius norms, without APC.")
    var raw = false

    @Option(help: "Block norm: centred (each 20×20 amino-acid block with row and column means removed, the zero-sum gauge of plmDCA/GREMLIN; CCMpred's own score subtracts one block mean over all 21 states) or plmc (as stored, every state; plmc's CN score).")
    var norm = BlockNorm.centred

    @Flag(help: "Gaussian models: score partial correlations instead of the precision matrix.")
    var partialCorrelation = false

    @Option(help: "LM: heads averaged, as layer.head labels \"1.2,2.4\" (default: every head; each map symmetrised and APC-corrected).")
    var lmHeads: String?

    @Option(help: "LM: score pairs by this logistic regression over the heads (a CSV written by `seqgen eval contacts --fit-head-regression`) instead of the head average.")
    var headRegression: String?

    @Option(help: "Alignment the model was fitted to: its weighted single-site frequencies for --score di (weights at the model's identity threshold).")
    var alignment: String?

    @OptionGroup(title: "Reading --alignment") var reading: AlignmentOptions

    @Option(parsing: .unconditional, help: "VAE: average the saliency couplings over this many sequences of --alignment, spread evenly over it (default: the focus sequence alone).")
    var saliencySequences: Int?

    /// The chosen pair scores of the model at `path`, and the raw Frobenius norms behind them when
    /// the score is Frobenius or `frobeniusToo` asks for them (EVcouplings' tables).
    func scores(_ archive: ModelArchive, path: String, frobeniusToo: Bool = false) throws -> (map: ContactMap, frobenius: ContactMap?) {
        if archive.kind == .lm, let option = [("--raw", raw), ("--partial-correlation", partialCorrelation), ("--norm", norm != .centred),
                                              ("--alignment", alignment != nil), ("--saliency-sequences", saliencySequences != nil)].first(where: \.1)?.0 {
            throw ValidationError("\(path): \(option) applies to models with couplings; a language model's contacts are its attention maps, each symmetrised and APC-corrected (Rao et al. 2020): choose them with --lm-heads or --head-regression")
        }
        let msa = try alignment.map { try reading.read($0) }
        let inputs = try saliencySequences.map { try archive.saliencyInputs(from: msa!, count: $0, path: path) }
        let regression = try headRegression.map { try HeadRegression.read($0) }
        let bar = DeferredProgressBar("saliency couplings")      // a VAE's Jacobian sweeps
        let frobenius = score == .frobenius || frobeniusToo
            ? try archive.contactMap(path: path, raw: true, partialCorrelation: partialCorrelation, norm: norm, lmHeads: lmHeads,
                                     headRegression: regression, saliencyInputs: inputs, progress: bar.report) : nil
        let map = score == .di ? try archive.directInformation(path: path, alignment: msa, saliencyInputs: inputs, progress: bar.report)
            : archive.kind == .lm || raw ? frobenius! : frobenius!.apc()
        bar.finish()
        if let score = map.constantScore {
            warn("every pair of \(path) scores \(score) (its couplings \(score == 0 ? "are 0 or cancel" : "do not tell pairs apart"), or L = 2 leaves APC nothing to correct against): the ranking — and any precision read from it — is the order of the ties (i, then j), not the model's")
        }
        return (map, frobenius)
    }
}
