import FileIO
import Sequences

/// Unaligned sequences for a language model, read from FASTA (aligned or not), A2M, A3M, Stockholm
/// (Pfam's and Rfam's `name sequence` lines over one or more blocks) or a PSICOV `.aln` (one
/// sequence per line, no headers), gzipped or not. Alignment characters are
/// removed — gaps `-`, `.` and `~` — and lower-case insert residues are kept as residues (upper-cased):
/// they are real sequence. Letters outside the 20 amino acids become X.
public struct RawSequences: Sendable {
    public var names: [String]
    /// Residue tokens (0–20) per sequence.
    public var tokens: [[UInt8]]
    /// True when the file was an alignment (gap characters or lower-case inserts, every record
    /// with the same number of match columns): θ-identity weights can then come from it.
    public var isAligned: Bool
    public var source: String

    public var count: Int { names.count }
    public var maximumLength: Int { tokens.map(\.count).max() ?? 0 }

    public init(names: [String], tokens: [[UInt8]], isAligned: Bool = false, source: String = "") {
        self.names = names; self.tokens = tokens; self.isAligned = isAligned; self.source = source
    }

    /// Reads `path`; a record with no residues, an unknown character or an empty file is an error
    /// naming the line.
    public static func read(_ path: String) throws -> RawSequences {
        let reader = try CompressedReader(path: path)
        var names: [String] = [], tokens: [[UInt8]] = [], current: [UInt8] = [], started = false
        var headerLine = 0, headerless = false, aligned = false, alignedWidths = Set<Int>(), width = 0
        /// Residues of one line (or a Stockholm line's sequence) onto `residues`; `width` counts their
        /// match columns (upper case, `-`, `~`).
        func append(_ line: ArraySlice<UInt8>, to residues: inout [UInt8], width: inout Int) throws {
            for c in line {
                if Alphabet.gapCharacters.contains(c) {
                    aligned = true
                    if c != UInt8(ascii: ".") { width += 1 }   // `-` and `~` hold a match column, `.` an insert's
                    continue
                }
                if c == 32 || c == 9 || c == 13 || c == UInt8(ascii: "*") { continue }
                guard let t = ProteinTokens.token(c) else {
                    throw LanguageModelError(path: path, line: reader.lineNumber, "'\(Character(UnicodeScalar(c)))' is not an amino-acid letter or alignment character")
                }
                if c >= 65 && c <= 90 { width += 1 } else { aligned = true }
                residues.append(UInt8(t))
            }
        }
        func close() throws {
            guard started else { return }
            guard !current.isEmpty else { throw LanguageModelError(path: path, line: headerLine, "record '\(names.last ?? "")' has no residues") }
            tokens.append(current); current = []; alignedWidths.insert(width); width = 0
        }
        // Stockholm: each name's pieces, in the order of first appearance, joined over the blocks.
        var stockholm = StockholmLayout(), isStockholm = false, widths: [Int] = []
        while var line = try reader.readLine() {
            if line.first == "\0" { line = String(line.drop { $0 == "\0" }) }   // NULs end MMseqs2's A3M entries (ColabFold)
            let bytes = Array(line.utf8)
            if isStockholm {
                let read: (record: Int, pieceRange: Range<Int>)?
                do {
                    read = try bytes.withUnsafeBufferPointer { b throws(StockholmLayout.Violation) in
                        try stockholm.read(b, line: reader.lineNumber).map { ($0.record, $0.piece.startIndex..<$0.piece.endIndex) }
                    }
                } catch { throw LanguageModelError(path: path, line: error.line, error.problem) }
                guard let (k, range) = read else { continue }
                if k == tokens.count { tokens.append([]); widths.append(0) }
                try append(bytes[range], to: &tokens[k], width: &widths[k])
                continue
            }
            if bytes.isEmpty || bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            if !started && names.isEmpty && line.hasPrefix("# STOCKHOLM") { isStockholm = true; aligned = true; continue }
            if bytes[0] == UInt8(ascii: "#") && names.isEmpty && !started { continue }
            if bytes[0] == UInt8(ascii: ">") {
                if headerless { throw LanguageModelError(path: path, line: reader.lineNumber, "a FASTA header in a file of one sequence per line") }
                try close()
                names.append(String(line.dropFirst()).trimmedOfBlanks)
                started = true; headerLine = reader.lineNumber
                continue
            }
            if !started {
                if line.hasPrefix("CLUSTAL") || line.hasPrefix("MUSCLE") {
                    throw LanguageModelError(path: path, line: reader.lineNumber, "Clustal input is not read here: write the alignment as FASTA, A2M or Stockholm")
                }
                headerless = true
            }
            try append(bytes[...], to: &current, width: &width)
            if headerless {
                names.append("sequence_\(reader.lineNumber)"); headerLine = reader.lineNumber; started = true
                try close(); started = false
            }
        }
        if isStockholm {
            do throws(StockholmLayout.Violation) { try stockholm.finish(line: reader.lineNumber) } catch { throw LanguageModelError(path: path, line: error.line, error.problem) }
            names = stockholm.names
            // A name's pieces were all read before any could be judged empty.
            if let k = tokens.firstIndex(where: \.isEmpty) {
                throw LanguageModelError(path: path, line: stockholm.lines[k], "record '\(names[k])' has no residues")
            }
            alignedWidths = Set(widths)
        } else {
            try close()
        }
        guard !tokens.isEmpty else { throw LanguageModelError(path: path, "no sequences") }
        return RawSequences(names: names, tokens: tokens, isAligned: aligned && alignedWidths.count == 1, source: path)
    }
}

extension String {
    var trimmedOfBlanks: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
