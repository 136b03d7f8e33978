import Console
import Archive
import Sequences
import Potts
import Attention
import ArDCA
import VAE
import LanguageModel
import Generative

/// Named bundles of fit settings.
public enum FitPreset: String, Sendable, CaseIterable {
    /// EVmutation's Potts fit (plmc with EVcouplings' settings, `-g`): gaps as missing data, sequences
    /// with non-standard letters dropped, plmc's stopping rule ‖∇F‖ ≤ 10⁻³·max(1, ‖θ‖) within 100
    /// iterations and L-BFGS history 6 (liblbfgs's), weights at 80% identity, λ_h 0.01, λ_J 0.2·(L−1).
    case evmutation
}

/// A second stage after a Potts pseudolikelihood fit: `bm`, Boltzmann-machine refinement by
/// moment matching with persistent Gibbs chains (`BoltzmannRefinement`).
public enum Refinement: String, Sendable, CaseIterable { case bm }

/// How a PSSM is estimated: seqgen's pseudocount estimator (21 states) or EVmutation's independent
/// model (gaps as missing, MAP fields with λ_h).
public enum PSSMStyle: String, Sendable, CaseIterable { case pseudocount, evmutation }

/// Every setting of `seqgen fit`, for every `ModelKind`, with the command line's defaults. Optional
/// settings are chosen by the preset (or the kind's default) when nil; the resolved values are the
/// `resolved…` properties.
public struct FitSettings: Sendable {
    /// The model fitted.
    public var kind = ModelKind.potts
    /// Settings bundle applied where an option is nil (see `FitPreset`).
    public var preset: FitPreset?
    /// Potts: gaps as missing data (default true; false with `refine`, whose moment matching fits
    /// the gap state like any other, so its start should model gaps too), or a 21st state.
    public var gapsAsMissing: Bool?
    /// Identity threshold of the sequence weights (0.8 = θ 0.2; 1 = no weighting).
    public var identity = 0.8
    /// Identity definition of the weights (default plmc; evmutation preset plmc-inclusive).
    public var weighting: SequenceWeights.Identity?
    /// θ of the sequence weights instead of `identity` (identity = 1 − θ): a value, or `auto`,
    /// GaussDCA/plmDCA's rule θ = min(0.5, 0.38·0.32 / mean pairwise identity).
    public var theta: Theta?
    public enum Theta: Sendable, Equatable, CustomStringConvertible {
        case value(Double), auto
        /// "theta 0.2", "theta auto": as the checkpoint fingerprint records it.
        public var description: String {
            switch self {
            case .value(let v): "theta \(v)"
            case .auto: "theta auto"
            }
        }

        /// "auto" or a number (`--theta`); nil for anything else.
        public init?(_ text: String) {
            if text == "auto" { self = .auto } else if let v = Double(text) { self = .value(v) } else { return nil }
        }

