/// Every failure of the language-model module on user input: the file (or option), the line
/// when there is one, and the problem. The CLI prints `seqgen: error: FILE:LINE: problem`.
public struct LanguageModelError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let line: Int?
    public let problem: String
    public init(path: String, line: Int? = nil, _ problem: String) {
        self.path = path; self.line = line; self.problem = problem
    }
    public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(problem)" }
}
