import Sequences

/// Another tool's order of the 21 protein states mapped onto seqgen's (`ACDEFGHIKLMNPQRSTVWY-`):
/// `seqgenCode[k]` is seqgen's code of the tool's k-th state. plmc: `-ACDEFGHIKLMNPQRSTVWY` (gap
/// first; without it under `-g`), CCMpred: `ARNDCQEGHILKMFPSTWYV-`.
struct StateOrder {
    let letters: [UInt8]
    let seqgenCode: [Int]

    init(_ letters: String, path: String) throws {
        self.letters = Array(letters.utf8)
        var codes: [Int] = []
        for c in self.letters {
            guard let code = Alphabet.protein.code(c), !codes.contains(Int(code)) else {
                throw ModelFormatError(path: path, "state '\(Character(UnicodeScalar(c)))' has no distinct place in seqgen's protein alphabet")
            }
            codes.append(Int(code))
        }
        seqgenCode = codes
    }

    static let plmc = "-ACDEFGHIKLMNPQRSTVWY"
    static let ccmpred = "ARNDCQEGHILKMFPSTWYV-"
}

/// A file of another tool that cannot be read or written: path, optional line, problem.
public struct ModelFormatError: Error, CustomStringConvertible {
    public let path: String, line: Int?, problem: String
    public init(path: String, line: Int? = nil, _ problem: String) { self.path = path; self.line = line; self.problem = problem }
    public var description: String { line.map { "\(path):\($0): \(problem)" } ?? "\(path): \(problem)" }
}