        /// The identity threshold of the weights: 1 − θ, or without θ `identity`; auto is GaussDCA's
        /// rule on `msa` (`SequenceWeights.automaticTheta`), logged.
        public static func identity(_ theta: Theta?, otherwise identity: Double, for msa: MultipleSequenceAlignment) -> Double {
            switch theta {
            case .value(let v)?: return 1 - v
            case .auto?:
                let auto = SequenceWeights.automaticTheta(msa)
                log("--theta auto: mean pairwise identity \(fixed(auto.meanIdentity, 4)) → θ = \(fixed(auto.theta, 4))")
                return 1 - auto.theta
            case nil: return identity
            }
        }
    }
    /// L2 penalty λ_h on fields (default 0.01; ArDCA `ArDCAFit.defaultLambda`).
    public var lambdaH: Float?
    /// λ_h with the kind's default.
    public var resolvedLambdaH: Float { lambdaH ?? (kind == .ardca ? ArDCAFit.defaultLambda : PottsFit().lambdaFields) }
    /// L2 penalty λ_J on each coupling pair (default: the kind's, 0.2·(L−1) for Potts and attention, `ArDCAFit.defaultLambda` for ArDCA).
    public var lambdaJ: Float?
    /// Maximum L-BFGS iterations (Potts; per site for ArDCA).
    public var maxIterations = PottsFit().maxIterations
    /// Relative decrease of the objective below which an L-BFGS fit stops (default 1e-4; evmutation 0).
    public var tolerance: Double?
    /// Potts: iterations over which `tolerance` applies (default 5; evmutation 1).
    public var toleranceWindow: Int?
    /// Potts: stop when ‖∇F‖ ≤ this · max(1, ‖θ‖) (default 1e-6; evmutation 1e-3).
    public var gradientTolerance: Float?
    /// Potts: L-BFGS history (default `PottsFit.defaultMemory`, 5 or 2 by the model's size; evmutation 6).
    public var lbfgsMemory: Int?
    /// Potts: precondition L-BFGS with the inverse Hessian-diagonal estimate (default on; evmutation
    /// off, as plmc).
    public var preconditioner: Bool?
    /// PSSM pseudocount fraction λ (default: chosen by cross-validation).
    public var pseudocountFraction: Double?
    /// PSSM: folds K (whole clusters, `PSSMCrossValidation`) of the cross-validation that chooses λ
    /// (default min(5, N)). ArDCA: when set, λ_J = λ_h is chosen on ≈ 1/K of the sequences held out
    /// as whole clusters (`ArDCACrossValidation`).
    public var crossValidate: Int?
    /// PSSM estimator.
    public var pssmStyle = PSSMStyle.pseudocount
    /// Gaussian: shrinkage λ added to the covariance diagonal (default 4.5/√Neff).
    public var shrinkage: Double?
    /// Attention: the fitter's settings (heads, head dimension, optimizer and its schedule, shards);
    /// its `seed`, `lambdaFields` and `lambdaCouplings` are set from `seed`, `lambdaH` and `lambdaJ`
    /// at fit time.
    public var attention = AttentionFit()
    /// ArDCA: column order.
    public var order = ArDCAFit().ordering
    /// LM (`ModelKind.lm`): the masked-LM fitter's settings and architecture; its `seed` is `seed`
    /// and `configuration.maxPositions` is set from the training sequences at fit time.
    public var languageModel = LanguageModelFit()
    /// Random seed of the initialisation (attention, lm).
    public var seed: UInt64 = 0
    /// VAE: architecture, optimisation, validation split and seed (its `seed` is set from `seed`
    /// by the CLI), and the number of models trained with consecutive seeds.
    public var vae = VAEFit()
    public var vaeEnsemble = 1
    /// Potts: refine the pseudolikelihood fit (nil: no refinement), with these settings (its seed
    /// is `seed`, set by the CLI).
    public var refine: Refinement?
    public var boltzmann = BoltzmannRefinement()
    /// Refuse a fit whose memory estimate exceeds the memory available.
    public var memoryCheck = true

    /// The command line's defaults for `kind`.
    public init(kind: ModelKind = .potts) { self.kind = kind }

    var evmutation: Bool { preset == .evmutation }
    /// The settings in effect: the option when given, else the preset's value, else the default.
    public var resolvedTolerance: Double { tolerance ?? (evmutation ? 0 : PottsFit().relativeTolerance) }
    public var resolvedGradientTolerance: Float { gradientTolerance ?? (evmutation ? 1e-3 : PottsFit().gradientTolerance) }
    /// nil: by the model's size (`PottsFit.defaultMemory`).
    public var resolvedLBFGSMemory: Int? { lbfgsMemory ?? (evmutation ? 6 : PottsFit().memory) }
    public var resolvedPreconditioner: Bool { preconditioner ?? !evmutation }
    public var resolvedToleranceWindow: Int { toleranceWindow ?? (evmutation ? 1 : PottsFit().toleranceWindow) }
    public var resolvedGapsAsMissing: Bool { gapsAsMissing ?? (evmutation || refine == nil) }
    public var resolvedWeighting: SequenceWeights.Identity { weighting ?? (evmutation ? .plmcInclusive : .plmc) }
    /// The evmutation preset reads alignments with `dropsNonstandardSequences` (plmc's rule).
    public var dropsNonstandardSequences: Bool { evmutation }

    /// Combinations of settings no fit accepts (a preset for another kind, a Potts option for
    /// another kind, values out of range).
    public func check() throws {
        if evmutation && kind != .potts { throw PipelineError("--preset evmutation is a Potts fit; drop --model \(kind.rawValue)") }
        if gapsAsMissing != nil && kind != .potts { throw PipelineError("--gaps-as-missing is a Potts option") }
        if preconditioner != nil && kind != .potts { throw PipelineError("--preconditioner is a Potts option") }
        if evmutation && gapsAsMissing == false { throw PipelineError("--preset evmutation treats gaps as missing data; drop --no-gaps-as-missing") }
        if attention.shards != 1 && (kind != .attention || attention.optimizer != .adam) {
            throw PipelineError("--shards splits the attention fit's Adam steps over the sequences; it needs --model attention (and --optimizer adam)")
        }
        if refine != nil && kind != .potts { throw PipelineError("--refine bm refines a Potts fit; drop --model \(kind.rawValue) or --refine") }
        if refine != nil {
            do { try boltzmann.check() } catch let e as SamplingError { throw PipelineError(e.description) }
        }
        guard resolvedTolerance >= 0, resolvedGradientTolerance >= 0, (resolvedLBFGSMemory ?? 1) >= 1, resolvedToleranceWindow >= 1 else {
            throw PipelineError("--tolerance and --gradient-tolerance must be ≥ 0, --lbfgs-memory and --tolerance-window ≥ 1")
        }
    }
}
