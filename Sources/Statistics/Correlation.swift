/// Ranks with ties given their average rank (1-based).
public func averageRanks(_ v: [Double]) -> [Double] {
    let order = v.indices.sorted { v[$0] < v[$1] }
    var ranks = [Double](repeating: 0, count: v.count)
    var k = 0
    while k < order.count {
        var e = k
        while e + 1 < order.count && v[order[e + 1]] == v[order[k]] { e += 1 }
        let r = Double(k + e) / 2 + 1
        for t in k...e { ranks[order[t]] = r }
        k = e + 1
    }
    return ranks
}

/// The mean and the sample variance Σ(v − mean)² / (n − 1); nil with fewer than two values.
public func meanAndSampleVariance(_ v: [Double]) -> (mean: Double, variance: Double)? {
    guard v.count >= 2 else { return nil }
    let mean = v.reduce(0, +) / Double(v.count)
    return (mean, v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1))
}

/// Pearson correlation; nil when either side is constant or fewer than 2 points.
public func pearson(_ x: [Double], _ y: [Double]) -> Double? {
    precondition(x.count == y.count)
    guard x.count >= 2 else { return nil }
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
    guard sxx > 0 && syy > 0 else { return nil }
    return sxy / (sxx * syy).squareRoot()
}

/// Spearman's ρ: Pearson correlation of average ranks (tie-aware).
public func spearman(_ x: [Double], _ y: [Double]) -> Double? { pearson(averageRanks(x), averageRanks(y)) }
