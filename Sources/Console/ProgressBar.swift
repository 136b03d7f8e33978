#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress bar with rate and ETA on stderr:
///   `fit  [##########··········]  52%  52/100  3.1 it/s  ETA 0:15  loss 1.234`
/// Redraws at most 10 times a second. When stderr is not a terminal (a log file, a batch job's
/// stderr) it writes the same line as plain text once a minute instead, so a long run under Slurm or
/// Snakemake still shows where it is, and a short one leaves its log untouched. Silent with `quiet`.
public final class ProgressBar {
    public let label: String
    public let total: Int
    /// Whether a live bar is drawn (stderr is a terminal and not quiet).
    public let isEnabled: Bool
    /// Seconds between plain lines when stderr is not a terminal (nil: no lines).
    private let logInterval: Double?
    private let output: (String) -> Void
    private var done = 0
    private let started: Double
    private var lastDraw: Double
    private var status = ""
    private var forecast: Int?

    public convenience init(_ label: String, total: Int, quiet: Bool = false) {
        self.init(label, total: total, quiet: quiet, startedAt: nil)
    }

    /// `startedAt` (`ProgressBar.now()`): when the work began, for a bar made at its first report
    /// (`DeferredProgressBar`); the rate and ETA count from it. Default: now.
    convenience init(_ label: String, total: Int, quiet: Bool, startedAt: Double?) {
        self.init(label, total: total, quiet: quiet, terminal: isatty(2) == 1, logInterval: 60, output: writeStandardError, startedAt: startedAt)
    }

    init(_ label: String, total: Int, quiet: Bool, terminal: Bool, logInterval: Double, output: @escaping (String) -> Void,
         startedAt: Double? = nil) {
        self.label = label
        self.total = max(total, 1)
        let shown = !quiet && !Verbosity.quiet
        self.isEnabled = shown && terminal
        self.logInterval = shown && !terminal ? logInterval : nil
        self.output = output
        self.started = startedAt ?? ProgressBar.now()
        self.lastDraw = terminal ? -1 : started
    }

    /// Marks `steps` more units done; `status` (e.g. "loss 1.23") is shown after the ETA.
    public func advance(by steps: Int = 1, status: String? = nil) {
        done = min(total, done + steps)
        if let status { self.status = status }
        let t = ProgressBar.now()
        if let logInterval {
            if t - lastDraw >= logInterval && done < total { lastDraw = t; output(line(t, graphic: false) + "\n") }
            return
        }
        guard isEnabled else { return }
        if t - lastDraw >= 0.1 || done == total { draw(t) }
    }

    /// Sets the absolute position. `remaining`: the units still expected to run, when the loop can
    /// forecast them (a fit that converges before its cap; see `ConvergenceForecast`): the bar and
    /// the ETA then use position + remaining instead of `total`.
    public func update(_ position: Int, status: String? = nil, remaining: Int? = nil) {
        forecast = remaining.map { min(total, max(position, position + $0)) }
        advance(by: position - done, status: status)
    }

    /// Erases the bar's line without ending it, so the next message or bar takes its place.
    public func clear() {
        guard isEnabled else { return }
        output("\r\u{1B}[2K")
    }

    /// Draws the final state and ends the line.
    public func finish(status: String? = nil) {
        if let status { self.status = status }
        guard isEnabled else { return }
        draw(ProgressBar.now())
        output("\n")
    }

    private func draw(_ t: Double) {
        lastDraw = t
        output("\r\u{1B}[2K" + line(t, graphic: true))
    }

    /// `label [####····] 52% 52/100 3.1 it/s ETA 0:15 status` (without the bar when not `graphic`).
    func line(_ t: Double, graphic: Bool) -> String {
        let expected = forecast ?? total
        let fraction = Double(done) / Double(max(expected, 1))
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled)
        let elapsed = t - started
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(expected - done) / rate : 0
        let of = forecast.map { "~\($0) (cap \(total))" } ?? "\(total)"
        return "\(label)\(graphic ? " [\(bar)]" : "") \(Int(fraction * 100))% \(done)/\(of) \(ProgressBar.format(rate: rate)) ETA \(ProgressBar.clock(eta))" + (status.isEmpty ? "" : " \(status)")
    }

    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600):\(pad(s / 60 % 60)):\(pad(s % 60))" : "\(s / 60):\(pad(s % 60))"
    }

    static func format(rate: Double) -> String {
        rate >= 1 || rate == 0 ? "\(Int(rate.rounded())) it/s" : "\((1 / rate).formatted1) s/it"
    }

    static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Seconds on the monotonic clock (CLOCK_MONOTONIC).
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}

extension Double {
    var formatted1: String { String(Int((self * 10).rounded()) / 10) + "." + String(Int((self * 10).rounded()) % 10) }
}

/// Writes text to file descriptor 2 (unbuffered, safe from any thread).
public func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var off = 0
    while off < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + off, $0.count - off) }
        if n <= 0 { return }
        off += n
    }
}
