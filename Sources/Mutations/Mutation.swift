import FileIO
import Sequences
/// A substitution `A12G`: wild-type letter, residue number, mutant letter (`*`: a stop codon,
/// a nonsense variant as deep mutational scans list them).
public struct Substitution: Sendable, Hashable, CustomStringConvertible {
    public var wildType: Character
    public var position: Int
    public var mutant: Character

    public init(wildType: Character, position: Int, mutant: Character) {
        self.wildType = wildType; self.position = position; self.mutant = mutant
    }

    /// Parses "A12G" and "A12*" (letters may be lowercase; the position may be negative).
    public init?(_ text: Substring) {
        let t = text.trimmingWhitespace()
        guard t.count >= 3, let wt = t.first, let mt = t.last, wt.isLetter, mt.isLetter || mt == "-" || mt == "*",
              let pos = Int(t.dropFirst().dropLast()) else { return nil }
        self.init(wildType: Character(wt.uppercased()), position: pos, mutant: Character(mt.uppercased()))
    }

    /// Parses one MAVE-HGVS protein substitution without its `p.`: "Glu27Trp", "Cys22=" (synonymous:
    /// the mutant is the wild type), "Glu27Ter" or "Glu27*" (a stop codon). Three-letter codes in
    /// any case.
    public init?(hgvs text: Substring) {
        let t = text.trimmingWhitespace()
        guard t.count >= 5, let wt = Alphabet.threeLetterCodes[t.prefix(3).uppercased()] else { return nil }
        let rest = t.dropFirst(3)
        let digits = rest.prefix { $0.isNumber || $0 == "-" }
        guard let pos = Int(digits) else { return nil }
        let tail = rest.dropFirst(digits.count)
        let mutant: Character
        switch tail.uppercased() {
        case "=": mutant = wt
        case "TER", "*": mutant = "*"
        default:
            guard tail.count == 3, let m = Alphabet.threeLetterCodes[tail.uppercased()] else { return nil }
            mutant = m
        }
        self.init(wildType: wt, position: pos, mutant: mutant)
    }

    public var description: String { "\(wildType)\(position)\(mutant)" }

    /// A premature stop codon (`A12*`).
    public var isNonsense: Bool { mutant == "*" }
}

/// A variant: one or more substitutions, written `A12G:K45R` (ProteinGym), `A12G,K45R` (EVcouplings'
/// mutation tables, METL's scans; a comma-separated field, quoted in a CSV) or in MAVE-HGVS
/// (MaveDB's `hgvs_pro`): `p.Glu27Trp`, `p.[Glu27Trp;Lys45Arg]`, `p.Cys22=`, `p.Glu27Ter`; HGVS's
/// predicted consequence in parentheses (`p.(Glu27Trp)`, as VEP and ClinVar write it) and one-letter
/// codes after `p.` (`p.E27W`) read the same.
public struct Variant: Sendable, Hashable, CustomStringConvertible {
    public var substitutions: [Substitution]
    public init(_ substitutions: [Substitution]) { self.substitutions = substitutions }

    public init?(_ text: Substring) {
        var subs: [Substitution] = []
        let t = Variant.unparenthesised(text.trimmingWhitespace())
        if t.hasPrefix("p.") {
            var body = t.dropFirst(2)
            if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
            // MaveDB's multi-variants may carry a bare "=" (a synonymous change elsewhere) and the
            // same protein change twice (one per codon change): both add nothing.
            for part in body.split(separator: ";", omittingEmptySubsequences: false) where part.trimmingWhitespace() != "=" {
                guard let s = Substitution(hgvs: part) ?? Substitution(part) else { return nil }
                if !subs.contains(s) { subs.append(s) }
            }
            guard !subs.isEmpty else { return nil }
            self.init(subs)
            return
        }
        for part in t.split(whereSeparator: { $0 == ":" || $0 == "," }) {
            guard let s = Substitution(part) else { return nil }
            subs.append(s)
        }
        guard !subs.isEmpty else { return nil }
        self.init(subs)
    }

    public var description: String { substitutions.map(\.description).joined(separator: ":") }

    /// `p.(…)` → `p.…`: HGVS marks a consequence predicted from the DNA change by parentheses.
    static func unparenthesised(_ t: Substring) -> Substring {
        guard t.hasPrefix("p.("), t.hasSuffix(")") else { return t }
        return "p." + t.dropFirst(3).dropLast()
    }

    /// A residue number that two of the substitutions change (`A12G:A12C`): no single sequence has
    /// both, so such a variant cannot be scored. nil when every position appears once.
    public var repeatedPosition: Int? {
        var seen = Set<Int>()
        return substitutions.first { !seen.insert($0.position).inserted }?.position
    }

    /// Why `text` is not a variant a model can score, or the variant: what a table row and the
    /// command line both check (it parses, and no position is changed twice).
    public static func parsing(_ text: Substring) -> Result<Variant, VariantError> {
        guard let v = Variant(text) else {
            let t = text.trimmingWhitespace()
            if isWholeSequence(t) {
                return .failure(VariantError(description: "the mutant is a whole sequence (\(t.count) residues), as in ProteinGym's indel benchmark: "
                                             + "a language model scores such tables (seqgen score LM.npz --mutations …); a model over alignment columns scores substitutions (A12G, A12G:K45R)"))
            }
            return .failure(VariantError(description: "cannot parse mutant '\(text)' (expected e.g. A12G, A12G:K45R or p.Ala12Gly)"))
        }
        if let p = v.repeatedPosition { return .failure(VariantError(description: "mutant \(v) changes position \(p) twice")) }
        return .success(v)
    }

    /// A mutant written as the whole mutated sequence (ProteinGym's indel benchmark): 20 or more
    /// letters and nothing else (no substitution's text is that long without a digit).
    public static func isWholeSequence(_ text: Substring) -> Bool {
        text.count >= 20 && text.allSatisfy { $0.isASCII && $0.isLetter }
    }

    /// Rows of a scan that are valid but name no substitution: the wild type or all synonymous
    /// variants (`_wt`, `_sy`, `p.=`; Enrich2 and MAVE-HGVS), an empty or `NA` protein variant
    /// (MaveDB rows described at the nucleotide level only), protein insertions, deletions,
    /// duplications and frame shifts (`p.Gly18del`, `p.His7_Gln8insSer`, `p.Arg12fs`) and changes of
    /// the stop codon (`p.Ter345Lys`), which no substitution model scores.
    /// An unknown consequence (`p.?`) or no protein (`p.0`) names none either.
    public static func namesNoSubstitution(_ text: Substring) -> Bool {
        let t = unparenthesised(text.trimmingWhitespace())
        if ["_wt", "_sy", "p.=", "p.[=]", "p.?", "p.0", "p.0?", "", "NA", "nan"].contains(t) { return true }   // "NA": a row with a nucleotide change only
        let stopLoss = t.hasPrefix("p.Ter") || t.hasPrefix("p.*") || t.hasPrefix("p.[Ter") || t.hasPrefix("p.[*")
        return t.hasPrefix("p.") && (stopLoss || ["del", "ins", "dup", "fs", "ext"].contains { t.contains($0) })
    }
}

/// A mutant that cannot be scored as written (`Variant.parsing`).
public struct VariantError: Error, CustomStringConvertible {
    public let description: String
}
