import Archive
/// An error of a pipeline run: the input it concerns (an alignment, a model file, a dataset; nil for
/// a settings conflict) and the problem. Printed as "PATH: problem".
public struct PipelineError: Error, CustomStringConvertible, Equatable {
    public let path: String?
    public let problem: String
    public init(path: String? = nil, _ problem: String) { self.path = path; self.problem = problem }
    public var description: String { path.map { "\($0): \(problem)" } ?? problem }
}
