import Statistics

/// Whether MCMC chains have mixed, judged as adabmDCA does from overlaps between samples
/// (overlap O(x, y) = fraction of identical columns) and from the chains' score trajectories:
///
/// - O_ext: mean overlap of samples at the same step of two different chains (independent draws);
/// - O_int: mean overlap of consecutive samples of one chain (`thinning` sweeps apart).
///   A chain whose samples are still correlated has O_int > O_ext; mixed chains have O_int ≈ O_ext.
/// - score drift: the mean over chains of (mean score of a chain's second half − first half);
///   a chain still relaxing from its start drifts by more than its standard error.
///
/// `warnings` lists each failed check (empty when mixed, or when there are too few chains or
/// samples to judge, which `judged` tells).
public struct MixingCheck: Sendable {
    public var externalOverlap: Double
    public var internalOverlap: Double
    /// Standard error of O_int − O_ext (from the spread over chains).
    public var overlapStandardError: Double
    public var scoreDrift: Double
    public var scoreDriftStandardError: Double
    public var judged: Bool
    public var warnings: [String]

    public init(codes: [UInt8], length l: Int, samplesPerChain per: [Int], traces: [[Double]]) {
        var first = [0]
        for n in per { first.append(first.last! + n) }
        func overlap(_ a: Int, _ b: Int) -> Double {
            var same = 0
            for i in 0..<l where codes[a * l + i] == codes[b * l + i] { same += 1 }
            return Double(same) / Double(Swift.max(l, 1))
        }
        let chains = per.count
        var diffs: [Double] = [], ext: [Double] = [], int: [Double] = []
        for c in 0..<chains where per[c] >= 2 {
            let d = (c + 1) % chains
            let steps = Swift.min(per[c], per[d])
            var e = 0.0, i = 0.0
            for s in 0..<steps { e += overlap(first[c] + s, first[d] + s) }
            for s in 1..<per[c] { i += overlap(first[c] + s - 1, first[c] + s) }
            if chains >= 2 && d != c { ext.append(e / Double(steps)) }
            int.append(i / Double(per[c] - 1))
            if chains >= 2 && d != c { diffs.append(int.last! - ext.last!) }
        }
        func meanAndError(_ v: [Double]) -> (Double, Double) {
            guard !v.isEmpty else { return (.nan, .nan) }
            guard let (m, variance) = meanAndSampleVariance(v) else { return (v[0], .nan) }
            return (m, (variance / Double(v.count)).squareRoot())
        }
        externalOverlap = meanAndError(ext).0
        internalOverlap = meanAndError(int).0
        let (dOverlap, seOverlap) = meanAndError(diffs)
        overlapStandardError = seOverlap
        var drifts: [Double] = []
        for t in traces where t.count >= 4 {
            let h = t.count / 2
            drifts.append(t[h...].reduce(0, +) / Double(t.count - h) - t[..<h].reduce(0, +) / Double(h))
        }
        (scoreDrift, scoreDriftStandardError) = meanAndError(drifts)
        judged = diffs.count >= 2 && drifts.count >= 2
        warnings = []
        if judged && dOverlap > Swift.max(3 * seOverlap, 0.01) {
            warnings.append("chains have not mixed: consecutive samples overlap \(Self.fmt(internalOverlap)) vs \(Self.fmt(externalOverlap)) between chains (difference \(Self.fmt(dOverlap)) ± \(Self.fmt(seOverlap))); raise --thin")
        }
        if judged && Swift.abs(scoreDrift) > 3 * scoreDriftStandardError {
            warnings.append("chains have not equilibrated: the score drifts by \(Self.fmt(scoreDrift)) ± \(Self.fmt(scoreDriftStandardError)) between the first and second half of the chains; raise --burn-in")
        }
    }

    static func fmt(_ x: Double) -> String {
        guard x.isFinite else { return "n/a" }
        let scaled = (x * 1000).rounded() / 1000
        return String(scaled)
    }
}
