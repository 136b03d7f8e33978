import Sequences

/// Another tool's order of states mapped onto a seqgen alphabet (protein `ACDEFGHIKLMNPQRSTVWY-`
/// unless named): `seqgenCode[k]` is seqgen's code of the tool's k-th state; `-` and `.` are the
/// gap. plmc: `-ACDEFGHIKLMNPQRSTVWY` (gap first; without it under `-g`; other alphabets as `-a`
/// gave them, e.g. `.ACGU`), CCMpred: `ARNDCQEGHILKMFPSTWYV-`.
struct StateOrder {
    let letters: [UInt8]
    let seqgenCode: [Int]

    init(_ letters: String, alphabet: Alphabet = .protein, path: String) throws {
        self.letters = Array(letters.utf8)
        var codes: [Int] = []
        for c in self.letters {
            guard let code = alphabet.code(c), !codes.contains(Int(code)) else {
                throw ModelFormatError(path: path, "state '\(Character(UnicodeScalar(c)))' has no distinct place in seqgen's \(alphabet.name) alphabet (\(alphabet.string))")
            }
            codes.append(Int(code))
        }
        seqgenCode = codes
    }

    /// The seqgen alphabet of a tool's state string: its states other than the gaps `-` and `.`,
    /// as protein or RNA when they are those, else a custom alphabet in the tool's order.
    static func alphabet(of letters: String, path: String) throws -> Alphabet {
        let states = String(decoding: letters.utf8.filter { !Alphabet.gapCharacters.contains($0) }, as: UTF8.self)
        if Set(states) == Set("ACDEFGHIKLMNPQRSTVWY") { return .protein }
        if Set(states) == Set("ACGU") { return .rna }
        do { return try Alphabet.custom(states) }
        catch { throw ModelFormatError(path: path, "states '\(letters)': \(error)") }
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
