import FileIO
/// A substitution `A12G`: wild-type letter, residue number, mutant letter.
public struct Substitution: Sendable, Hashable, CustomStringConvertible {
    public var wildType: Character
    public var position: Int
    public var mutant: Character

    public init(wildType: Character, position: Int, mutant: Character) {
        self.wildType = wildType; self.position = position; self.mutant = mutant
    }

    /// Parses "A12G" (letters may be lowercase; the position may be negative).
    public init?(_ text: Substring) {
        let t = text.trimmingWhitespace()
        guard t.count >= 3, let wt = t.first, let mt = t.last, wt.isLetter, mt.isLetter || mt == "-",
              let pos = Int(t.dropFirst().dropLast()) else { return nil }
        self.init(wildType: Character(wt.uppercased()), position: pos, mutant: Character(mt.uppercased()))
    }

    public var description: String { "\(wildType)\(position)\(mutant)" }
}

/// A variant: one or more substitutions, written `A12G:K45R`.
public struct Variant: Sendable, Hashable, CustomStringConvertible {
    public var substitutions: [Substitution]
    public init(_ substitutions: [Substitution]) { self.substitutions = substitutions }

    public init?(_ text: Substring) {
        var subs: [Substitution] = []
        for part in text.split(separator: ":") {
            guard let s = Substitution(part) else { return nil }
            subs.append(s)
        }
        guard !subs.isEmpty else { return nil }
        self.init(subs)
    }

    public var description: String { substitutions.map(\.description).joined(separator: ":") }
}
