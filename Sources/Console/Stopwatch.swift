/// Seconds elapsed since it was created, on the monotonic clock.
public struct Stopwatch: Sendable {
    public let start = ProgressBar.now()
    public init() {}
    /// Seconds since `start`.
    public var seconds: Double { ProgressBar.now() - start }
}
