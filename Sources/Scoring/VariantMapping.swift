import Mutations
import Sequences
import FileIO

/// Maps variants (residue numbers, letters) onto a model's columns (states), checking wild types.
public struct VariantMapping: Sendable {
    public let alphabet: Alphabet
    /// Focus codes over model columns.
    public let background: [UInt8]
    let columnOfResidue: [Int: Int]

    public init(alphabet: Alphabet, focusSequence: String, residueNumbers: [Int]) {
        self.alphabet = alphabet
        background = focusSequence.map { alphabet.code(of: $0) ?? alphabet.gap }
        var map: [Int: Int] = [:]
        for (c, r) in residueNumbers.enumerated() where r > 0 { map[r] = c }
        columnOfResidue = map
    }

    public enum Outcome: Sendable, Equatable {
        case mapped([Int], [UInt8])
        /// Some substitution is at a residue the model does not cover (insert column, filtered, outside).
        case outsideModel(Int)
        /// Some substitution is a stop codon (`A12*`): a truncated protein, which no sequence model here scores.
        case nonsense
    }

    /// Columns and new states for a variant numbered `offset` away from the model's numbering.
    /// Throws when a wild-type letter disagrees with the focus (`where` names the source row).
    public func map(_ v: Variant, offset: Int = 0, where location: (String, Int)? = nil) throws -> Outcome {
        var columns: [Int] = [], states: [UInt8] = []
        var nonsense = false
        for s in v.substitutions {
            let residue = s.position + offset
            guard let c = columnOfResidue[residue] else { return .outsideModel(residue) }
            let wt = alphabet.letter(background[c])
            guard wt == s.wildType else {
                let problem = "mutant \(v): wild type at \(residue) is \(wt) in the focus sequence, not \(s.wildType)\(offset != 0 ? " (offset \(offset))" : "")"
                if let (path, line) = location { throw FileIOError(path: path, line: line, problem) }
                throw FileIOError(path: "--mutants", problem)
            }
            if s.isNonsense { nonsense = true; continue }
            guard let state = alphabet.code(of: s.mutant), state != alphabet.gap || s.mutant == "-" else {
                throw FileIOError(path: location?.0 ?? "--mutants", line: location?.1, "mutant \(v): '\(s.mutant)' is not a residue")
            }
            columns.append(c); states.append(state)
        }
        return nonsense ? .nonsense : .mapped(columns, states)
    }

    /// Why residue `residue` has no model column: beyond the numbered protein, or a residue the
    /// model does not cover (an A2M insert or a filtered column).
    public func whyUnmapped(_ residue: Int) -> String {
        guard let first = columnOfResidue.keys.min(), let last = columnOfResidue.keys.max() else { return "the model has no numbered columns" }
        if isBeyondProtein(residue) { return "position \(residue) is beyond the protein (the model covers residues \(first)–\(last))" }
        return "position \(residue) is not a model column (an insert or filtered column of the alignment)"
    }

    /// True when `residue` lies before the focus's first numbered residue or after its last.
    public func isBeyondProtein(_ residue: Int) -> Bool {
        guard let first = columnOfResidue.keys.min(), let last = columnOfResidue.keys.max() else { return true }
        return residue < first || residue > last
    }

    /// The focus's wild-type letter at `residue`, nil where the model has no column.
    public func wildType(at residue: Int) -> Character? { columnOfResidue[residue].map { alphabet.letter(background[$0]) } }

    /// A systematic numbering shift: the offset d at which the variants' wild-type letters agree
    /// with the focus, when the given `offset` does not. Counted over distinct (position, letter)
    /// pairs: `matched` of the `covered` pairs that land on model columns at d agree.
    public struct OffsetSuggestion: Sendable, Equatable {
        public var offset: Int, matched: Int, covered: Int
        public init(offset: Int, matched: Int, covered: Int) { self.offset = offset; self.matched = matched; self.covered = covered }
    }

    /// Suggests an offset when fewer than half of the distinct mutated positions agree with the
    /// focus at `offset` and another offset makes at least 90% of the covered ones (and ≥ 4) agree.
    public func suggestOffset(for variants: [Variant], offset: Int) -> OffsetSuggestion? {
        let sites = Array(Set(variants.flatMap { $0.substitutions.map { SiteLetter(position: $0.position, letter: $0.wildType) } }))
        guard !sites.isEmpty else { return nil }
        func agreement(_ d: Int) -> (matched: Int, covered: Int) {
            var m = 0, c = 0
            for s in sites { if let wt = wildType(at: s.position + d) { c += 1; if wt == s.letter { m += 1 } } }
            return (m, c)
        }
        guard 2 * agreement(offset).matched < sites.count else { return nil }
        var residuesOf: [Character: [Int]] = [:]
        for (r, c) in columnOfResidue { residuesOf[alphabet.letter(background[c]), default: []].append(r) }
        var votes: [Int: Int] = [:]
        for s in sites { for r in residuesOf[s.letter] ?? [] { votes[r - s.position, default: 0] += 1 } }
        let ranked = votes.filter { $0.key != offset && $0.value >= 4 }.sorted { $0.value != $1.value ? $0.value > $1.value : Swift.abs($0.key) < Swift.abs($1.key) }
        for (d, _) in ranked.prefix(3) {
            let a = agreement(d)
            if Double(a.matched) >= 0.9 * Double(a.covered) { return OffsetSuggestion(offset: d, matched: a.matched, covered: a.covered) }
        }
        return nil
    }

    /// Refuses a variant list whose numbering is systematically shifted against the model's:
    /// "T.csv: 0 of 120 mutants match the focus at offset 0; the wild-type letters match at offset
    /// -1071 (98 of 100 positions): pass --offset -1071".
    public func requireConsistentNumbering(_ variants: [Variant], offset: Int, source: String) throws {
        guard let s = suggestOffset(for: variants, offset: offset) else { return }
        let agreeing = variants.filter { v in v.substitutions.allSatisfy { wildType(at: $0.position + offset) == $0.wildType } }.count
        throw FileIOError(path: source, "\(agreeing) of \(variants.count) mutants match the focus at offset \(offset); the wild-type letters match at offset \(s.offset) (\(s.matched) of \(s.covered) positions): pass --offset \(s.offset)")
    }
}

struct SiteLetter: Hashable { var position: Int; var letter: Character }
