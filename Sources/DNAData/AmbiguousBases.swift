/// N and the IUPAC ambiguity codes (R, Y, K, M, S, W, B, D, H, V) in DNA sequences: `OneHot`
/// encodes each as 0.25 in every channel, which a model trained on clean A/C/G/T never saw, so
/// callers count them and say so (or refuse them).
public struct AmbiguousBases: Sendable, Equatable, CustomStringConvertible {
    /// Sequences with at least one ambiguous base.
    public var sequences = 0
    /// Ambiguous positions over all sequences.
    public var positions = 0
    /// Count per letter (upper case), most frequent first, ties alphabetical.
    public var letters: [(Character, Int)] = []
    /// Index of the first sequence with an ambiguous base.
    public var firstSequence: Int?

    public static func == (a: Self, b: Self) -> Bool {
        a.sequences == b.sequences && a.positions == b.positions && a.firstSequence == b.firstSequence
            && a.letters.map(\.0) == b.letters.map(\.0) && a.letters.map(\.1) == b.letters.map(\.1)
    }

    public init(_ sequences: [String]) {
        var counts: [UInt8: Int] = [:]
        for (n, s) in sequences.enumerated() {
            var here = 0
            for c in s.utf8 where OneHot.channel(c) == nil {
                counts[c >= 97 && c <= 122 ? c - 32 : c, default: 0] += 1
                here += 1
            }
            if here > 0 { self.sequences += 1; positions += here; if firstSequence == nil { firstSequence = n } }
        }
        letters = counts.map { (Character(Unicode.Scalar($0.key)), $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }

    public var isEmpty: Bool { positions == 0 }

    /// "2 sequences have 5 ambiguous bases (N 3, R 2)"
    public var description: String {
        "\(sequences) sequence\(sequences == 1 ? " has" : "s have") \(positions) ambiguous base\(positions == 1 ? "" : "s") ("
            + letters.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ")"
    }
}
