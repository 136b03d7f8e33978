import Testing
import Tensors
import Sequences
@testable import Potts

@Suite struct CouplingParametersTests {
    /// `.every` is the packed upper triangle (q² entries per pair, in (i, j, a, b) order).
    @Test func everyIsThePackedUpperTriangle() {
        let (msa, _) = randomAlignment(n: 7, l: 5, seed: 41)
        let layouts = KernelLayouts(msa, gapsAsMissing: true)
        let every = CouplingParameters(layouts, kind: .every)
        #expect(every.count == PottsFit.parameterCount(length: 5, states: 21))
        for i in 0..<5 { for j in (i + 1)..<5 { #expect(every.offset(i, j) == 5 * 21 + Couplings.packedOffset(i, j, length: 5, states: 21)) } }
        #expect(every.index(1, 3, 20, 4) == every.offset(1, 3) + 20 * 21 + 4)
    }

    /// `.live` holds exactly the entries with a state its column shows on either side and no missing
    /// gap; `expanded` and `compacted` place every held entry where `index` says, and nothing else.
    @Test(arguments: [false, true])
    func liveHoldsTheEntriesTheLikelihoodReads(gapsAsMissing: Bool) {
        let (msa, _) = randomAlignment(n: 6, l: 5, seed: 42)
        let (l, q) = (5, 21)
        let layouts = KernelLayouts(msa, gapsAsMissing: gapsAsMissing)
        let live = CouplingParameters(layouts, kind: .live)
        #expect(live.count == PottsFit.parameterCount(msa, gapsAsMissing: gapsAsMissing))
        let shown = KernelLayouts.shownStates(msa.codes, length: l, states: q, gapsAsMissing: gapsAsMissing)
        let missing = gapsAsMissing ? q - 1 : Int.max
        var every = (0..<PottsFit.parameterCount(length: l, states: q)).map { Float($0) }
        let theta = live.compacted(every)
        #expect(theta.count == live.count && Set(theta).count == theta.count)
        var held = 0
        for i in 0..<l {
            for j in (i + 1)..<l {
                for a in 0..<q {
                    for b in 0..<q {
                        let k = l * q + Couplings.packedOffset(i, j, length: l, states: q) + a * q + b
                        let reads = a != missing && b != missing && (shown[i * q + a] || shown[j * q + b])
                        #expect((live.index(i, j, a, b) != nil) == reads)
                        if let index = live.index(i, j, a, b) { #expect(theta[index] == every[k]); held += 1 } else { every[k] = 0 }
                    }
                }
            }
        }
        #expect(held == live.count - l * q && held < l * (l - 1) / 2 * q * q)
        #expect(live.expanded(theta) == every)
        #expect(live.couplings(theta) == Couplings(packedUpperTriangle: every[(l * q)...], length: l, states: q))
    }

    /// The objective over the live couplings equals the objective over every coupling with the
    /// others at 0, and its gradient is that gradient's held entries — the rest of which is 0: the
    /// entries left out take no part in the fit.
    @Test(arguments: [(40, 7, UInt64(1), false), (9, 11, UInt64(3), true), (9, 11, UInt64(4), false)])
    func liveObjectiveIsTheFullObjectiveOnItsEntries(n: Int, l: Int, seed: UInt64, gapsAsMissing: Bool) {
        let (msa, weights) = randomAlignment(n: n, l: l, seed: seed)
        let full = PseudoLikelihood(msa, weights: weights, lambdaCouplings: 0.3, gapsAsMissing: gapsAsMissing)
        let live = PseudoLikelihood(msa, weights: weights, lambdaCouplings: 0.3, gapsAsMissing: gapsAsMissing, couplings: .live)
        #expect(live.parameterCount < full.parameterCount)
        var rng = RandomGenerator(seed: seed + 7)
        let theta = (0..<live.parameterCount).map { _ in 0.3 * rng.normal() }
        let thetaFull = live.couplingParameters.expanded(theta)
        var g = [Float](repeating: 0, count: theta.count), gFull = [Float](repeating: 0, count: thetaFull.count)
        let f = live.evaluate(theta, &g), fFull = full.evaluate(thetaFull, &gFull)
        #expect(Swift.abs(f - fFull) <= 1e-9 * Swift.abs(fFull))
        #expect(live.couplingParameters.compacted(gFull) == g)
        #expect(live.couplingParameters.expanded(g) == gFull)
        #expect(live.model(from: theta, alphabet: .protein).couplings.scalars == full.model(from: thetaFull, alphabet: .protein).couplings.scalars)
        #expect(live.parameters(from: live.model(from: theta, alphabet: .protein)) == theta)
    }
}
