/// A progress bar for work that says its total with its first report — a `(done, total)` callback
/// such as a batched attribution's — made at that report, its rate and ETA counted from when this
/// was created (when the work began), not from the first tick.
public final class DeferredProgressBar {
    private let make: (_ total: Int, _ startedAt: Double) -> ProgressBar
    private let started = ProgressBar.now()
    private var bar: ProgressBar?

    public convenience init(_ label: String, quiet: Bool = false) {
        self.init { ProgressBar(label, total: $0, quiet: quiet, startedAt: $1) }
    }

    init(make: @escaping (_ total: Int, _ startedAt: Double) -> ProgressBar) { self.make = make }

    /// `done` of `total` units; the first call makes the bar.
    public func report(_ done: Int, of total: Int) {
        if bar == nil { bar = make(total, started) }
        bar?.update(done)
    }

    /// Ends the bar's line, if a report made one.
    public func finish() { bar?.finish() }
}
