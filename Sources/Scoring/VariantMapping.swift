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
    }

    /// Columns and new states for a variant numbered `offset` away from the model's numbering.
    /// Throws when a wild-type letter disagrees with the focus (`where` names the source row).
    public func map(_ v: Variant, offset: Int = 0, where location: (String, Int)? = nil) throws -> Outcome {
        var columns: [Int] = [], states: [UInt8] = []
        for s in v.substitutions {
            let residue = s.position + offset
            guard let c = columnOfResidue[residue] else { return .outsideModel(residue) }
            let wt = alphabet.letter(background[c])
            guard wt == s.wildType else {
                let problem = "mutant \(v): wild type at \(residue) is \(wt) in the focus sequence, not \(s.wildType)\(offset != 0 ? " (offset \(offset))" : "")"
                if let (path, line) = location { throw FileIOError(path: path, line: line, problem) }
                throw FileIOError(path: "--mutants", problem)
            }
            guard let state = alphabet.code(of: s.mutant), state != alphabet.gap || s.mutant == "-" else {
                throw FileIOError(path: location?.0 ?? "--mutants", line: location?.1, "mutant \(v): '\(s.mutant)' is not a residue")
            }
            columns.append(c); states.append(state)
        }
        return .mapped(columns, states)
    }
}
