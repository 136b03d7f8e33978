#if canImport(Glibc)
import Glibc
#endif

/// How many more iterations an iterative fit needs, from the convergence observed so far rather
/// than from its iteration cap.
///
/// The fits stop when the relative decrease of the objective over `span` iterations,
/// r_k = (f_{k−span} − f_k) / max(1, |f_k|), falls to `tolerance` or below (L-BFGS: span 1;
/// the attention fit's Adam rule: span 20). Near convergence r_k decays roughly geometrically, so
/// log r_k is fitted by least squares over the last `window` iterations, log r ≈ a + b·k, and the
/// forecast is the k at which a + b·k = log(tolerance). No forecast while r is not decreasing
/// (b ≥ 0), or before `window` values of r exist.
public struct ConvergenceForecast: Sendable {
    public let tolerance: Double
    public let span: Int
    public let window: Int
    private var objectives: [Double] = []

    public init(tolerance: Double, span: Int = 1, window: Int = 6) {
        self.tolerance = tolerance; self.span = max(1, span); self.window = max(2, window)
    }

    /// Records the objective after the next iteration.
    public mutating func record(_ objective: Double) {
        objectives.append(objective)
        if objectives.count > span + window + 1 { objectives.removeFirst() }
    }

    /// Iterations still to run (≥ 0), or nil when the trend gives no forecast.
    public var remainingIterations: Int? {
        guard tolerance > 0 else { return nil }
        let n = objectives.count
        guard n >= span + window else { return nil }
        var ks: [Double] = [], logs: [Double] = []
        for k in (n - window)..<n {
            let f = objectives[k], r = (objectives[k - span] - f) / max(1, abs(f))
            guard r.isFinite else { return nil }
            if r <= tolerance { return 0 }
            ks.append(Double(k)); logs.append(log(r))
        }
        let mk = ks.reduce(0, +) / Double(ks.count), ml = logs.reduce(0, +) / Double(logs.count)
        var sxy = 0.0, sxx = 0.0
        for (k, l) in zip(ks, logs) { sxy += (k - mk) * (l - ml); sxx += (k - mk) * (k - mk) }
        let b = sxy / sxx
        guard b < 0, b.isFinite else { return nil }
        let last = ml + b * (ks.last! - mk)
        let more = (log(tolerance) - last) / b
        guard more.isFinite, more < 1e9 else { return nil }
        return max(0, Int(more.rounded(.up)))
    }
}
