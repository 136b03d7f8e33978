/// The language model's vocabulary (25 tokens):
///   0–19  the amino acids in `Alphabet.protein` order ACDEFGHIKLMNPQRSTVWY (so a residue code of
///         a seqgen alignment is its token), 20 X (any other letter: B, Z, J, U, O, X),
///   21 ⟨mask⟩, 22 ⟨pad⟩, 23 ⟨bos⟩, 24 ⟨eos⟩.
/// A sequence enters the model as ⟨bos⟩ x₁ … x_L ⟨eos⟩, padded with ⟨pad⟩ to the batch length.
public enum ProteinTokens {
    public static let aminoAcids = Array("ACDEFGHIKLMNPQRSTVWY".utf8)
    public static let unknown = 20, mask = 21, pad = 22, bos = 23, eos = 24
    public static let count = 25

    private static let table: [Int] = {
        var t = [Int](repeating: -1, count: 256)
        for (k, c) in aminoAcids.enumerated() { t[Int(c)] = k; t[Int(c) + 32] = k }
        for c in "BZJUOXbzjuox".utf8 where t[Int(c)] < 0 { t[Int(c)] = unknown }
        return t
    }()

    /// The token of a residue letter (either case); nil for anything else.
    @inlinable public static func token(_ letter: UInt8) -> Int? {
        let t = tableValue(letter)
        return t >= 0 ? t : nil
    }
    @usableFromInline static func tableValue(_ letter: UInt8) -> Int { table[Int(letter)] }

    /// Residue tokens of `text` (letters only; gaps must already be removed).
    public static func encode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for c in text.utf8 { guard let t = token(c) else { return nil }; out.append(UInt8(t)) }
        return out
    }

    public static func letter(_ token: Int) -> Character {
        token < 20 ? Character(UnicodeScalar(aminoAcids[token])) : token == unknown ? "X" : "?"
    }
    public static func decode(_ tokens: [UInt8]) -> String { String(tokens.map { letter(Int($0)) }) }
}
