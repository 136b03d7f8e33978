/// A residue alphabet: `letters[code]` for codes 0..<q, with the gap as the last code.
///
/// Protein: `ACDEFGHIKLMNPQRSTVWY-` (q = 21; amino acids alphabetical by one-letter code, gap = 20),
/// so the 20×20 amino-acid block of any q×q coupling is its leading block.
/// Letter rules (documented in README "Data"): lowercase reads as uppercase; `.`, `-` and `~` are gaps;
/// U (selenocysteine) reads as C and O (pyrrolysine) as K; the ambiguity codes B, J, X, Z — and any
/// other letter — read as gap, since no single state fits them (CCMpred/plmc do the same for X).
///
/// DNA: `ACGTN` with N (unknown) as the last code; U reads as T.
///
/// RNA: `ACGU-` (q = 5, gap = 4); T reads as U, any other letter (N, ambiguity codes) as gap — the
/// alphabet of RNA DCA tools (plmc `-a -ACGU`, mfDCA/plmDCA for RNA), in seqgen's gap-last order.
/// Custom: any distinct upper-case letters A–Z, digits or ASCII symbols followed by the gap
/// (`custom("ACDEFGHIKLMNPQRSTVWYX")`; `custom("_*^")` for plmc's 3-state Potts example), at most 23
/// states (the pseudolikelihood kernel holds q ≤ 24); lower case reads as upper case and any other
/// letter as gap. Excluded: `-`, `.` and `~` (gaps), `>` and `#` (headers and comments), `,` `"` `'` (CSV).
public struct Alphabet: Sendable, Equatable {
    public let name: String
    public let letters: [UInt8]
    /// Code used for gaps / unknown states (the last code).
    public let gap: UInt8
    /// ASCII → code, or `invalid` for characters that are not residues at all (digits, punctuation).
    @usableFromInline let table: [UInt8]

    public static let invalid: UInt8 = 255

    public var size: Int { letters.count }
    public var string: String { String(decoding: letters, as: UTF8.self) }

    init(name: String, letters: String, aliases: [Character: Character], unknownLettersAs unknown: Character) {
        self.name = name
        self.letters = Array(letters.utf8)
        self.gap = UInt8(self.letters.count - 1)
        var t = [UInt8](repeating: Alphabet.invalid, count: 256)
        for (k, c) in self.letters.enumerated() { t[Int(c)] = UInt8(k) }
        let unknownCode = t[Int(unknown.asciiValue!)]
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") where t[Int(c)] == Alphabet.invalid { t[Int(c)] = unknownCode }
        for (from, to) in aliases { t[Int(from.asciiValue!)] = t[Int(to.asciiValue!)] }
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") { t[Int(c)] = t[Int(c - 32)] }
        for c in Alphabet.gapCharacters { t[Int(c)] = gap }
        self.table = t
    }

    public static let protein = Alphabet(name: "protein", letters: "ACDEFGHIKLMNPQRSTVWY-",
                                         aliases: ["U": "C", "O": "K"], unknownLettersAs: "-")
    public static let dna = Alphabet(name: "dna", letters: "ACGTN", aliases: ["U": "T"], unknownLettersAs: "N")
    public static let rna = Alphabet(name: "rna", letters: "ACGU-", aliases: ["T": "U"], unknownLettersAs: "-")

    /// Most letters (gap excluded) a custom alphabet may have.
    public static let maximumCustomLetters = 23

