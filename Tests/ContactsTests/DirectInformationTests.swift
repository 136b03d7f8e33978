import Testing
import Foundation
import Tensors
import Contacts

@Suite struct DirectInformationTests {
    /// Two states, uniform marginals, e = ln 3 on the diagonal: the 2×2 table with margins ½ and odds
    /// ratio p²/(½ − p)² = e^{2 ln 3} = 9 has p = 3/8 on the diagonal, 1/8 off it, so
    /// DI = 2·(3/8)·ln((3/8)/(1/4)) + 2·(1/8)·ln((1/8)/(1/4)) = ¾ ln 1.5 − ¼ ln 2 = 0.1308120…
    @Test func twoStateCaseMatchesTheHandComputedValue() {
        let x = log(3.0)
        let p = DirectInformation.twoSiteModel(couplings: [x, 0, 0, x], fi: [0.5, 0.5], fj: [0.5, 0.5])
        for (got, want) in zip(p, [0.375, 0.125, 0.125, 0.375]) { #expect(abs(got - want) < 1e-9) }
        let di = DirectInformation.pair(couplings: [x, 0, 0, x], fi: [0.5, 0.5], fj: [0.5, 0.5])
        #expect(abs(di - (0.75 * log(1.5) - 0.25 * log(2.0))) < 1e-9)
        #expect(abs(di - 0.130812035) < 1e-8)
    }

    @Test func twoSiteModelHasTheGivenMarginals() {
        var rng = RandomGenerator(seed: 3)
        let q = 5
        let e = (0..<(q * q)).map { _ in Double(rng.normal()) }
        func simplex() -> [Double] { let v = (0..<q).map { _ in Double(rng.uniform()) + 0.1 }; let s = v.reduce(0, +); return v.map { $0 / s } }
        let fi = simplex(), fj = simplex()
        let p = DirectInformation.twoSiteModel(couplings: e, fi: fi, fj: fj)
        for a in 0..<q { #expect(abs((0..<q).reduce(0.0) { $0 + p[a * q + $1] } - fi[a]) < 1e-8) }
        for b in 0..<q { #expect(abs((0..<q).reduce(0.0) { $0 + p[$1 * q + b] } - fj[b]) < 1e-8) }
    }

    @Test func diIsSymmetricNonNegativeAndZeroForGaugeOnlyBlocks() {
        var rng = RandomGenerator(seed: 11)
        let (l, q) = (4, 3)
        var j = Tensor(zeros: [l, l, q, q])
        for i in 0..<l { for k in (i + 1)..<l { for a in 0..<q { for b in 0..<q {
            // pair (0, 1): a row + column pattern only (no coupling in any gauge)
            let v: Float = (i, k) == (0, 1) ? Float(a) * 0.7 - Float(b) * 0.4 : rng.normal()
            j[i, k, a, b] = v; j[k, i, b, a] = v
        } } } }
        var f = [Double](repeating: 0, count: l * q)
        for i in 0..<l { let v = (0..<q).map { _ in Double(rng.uniform()) + 0.05 }; let s = v.reduce(0, +); for a in 0..<q { f[i * q + a] = v[a] / s } }
        let di = DirectInformation.map(couplings: j, frequencies: f, pseudocount: 0.1)
        #expect(di[0, 1] < 1e-6)
        for i in 0..<l { #expect(di[i, i] == 0); for k in 0..<l { #expect(di[i, k] == di[k, i]); #expect(di[i, k] >= 0) } }
        #expect(di[2, 3] > 1e-4)
        // DI of the pair read the other way round (block transposed, marginals swapped) is the same.
        var e = [Double](repeating: 0, count: q * q), et = e
        for a in 0..<q { for b in 0..<q { e[a * q + b] = Double(j[2, 3, a, b]); et[b * q + a] = e[a * q + b] } }
        let fi = DirectInformation.withPseudocount(Array(f[6..<9]), states: q, weight: 0.1)
        let fj = DirectInformation.withPseudocount(Array(f[9..<12]), states: q, weight: 0.1)
        #expect(abs(DirectInformation.pair(couplings: e, fi: fi, fj: fj) - DirectInformation.pair(couplings: et, fi: fj, fj: fi)) < 1e-9)
        #expect(abs(Double(di[2, 3]) - DirectInformation.pair(couplings: e, fi: fi, fj: fj)) < 1e-6)
    }
}
