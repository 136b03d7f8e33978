import Testing
import Tensors
import Autodiff
import Sequences
@testable import Potts
#if canImport(Glibc)
import Glibc
#endif

/// A random alignment with some structure (near-copies), and random positive weights.
func randomAlignment(n: Int, l: Int, seed: UInt64) -> (MultipleSequenceAlignment, [Float]) {
    var rng = RandomGenerator(seed: seed)
    let parent = (0..<l).map { _ in UInt8(rng.int(below: 21)) }
    var codes: [UInt8] = []
    for _ in 0..<n { for i in 0..<l { codes.append(rng.uniform() < 0.4 ? UInt8(rng.int(below: 21)) : parent[i]) } }
    let msa = MultipleSequenceAlignment(alphabet: .protein, names: (0..<n).map { "s\($0)" }, codes: codes, length: l)
    return (msa, (0..<n).map { _ in 0.2 + rng.uniform() })
}

@Suite struct PseudoLikelihoodTests {
    /// The fused kernel against the same objective through the generic autodiff ops: loss and
    /// gradient agree to a relative 1e-4 — with the gap as a state and as missing data (plmc -g).
    @Test(arguments: [(40, 7, UInt64(1), false), (130, 5, UInt64(2), false), (9, 11, UInt64(3), false),
                      (40, 7, UInt64(1), true), (130, 5, UInt64(2), true), (9, 11, UInt64(3), true)])
    func fusedKernelMatchesAutodiff(n: Int, l: Int, seed: UInt64, gapsAsMissing: Bool) {
        let (msa, weights) = randomAlignment(n: n, l: l, seed: seed)
        expectFusedMatchesAutodiff(msa, weights, seed: seed, gapsAsMissing: gapsAsMissing)
    }

