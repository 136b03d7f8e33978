/// One base pair of a secondary structure: columns `i < j` (0-based).
public struct BasePair: Sendable, Hashable, Comparable {
    public var i: Int, j: Int
    public init(_ i: Int, _ j: Int) { self.i = Swift.min(i, j); self.j = Swift.max(i, j) }
    public static func < (a: BasePair, b: BasePair) -> Bool { (a.i, a.j) < (b.i, b.j) }
}

/// An RNA secondary structure in WUSS notation, the `#=GC SS_cons` line of Rfam's and Infernal's
/// Stockholm files: `<>`, `()`, `[]` and `{}` enclose nested pairs, an upper-case letter pairs with
/// its lower-case partner (pseudoknots: `AAA…aaa`), and `.,_-:~` are unpaired positions.
public enum SecondaryStructure {
    static let openers: [UInt8: UInt8] = [UInt8(ascii: "<"): UInt8(ascii: ">"), UInt8(ascii: "("): UInt8(ascii: ")"),
                                          UInt8(ascii: "["): UInt8(ascii: "]"), UInt8(ascii: "{"): UInt8(ascii: "}")]
    static let unpaired = Set(".,_-:~".utf8)

    /// The base pairs of `annotation`, sorted. Throws a message naming the first unmatched bracket
    /// or letter, or a character that is not WUSS, by its 1-based column.
    public static func basePairs(_ annotation: [UInt8]) throws(SecondaryStructureError) -> [BasePair] {
        var open: [UInt8: [Int]] = [:]   // closing character → the columns still open for it
        var pairs: [BasePair] = []
        for (k, c) in annotation.enumerated() {
            if let close = openers[c] { open[close, default: []].append(k); continue }
            if c >= 65 && c <= 90 { open[c + 32, default: []].append(k); continue }
            if unpaired.contains(c) { continue }
            let closes = openers.values.contains(c) || (c >= 97 && c <= 122)
            guard closes else { throw SecondaryStructureError("'\(Character(UnicodeScalar(c)))' at column \(k + 1) is not WUSS notation (brackets <>()[]{} and Aa…Zz pair, .,_-:~ are unpaired)") }
            guard let i = open[c]?.popLast() else { throw SecondaryStructureError("'\(Character(UnicodeScalar(c)))' at column \(k + 1) closes no open pair") }
            pairs.append(BasePair(i, k))
        }
        if let (c, k) = open.compactMap({ e in e.value.first.map { (e.key, $0) } }).min(by: { $0.1 < $1.1 }) {
            throw SecondaryStructureError("'\(Character(UnicodeScalar(annotation[k])))' at column \(k + 1) is never closed (no '\(Character(UnicodeScalar(c)))' after it)")
        }
        return pairs.sorted()
    }

    /// The pairs whose two columns are both among `columns` (of `width`), renumbered to their places
    /// in `columns`: what an alignment keeping those columns keeps of its structure.
    public static func restricting(_ pairs: [BasePair], to columns: [Int], of width: Int) -> [BasePair] {
        var place = [Int?](repeating: nil, count: width)
        for (k, c) in columns.enumerated() { place[c] = k }
        return pairs.compactMap { p in place[p.i].flatMap { i in place[p.j].map { BasePair(i, $0) } } }.sorted()
    }

    /// `pairs` over `length` columns in WUSS: nested pairs as `<>`; a pair crossing those takes the
    /// next of `()`, `[]`, `{}`, then `Aa`, `Bb`, … (the first it crosses no pair of). Unpaired: `.`.
    public static func notation(_ pairs: [BasePair], length: Int) -> String {
        let brackets: [(UInt8, UInt8)] = [("<", ">"), ("(", ")"), ("[", "]"), ("{", "}")].map { (UInt8(ascii: $0), UInt8(ascii: $1)) }
            + (0..<26).map { (65 + UInt8($0), 97 + UInt8($0)) }
        var levels: [[BasePair]] = []
        var out = [UInt8](repeating: UInt8(ascii: "."), count: length)
        func crosses(_ a: BasePair, _ b: BasePair) -> Bool { (a.i < b.i && b.i < a.j && a.j < b.j) || (b.i < a.i && a.i < b.j && b.j < a.j) }
        for p in pairs.sorted() where p.j < length {
            let level = levels.firstIndex { $0.allSatisfy { !crosses($0, p) } } ?? levels.count
            guard level < brackets.count else { continue }
            if level == levels.count { levels.append([]) }
            levels[level].append(p)
            out[p.i] = brackets[level].0; out[p.j] = brackets[level].1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Why a WUSS annotation could not be read.
public struct SecondaryStructureError: Error, Sendable {
    public var problem: String
    public init(_ problem: String) { self.problem = problem }
}
