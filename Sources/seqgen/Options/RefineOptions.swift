import ArgumentParser
import Generative
import Pipelines

extension Refinement: ExpressibleByArgument {}

/// `seqgen fit --model potts --refine bm` options (Boltzmann-machine refinement, `BoltzmannRefinement`).
struct RefineOptions: ParsableArguments {
    /// The library's refinement settings, the defaults of the options left out.
    static let library = BoltzmannRefinement()

    @Option(help: "Potts: refine the pseudolikelihood fit: bm = Boltzmann-machine moment matching with persistent Gibbs chains (adabmDCA's recipe; --seed), until the chains' C_ij Pearson r over its noise ceiling reaches --refine-target or --refine-epochs updates.")
    var refine: Refinement?

    @Option(parsing: .unconditional, help: "bm: persistent Gibbs chains (default \(Self.library.chains)).")
    var refineChains: Int?

    @Option(parsing: .unconditional, help: "bm: Gibbs sweeps of every chain between updates (default \(Self.library.sweepsPerEpoch)).")
    var refineSweeps: Int?

    @Option(parsing: .unconditional, help: "bm: sweeps from the random start before the first update (default \(Self.library.burnIn)).")
    var refineBurnIn: Int?

    @Option(parsing: .unconditional, help: "bm: learning rate of the moment-matching step (default \(Self.library.learningRate)).")
    var refineRate: Double?

    @Option(parsing: .unconditional, help: "bm: L2 penalty λ on the couplings (default \(Self.library.l2)).")
    var refineL2: Double?

    @Option(parsing: .unconditional, help: "bm: stop when the chains' connected-correlation (C_ij) Pearson r divided by its noise ceiling (the r of as many weighted draws from the alignment) reaches this (default \(Self.library.targetPearson); may exceed 1).")
    var refineTarget: Double?

    @Option(parsing: .unconditional, help: "bm: maximum parameter updates (default \(Self.library.maxEpochs)).")
    var refineEpochs: Int?

    @Flag(inversion: .prefixedNo, help: "bm: take each step in centred variables (bmDCA's reparametrisation; the default) or, with --no-refine-centering, the plain moment-matching gradient step.")
    var refineCentering: Bool?

    /// The refinement settings (defaults where an option is absent); `seed` from `seqgen fit --seed`.
    func refinement(seed: UInt64) -> BoltzmannRefinement {
        var r = BoltzmannRefinement()
        if let refineChains { r.chains = refineChains }
        if let refineSweeps { r.sweepsPerEpoch = refineSweeps }
        if let refineBurnIn { r.burnIn = refineBurnIn }
        if let refineRate { r.learningRate = refineRate }
        if let refineL2 { r.l2 = refineL2 }
        if let refineTarget { r.targetPearson = refineTarget }
        if let refineEpochs { r.maxEpochs = refineEpochs }
        if let refineCentering { r.centered = refineCentering }
        r.seed = seed
        return r
    }

    func validate() throws {
        let given = [refineChains != nil, refineSweeps != nil, refineBurnIn != nil, refineRate != nil, refineL2 != nil, refineTarget != nil, refineEpochs != nil, refineCentering != nil]
        if refine == nil && given.contains(true) { throw ValidationError("the --refine-… options set up --refine bm; add --refine bm") }
        do { try refinement(seed: 0).check() } catch let e as SamplingError { throw ValidationError(e.description) }
    }
}