    /// Identical sequences become one weighted row (`rows` < N) and the objective and gradient stay
    /// those of the unmerged alignment (the autodiff reference runs over every sequence).
    @Test(arguments: [false, true])
    func identicalSequencesMergeWithoutChangingTheObjective(gapsAsMissing: Bool) {
        let (base, _) = randomAlignment(n: 12, l: 6, seed: 21)
        var rng = RandomGenerator(seed: 22)
        let picks = (0..<50).map { _ in rng.int(below: 12) }        // 50 rows drawn from 12 distinct ones
        let codes = picks.flatMap { Array(base.codes[($0 * 6)..<(($0 + 1) * 6)]) }
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: picks.indices.map { "s\($0)" }, codes: codes, length: 6)
        let weights = picks.map { _ in 0.2 + rng.uniform() }
        let objective = PseudoLikelihood(msa, weights: weights, gapsAsMissing: gapsAsMissing)
        #expect(objective.sequences == 50 && objective.rows == Set(picks).count)
        expectFusedMatchesAutodiff(msa, weights, seed: 23, gapsAsMissing: gapsAsMissing)
    }

    /// Sites on several threads add to a pair's gradient block under its lock, in whichever order
    /// they finish; each entry sums exactly two kernel terms into 0 (then the penalty), so F and ∇F
    /// are the same bits at any thread count — with every coupling held, and with the live ones and
    /// gaps as missing data (full rows, partial rows and the gap's lane).
    @Test(arguments: [false, true])
    func evaluationIsTheSameAtEveryThreadCount(gapsAsMissing: Bool) {
        let (msa, weights) = randomAlignment(n: 40, l: 23, seed: 41)
        var rng = RandomGenerator(seed: 42)
        for kind in [CouplingParameters.Kind.every, .live] {
            let objective = PseudoLikelihood(msa, weights: weights, gapsAsMissing: gapsAsMissing, couplings: kind)
            let theta = (0..<objective.parameterCount).map { _ in 0.3 * rng.normal() }
            var results: [(Double, [Float])] = []
            for threads in [1, 2, 3, 5] {
                var gradient = [Float](repeating: .nan, count: theta.count)
                results.append((Parallel.withThreads(threads) { objective.evaluate(theta, &gradient) }, gradient))
            }
            #expect(results.allSatisfy { $0.0 == results[0].0 && $0.1 == results[0].1 }, "\(kind), gaps as missing: \(gapsAsMissing)")
        }
    }

    /// A whole L-BFGS fit is the same bits at any thread count: the kernel's sums are (above), and
    /// the optimizer's long reductions are summed in chunks fixed by the vector's length
    /// (`VectorOps.reductionChunks`; at 3 threads a fit once differed in its last bits). θ here is
    /// long enough (> 2¹⁷ values) to be summed in two chunks.
    @Test func aFitIsTheSameBitsAtEveryThreadCount() {
        let (msa, weights) = randomAlignment(n: 60, l: 40, seed: 43)
        #expect(PseudoLikelihood(msa, weights: weights).parameterCount > 2 << 16)
        let fits = [1, 2, 3, 5].map { threads in
            Parallel.withThreads(threads) { PottsFit(maxIterations: 12, relativeTolerance: 0).fit(msa, weights: weights) }
        }
        for (fit, threads) in zip(fits, [1, 2, 3, 5]) {
            #expect(fit.iterations == fits[0].iterations && fit.objective == fits[0].objective, "\(threads) threads")
            #expect(fit.model.fields.scalars == fits[0].model.fields.scalars && fit.model.couplings.scalars == fits[0].model.couplings.scalars,
                    "\(threads) threads")
        }
    }

    /// The kernel layouts give a row (slot) only to the states a column shows, in code order per
    /// column, then one zero slot; a missing gap has none. Column 0 shows codes 0 and 1, column 1
    /// code 0, column 2 code 3 and the gap (20).
    @Test func kernelLayoutsHoldOnlyTheStatesEachColumnShows() {
        let codes: [UInt8] = [0, 0, 20, 1, 0, 3, 0, 0, 3]
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b", "c"], codes: codes, length: 3)
        let asState = KernelLayouts(msa, gapsAsMissing: false), missing = KernelLayouts(msa, gapsAsMissing: true)
        #expect(asState.slots == 6 && asState.slotStates == [0, 1, 0, 3, 20] && asState.slotStarts == [0, 2, 3, 5])
        #expect(missing.slots == 5 && missing.slotStates == [0, 1, 0, 3] && missing.slotStarts == [0, 2, 3, 4])
        #expect(missing.slot(column: 2, state: 20) == missing.zeroSlot && missing.slot(column: 1, state: 1) == missing.zeroSlot)
        #expect(asState.slot(column: 2, state: 20) == 4 && asState.slot(column: 0, state: 1) == 1)
        #expect(KernelLayouts.slotCount(msa, gapsAsMissing: true) == 5)
    }

    func expectFusedMatchesAutodiff(_ msa: MultipleSequenceAlignment, _ weights: [Float], seed: UInt64, gapsAsMissing: Bool) {
        let l = msa.length
        let q = 21
        let objective = PseudoLikelihood(msa, weights: weights, lambdaFields: 0.01, lambdaCouplings: 0.3, gapsAsMissing: gapsAsMissing)
        var rng = RandomGenerator(seed: seed + 100)
        let theta = (0..<objective.parameterCount).map { _ in 0.3 * rng.normal() }
        var gradient = [Float](repeating: 0, count: theta.count)
        let fused = objective.evaluate(theta, &gradient)

        let model = objective.model(from: theta, alphabet: .protein)
        var m = Tensor(zeros: [l * q, l * q])
        for i in 0..<l { for j in 0..<l where i != j { for a in 0..<q { for b in 0..<q { m[i * q + a, j * q + b] = model.coupling(i, j, a, b) } } } }
        let h = Variable(model.fields, requiresGrad: true), jm = Variable(m, requiresGrad: true)
        let nll = PseudoLikelihoodAutodiff.negativeLogPseudoLikelihood(msa, weights: weights, fields: h, couplings: jm,
                                                                       gapsAsMissing: gapsAsMissing)
        nll.backward()
        var reg = 0.0
        for k in 0..<(l * q) { reg += 0.01 * Double(theta[k] * theta[k]) }
        for k in (l * q)..<theta.count { reg += 0.3 * Double(theta[k] * theta[k]) }
        #expect(Swift.abs(fused - (Double(nll.item) + reg)) <= 1e-4 * Swift.abs(fused), "fused \(fused) vs autodiff \(Double(nll.item) + reg)")

        var worst: Float = 0, scale: Float = 0
        for k in 0..<(l * q) {
            let reference = h.grad!.scalars[k] + 2 * 0.01 * theta[k]
            worst = Swift.max(worst, Swift.abs(gradient[k] - reference)); scale = Swift.max(scale, Swift.abs(reference))
        }
        let gm = jm.grad!
        var k = l * q
        for i in 0..<l { for j in (i + 1)..<l { for a in 0..<q { for b in 0..<q {
            let reference = gm[i * q + a, j * q + b] + gm[j * q + b, i * q + a] + 2 * 0.3 * theta[k]
            worst = Swift.max(worst, Swift.abs(gradient[k] - reference)); scale = Swift.max(scale, Swift.abs(reference))
            k += 1
        } } } }
        #expect(worst <= 1e-4 * scale, "max gradient difference \(worst) at scale \(scale)")
    }

    /// Gaps as missing data, by central differences in double-checked Float: every field and a sample
    /// of couplings (gap entries included, whose derivative is the penalty's alone).
    @Test func gapsAsMissingGradientMatchesFiniteDifferences() {
        let (msa, weights) = randomAlignment(n: 12, l: 4, seed: 7)
        let objective = PseudoLikelihood(msa, weights: weights, lambdaFields: 0.05, lambdaCouplings: 0.2, gapsAsMissing: true)
        var rng = RandomGenerator(seed: 11)
        let theta = (0..<objective.parameterCount).map { _ in 0.5 * rng.normal() }
        var gradient = [Float](repeating: 0, count: theta.count), scratch = gradient
        _ = objective.evaluate(theta, &gradient)
        let q = 21
        let gapField = 0 * q + 20, gapCoupling = objective.pairOffset(0, 2) + 3 * q + 20
        let probes = Array(0..<(4 * q)) + [objective.pairOffset(0, 1) + 2 * q + 5, objective.pairOffset(1, 3) + 7 * q + 7,
                                            objective.pairOffset(2, 3) + 19 * q + 0, gapCoupling]
        for k in probes {
            var plus = theta, minus = theta
            let step: Float = 1e-2
            plus[k] += step; minus[k] -= step
            let numeric = (objective.evaluate(plus, &scratch) - objective.evaluate(minus, &scratch)) / Double(2 * step)
            #expect(Swift.abs(numeric - Double(gradient[k])) <= 2e-3 * Swift.max(1, Swift.abs(numeric)), "parameter \(k): analytic \(gradient[k]), numeric \(numeric)")
        }
        // The gap's entries only see the penalty.
        #expect(Swift.abs(gradient[gapField] - 2 * 0.05 * theta[gapField]) < 1e-5)
        #expect(Swift.abs(gradient[gapCoupling] - 2 * 0.2 * theta[gapCoupling]) < 1e-5)
    }

    @Test func parametersRoundTripThroughTheModel() {
        let (msa, weights) = randomAlignment(n: 5, l: 4, seed: 9)
        let objective = PseudoLikelihood(msa, weights: weights)
        var rng = RandomGenerator(seed: 4)
        let theta = (0..<objective.parameterCount).map { _ in rng.normal() }
        let model = objective.model(from: theta, alphabet: .protein)
        #expect(objective.parameters(from: model) == theta)
        #expect(model.coupling(1, 3, 4, 7) == model.coupling(3, 1, 7, 4))
        #expect(model.coupling(2, 2, 1, 1) == 0)
    }

    @Test func defaultCouplingPenaltyIsPlmcs() {
        let (msa, weights) = randomAlignment(n: 5, l: 11, seed: 1)
        #expect(PseudoLikelihood(msa, weights: weights).lambdaCouplings == 0.2 * 10)
    }

    @Test func checkRejectsUnusableAlignments() {
        let one = MultipleSequenceAlignment(alphabet: .protein, names: ["a"], codes: [1, 2, 3], length: 3)
        let narrow = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b"], codes: [1, 2], length: 1)
        let gapColumn = MultipleSequenceAlignment(alphabet: .protein, names: ["a", "b"], codes: [1, 20, 2, 20], length: 2)
        // 3,200 columns that each show all 21 states: more slots than the kernel's UInt16 rows index.
        let wideCodes: [UInt8] = (0..<(21 * 3200)).map { (k: Int) -> UInt8 in UInt8((k / 3200 + k % 3200) % 21) }
        let wide = MultipleSequenceAlignment(alphabet: .protein, names: (0..<21).map { (s: Int) -> String in "s\(s)" }, codes: wideCodes, length: 3200)
        for (msa, phrase) in [(one, "at least 2 sequences"), (narrow, "at least 2 columns"), (gapColumn, "gaps in every sequence"),
                              (wide, "show 67200 states in all; the Potts kernel indexes at most 65534")] {
            do { try PottsFit.check(msa); Issue.record("accepted: \(phrase)") } catch { #expect("\(error)".contains(phrase), "\(error)") }
        }
    }
}

