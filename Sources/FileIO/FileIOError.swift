/// A file could not be read or written. The message names the file and the problem.
public struct FileIOError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let line: Int?
    public let problem: String
    public init(path: String, line: Int? = nil, _ problem: String) {
        self.path = path; self.line = line; self.problem = problem
    }
    public var description: String { line.map { "\(path):\($0): \(problem)" } ?? "\(path): \(problem)" }
}
