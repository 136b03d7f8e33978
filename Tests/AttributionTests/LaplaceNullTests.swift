import Testing
import Tensors
import Attribution
#if canImport(Glibc)
import Glibc
#endif

@Suite struct LaplaceNullTests {
    /// Scores that are a Laplace distribution's own quantiles: mode 0.5, rate 2 above (60% of the
    /// scores), 3 below (the density 1.2 on both sides of the mode).
    static func laplaceQuantiles() -> [Float] {
        let (mu, up, down) = (0.5, 2.0, 3.0)
        let above = (0..<6000).map { k in Float(mu - log(1 - (Double(k) + 0.5) / 6000) / up) }
        let below = (0..<4000).map { k in Float(mu + log(1 - (Double(k) + 0.5) / 4000) / down) }
        return above + below
    }

    @Test func theFitRecoversALaplaceDistribution() {
        let fit = LaplaceNull(fitting: Self.laplaceQuantiles())
        // The mode to within one first-level bin (the range / 1000 ≈ 0.0077), the rates to 2%.
        #expect(Swift.abs(fit.mode - 0.5) < 0.0077, "mode \(fit.mode)")
        #expect(Swift.abs(fit.positiveRate / 2 - 1) < 0.02 && Swift.abs(fit.negativeRate / 3 - 1) < 0.02, "\(fit)")
        #expect(Swift.abs(fit.positiveFraction - 0.6) < 0.01)
    }

    @Test func tailsByHand() {
        let null = LaplaceNull(mode: 0.25, positiveRate: 2, negativeRate: 1, positiveFraction: 0.6)
        // |S| ≥ 1: S ≥ 1 is 0.75 above the mode, S ≤ −1 is 1.25 below it.
        #expect(Swift.abs(null.tail(1) - (0.6 * exp(-1.5) + 0.4 * exp(-1.25))) < 1e-12)
        // t below the mode: every score above the mode counts.
        #expect(Swift.abs(null.tail(0.1) - (0.6 + 0.4 * exp(-0.35))) < 1e-12)
        let flat = LaplaceNull(fitting: [Float](repeating: 2, count: 50))
        #expect(flat.positiveRate == .infinity && flat.tail(3) == 0 && flat.tail(1) == 1)
    }

    /// Maps whose noise moves together over neighbouring positions (each observed base's contribution
    /// gets a moving sum over 9 positions of independent N(0, 0.05²) noise): windows of noise sum
    /// higher than windows of the same values permuted, so the permutation null calls noise seqlets;
    /// the Laplace null, fitted to the windows themselves, does not, and still finds planted motifs.
    @Test func correlatedNoiseFoolsThePermutationNullNotTheLaplaceNull() {
        func smoothed(_ planted: PlantedMaps) -> PlantedMaps {
            var out = planted, rng = RandomGenerator(seed: 99)
            for n in 0..<planted.count {
                let z = (0..<planted.length).map { _ in 0.05 * rng.normal() }
                for i in 0..<planted.length {
                    let s = (Swift.max(0, i - 4)...Swift.min(planted.length - 1, i + 4)).reduce(Float(0)) { $0 + z[$1] }
                    let k = (n * planted.length + i) * 4
                    for b in 0..<4 where planted.x[k + b] == 1 { out.a[k + b] += s }
                }
            }
            return out
        }
        let noise = smoothed(PlantedMaps(count: 100, length: 120, seed: 21))
        let permutation = SeqletCaller(window: 10, flank: 3, fdr: 0.05, seed: 1).call(noise.maps)
        let laplace = SeqletCaller(window: 10, flank: 3, fdr: 0.05, null: .laplace).call(noise.maps)
        #expect(permutation.seqlets.count > 100, "permutation null: \(permutation.seqlets.count) seqlets in noise")
        #expect(laplace.seqlets.count == 0, "Laplace null: \(laplace.seqlets.count) seqlets in noise")
        #expect(laplace.laplace != nil && laplace.nullWindows == 0)

        var planted = smoothed(PlantedMaps(count: 100, length: 120, seed: 21))
        for n in stride(from: 0, to: 100, by: 4) { planted.plant(AttributionMotifsTests.a, sequence: n, at: 30 + n % 50) }
        let found = SeqletCaller(window: 10, flank: 3, fdr: 0.05, null: .laplace).call(planted.maps)
        let hits = found.seqlets.filter { $0.sequence % 4 == 0 && $0.start == 30 + $0.sequence % 50 }
        #expect(hits.count == 25, "\(hits.count) of 25 planted motifs")
        #expect(found.seqlets.count == hits.count, "\(found.seqlets.count - hits.count) others")
    }
}