/// EVmutation's independent model and the PSSM's cross-validation criterion.
@Suite struct IndependentModelTests {
    /// The fields are the minimiser: N·(P − f) + 2λh = 0 for the 20 residues (h up to the gauge the
    /// stored log-probabilities fix), and the gap carries no probability mass of its own.
    @Test func evmutationIndependentModelIsStationary() {
        let (msa, weights) = randomAlignment(n: 30, l: 6, seed: 5)
        let lambda = 0.5
        let pssm = PSSM.evmutationIndependent(msa, weights: weights, lambdaFields: lambda)
        let neff = weights.reduce(0.0) { $0 + Double($1) }
        for i in 0..<6 {
            var f = [Double](repeating: 0, count: 20)
            for n in 0..<msa.count where msa[n, i] != 20 { f[Int(msa[n, i])] += Double(weights[n]) }
            let total = f.reduce(0, +); f = f.map { $0 / total }
            let logP = (0..<20).map { Double(pssm.fields[i, $0]) }
            let p = logP.map { Glibc.exp($0) }
            #expect(Swift.abs(p.reduce(0, +) - 1) < 1e-5)
            // The MAP fields h are log P shifted so that the penalty's gradient balances: h = logP + c
            // with c = −mean(logP) (Σ_a ∂/∂h_a = 2λ Σ h = 0 at the optimum).
            let c = -logP.reduce(0, +) / 20
            for a in 0..<20 {
                let g = neff * (p[a] - f[a]) + 2 * lambda * (logP[a] + c)
                #expect(Swift.abs(g) < 1e-3 * neff, "site \(i) residue \(a): gradient \(g)")
            }
        }
    }