    /// The characters every alphabet reads as its gap state (`-`; `.`, A2M/A3M's insert gap; `~`,
    /// the missing-data mark HMMER's and Infernal's Stockholm files put at the ends of fragments).
    public static let gapCharacters: [UInt8] = [UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "~")]

    /// Characters a custom state may not be: the gaps, FASTA/Stockholm markers and CSV quoting.
    static let reservedSymbols = gapCharacters + Array(">#,\"'".utf8)

    /// Whether `c` may name a custom state: A–Z, a digit or a printable ASCII symbol, not reserved.
    static func isStateCharacter(_ c: UInt8) -> Bool {
        c > 32 && c < 127 && !(c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) && !reservedSymbols.contains(c)
    }

    /// The alphabet of `letters` (distinct states, without the gap, which is appended as the last
    /// state); the built-in alphabet when the states are one's (`custom("ACGU")` is `.rna`).
    public static func custom(_ letters: String) throws -> Alphabet {
        let upper = Array(letters.utf8)
        guard !upper.isEmpty else { throw AlphabetError("an alphabet needs at least one letter") }
        for (k, c) in upper.enumerated() {
            guard c < 128, isStateCharacter(c) else {
                let shown = c < 128 ? "'\(Character(UnicodeScalar(c)))'" : "a non-ASCII character"
                throw AlphabetError("\(shown) cannot be a state: use upper-case letters A–Z, digits or ASCII symbols other than - . ~ > # , \" ' (the gap '-' is added as the last state)")
            }
            guard !upper[..<k].contains(c) else { throw AlphabetError("'\(Character(UnicodeScalar(c)))' appears twice") }
        }
        guard upper.count <= maximumCustomLetters else {
            throw AlphabetError("\(upper.count) letters; at most \(maximumCustomLetters) (with the gap, q ≤ 24)")
        }
        if let known = [Alphabet.protein, .dna, .rna].first(where: { $0.string == letters + "-" }) { return known }
        return Alphabet(name: "custom", letters: letters + "-", aliases: [:], unknownLettersAs: "-")
    }

    /// `protein`, `rna`, `dna` or custom letters (see `custom(_:)`), as `--alphabet` takes them.
    public static func named(_ spec: String) throws -> Alphabet {
        switch spec.lowercased() {
        case "protein": return .protein
        case "rna": return .rna
        case "dna": return .dna
        default: return try custom(spec)
        }
    }

    /// The alphabet whose state string (as stored in model archives) is `string`: a built-in one,
    /// or a custom alphabet when the string is valid letters followed by '-'; nil otherwise.
    public static func states(_ string: String) -> Alphabet? {
        if let known = [Alphabet.protein, .dna, .rna].first(where: { $0.string == string }) { return known }
        guard string.hasSuffix("-"), let a = try? custom(String(string.dropLast())) else { return nil }
        return a
    }

    /// The code of an ASCII character, or nil when it is not a residue character.
    @inlinable public func code(_ c: UInt8) -> UInt8? {
        let v = table[Int(c)]
        return v == Alphabet.invalid ? nil : v
    }

    public func code(of letter: Character) -> UInt8? { letter.asciiValue.flatMap { code($0) } }

    public func letter(_ code: UInt8) -> Character { Character(UnicodeScalar(letters[Int(code)])) }

    /// The state whose own letter `letter` is (either case for letters), without the aliases and
    /// unknown-letter rule that reading an alignment applies: what a user names a state by.
    public func state(named letter: Character) -> UInt8? {
        guard let c = letter.asciiValue else { return nil }
        let upper = c >= 97 && c <= 122 ? c - 32 : c
        return (letters.firstIndex(of: upper) ?? letters.firstIndex(of: c)).map(UInt8.init)
    }

    public func decode<S: Sequence>(_ codes: S) -> String where S.Element == UInt8 {
        String(decoding: codes.map { letters[Int($0)] }, as: UTF8.self)
    }

    public func encode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        for c in text.utf8 { guard let v = code(c) else { return nil }; out.append(v) }
        return out
    }
}

extension Alphabet {
    /// The 20 amino acids' three-letter codes (upper case) → one-letter codes: PDB residue names,
    /// and HGVS protein variants (`p.Glu27Trp`) once upper-cased.
    public static let threeLetterCodes: [String: Character] = [
        "ALA": "A", "ARG": "R", "ASN": "N", "ASP": "D", "CYS": "C", "GLN": "Q", "GLU": "E", "GLY": "G", "HIS": "H", "ILE": "I",
        "LEU": "L", "LYS": "K", "MET": "M", "PHE": "F", "PRO": "P", "SER": "S", "THR": "T", "TRP": "W", "TYR": "Y", "VAL": "V",
    ]
}

/// An alphabet specification that cannot be used.
public struct AlphabetError: Error, CustomStringConvertible {
    public let description: String
    init(_ problem: String) { description = problem }
}
