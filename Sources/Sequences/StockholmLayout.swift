/// Stockholm's layout, read line by line: `name sequence` lines whose pieces join over the blocks
/// (records in the order their names first appear), `#=GC SS_cons` joined likewise, other `#` lines
/// skipped, a blank line ending a block, and `//` ending the alignment with nothing after it.
/// The one home of these rules: the alignment reader and the language model's sequence reader both
/// read Stockholm through it, each storing the pieces its own way.
public struct StockholmLayout: Sendable {
    /// A break of the layout at a line; each reader reports it as its own error.
    public struct Violation: Error, Sendable {
        public var line: Int
        public var problem: String
    }

    /// Record names in order of first appearance, and the line of each one's first piece.
    public private(set) var names: [String] = []
    public private(set) var lines: [Int] = []
    /// `#=GC SS_cons` over all blocks, and its first line (0: none).
    public private(set) var consensusStructure: [UInt8] = []
    public private(set) var consensusLine = 0
    public private(set) var terminated = false
    private var index: [String: Int] = [:]
    private var block: [String: Int] = [:]      // names of the current block → their line
    private var consensusInBlock = 0            // SS_cons's line in the current block

    public init() {}

    /// Reads line `n` (trailing blanks removed). For a sequence line, returns its record (a new one
    /// when `record == names.count − 1` was just added) and the piece of sequence it holds.
    /// The piece points into `trimmed`: use it before the buffer goes.
    public mutating func read(_ trimmed: UnsafeBufferPointer<UInt8>, line n: Int) throws(Violation) -> (record: Int, piece: Slice<UnsafeBufferPointer<UInt8>>)? {
        let blank = { (c: UInt8) in c == 32 || c == 9 || c == 13 }
        if trimmed.allSatisfy(blank) { block.removeAll(); consensusInBlock = 0; return nil }
        if terminated { throw Violation(line: n, problem: "data after the '//' terminator (multiple alignments are not supported)") }
        if trimmed.starts(with: [UInt8(ascii: "/"), UInt8(ascii: "/")]) { terminated = true; return nil }
        if trimmed.starts(with: Self.consensusTag), let c = trimmed.dropFirst(Self.consensusTag.count).first, blank(c) {
            if consensusInBlock > 0 {
                throw Violation(line: n, problem: "#=GC SS_cons appears twice in one block (also line \(consensusInBlock)): one consensus structure line per block")
            }
            if consensusLine == 0 { consensusLine = n }
            consensusInBlock = n
            consensusStructure.append(contentsOf: trimmed.dropFirst(Self.consensusTag.count).drop(while: blank))
            return nil
        }
        if trimmed.first == UInt8(ascii: "#") { return nil }                 // #=GF/#=GS/#=GR/#=GC and comments
        guard let space = trimmed.firstIndex(where: blank) else { throw Violation(line: n, problem: "expected 'name sequence'") }
        let name = String(decoding: trimmed[..<space], as: UTF8.self)
        if let earlier = block[name] {
            throw Violation(line: n, problem: "sequence '\(name)' appears twice in one block (also line \(earlier)): names must be unique within a Stockholm alignment")
        }
        block[name] = n
        let record = index[name] ?? names.count
        if record == names.count { index[name] = record; names.append(name); lines.append(n) }
        return (record, trimmed[space...].drop(while: blank))
    }

    /// The end of the file at line `n`: the alignment must have been terminated (unless it held no record).
    public func finish(line n: Int) throws(Violation) {
        guard terminated || names.isEmpty else { throw Violation(line: n, problem: "Stockholm file ends without the '//' terminator (truncated?)") }
    }

    static let consensusTag = Array("#=GC SS_cons".utf8)
}