    @Test func crossValidationScoresHeldOutSequencesAndPicksTheBest() {
        // Two letters only: a tiny pseudocount predicts the held-out rows best; a large one worse.
        let rows = (0..<20).map { $0 % 5 == 0 ? "ACD" : "ACE" }      // the ACD rows fall in every fold
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: rows.indices.map { "s\($0)" },
                                            codes: rows.flatMap { Alphabet.protein.encode($0)! }, length: 3)
        let w = [Float](repeating: 1, count: 20)
        let folds = (0..<20).map { $0 % 4 }
        let small = PSSMCrossValidation.heldOutLogLikelihood(msa, weights: w, folds: folds, pseudocountFraction: 0.01)
        let large = PSSMCrossValidation.heldOutLogLikelihood(msa, weights: w, folds: folds, pseudocountFraction: 0.5)
        #expect(small > large)
        let best = PSSMCrossValidation.best(msa, weights: w, folds: folds, candidates: [0.5, 0.01, 0.1])
        #expect(best.best == 0.01 && best.scores[1] == small)
        // ℓ by hand at λ = 0.5, folds {0, 4}, …: each training part has 12 ACE and 3 ACD rows (Neff 15),
        // pseudocount 15 over 21 states; column 3 gives E (12 + 15/21)/30, D (3 + 15/21)/30, the
        // first two columns (15 + 15/21)/30; each fold holds 4 ACE rows and 1 ACD row.
        let c = 15.0 / 21, shared = 2 * Glibc.log((15 + c) / 30)
        let byHand = shared + (4 * Glibc.log((12 + c) / 30) + Glibc.log((3 + c) / 30)) / 5
        #expect(Swift.abs(large - byHand) < 1e-5 * Swift.abs(byHand))       // Float fields
    }
}
