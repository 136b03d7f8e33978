import Testing
#if canImport(Glibc)
import Glibc
#endif
import Console

let trainOptions = ["--labels", "--split-seed", "--output", "--architecture", "--activation", "--reverse-complement", "--epochs",
                    "--batch-size", "--learning-rate", "--l2", "--patience", "--monitor", "--seed", "--curve", "--checkpoint-every",
                    "--checkpoint", "--resume", "--force", "--threads", "--quiet", "--help", "-o", "-h"]

@Test func aPrefixOfAnOptionSuggestsThatOption() {
    #expect(OptionSuggestion.closest(to: "--arch", among: trainOptions) == "--architecture")
    #expect(OptionSuggestion.closest(to: "--check", among: trainOptions) == "--checkpoint")      // the shortest completion
    #expect(OptionSuggestion.closest(to: "--lab", among: trainOptions) == "--labels")
}

@Test func aTypoSuggestsTheNearestOptionByEditDistance() {
    #expect(OptionSuggestion.closest(to: "--quite", among: trainOptions) == "--quiet")
    #expect(OptionSuggestion.closest(to: "--epoch=3", among: trainOptions) == "--epochs")
    #expect(OptionSuggestion.closest(to: "--learning-rat", among: trainOptions) == "--learning-rate")
}

@Test func anUnrelatedNameSuggestsNothing() {
    #expect(OptionSuggestion.closest(to: "--wibble", among: trainOptions) == nil)
}

@Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
    #expect(OptionSuggestion.editDistance("kitten", "sitting") == 3)
    #expect(OptionSuggestion.editDistance("", "abc") == 3)
    #expect(OptionSuggestion.editDistance("force", "force") == 0)
}

@Test func theForecastFollowsAGeometricallyConvergingObjective() {
    // f_k = 100 + 50·0.5^k: r_k ≈ 50·0.5^k / 100 halves every iteration, so it falls to 1e-4 at
    // k = log2(0.5 / 1e-4) ≈ 12.3, i.e. 13 — far before a cap of 100.
    var forecast = ConvergenceForecast(tolerance: 1e-4)
    for k in 0...6 { forecast.record(100 + 50 * pow(0.5, Double(k))) }
    let left = forecast.remainingIterations
    #expect(left != nil && (5...8).contains(left!), "6 iterations done, about 13 in all: \(String(describing: left))")
}

@Test func noForecastWhileTheObjectiveIsNotConverging() {
    var forecast = ConvergenceForecast(tolerance: 1e-4)
    for k in 0..<10 { forecast.record(1000 - 10 * Double(k) * Double(k)) }     // accelerating decrease
    #expect(forecast.remainingIterations == nil)
    var flat = ConvergenceForecast(tolerance: 1e-2)
    for k in 0..<10 { flat.record(100 - 1e-3 * Double(k)) }                    // already below tolerance
    #expect(flat.remainingIterations == 0)
}
