import Tensors

/// An encoded multiple sequence alignment: N sequences × L model columns, one byte per residue
/// (`codes[n·L + i]`, alphabet codes), with the focus (query) sequence and its residue numbering.
public struct MultipleSequenceAlignment: Sendable {
    public var alphabet: Alphabet
    public var names: [String]
    /// N×L row-major alphabet codes.
    public var codes: [UInt8]
    public private(set) var length: Int
    /// Index of the focus (reference) sequence; numbering follows it.
    public var focus: Int
    /// The focus's record number in the file it was read from, as `--focus N` counts records (1-based,
    /// also counting records dropped or filtered since); nil when built in memory.
    public var focusRecord: Int?
    /// Residue number of each model column in the focus sequence (`NAME/START-END` numbering;
    /// 1-based from the first residue otherwise). Columns where the focus has a gap get the number
    /// of the next focus residue, negated (−k) so they can be told apart.
    public var residueNumbers: [Int]
    /// Where this alignment came from.
    public var source: String
    /// The format it was read as (nil when built in memory).
    public var format: AlignmentFormat?
    /// Things the reader noticed that the user should hear about (e.g. an A2M-looking file read as A3M).
    public var warnings: [String] = []
    /// Sequences the reader dropped for non-standard letters (`AlignmentReader.dropsNonstandardSequences`).
    public var droppedNonstandard = 0
    /// The consensus secondary structure's base pairs between model columns (a Stockholm file's
    /// `#=GC SS_cons`, as Rfam writes it); empty when the file gives none.
    public var basePairs: [BasePair] = []

    public var count: Int { names.count }

    public init(alphabet: Alphabet, names: [String], codes: [UInt8], length: Int, focus: Int = 0,
                residueNumbers: [Int]? = nil, source: String = "") {
        precondition(codes.count == names.count * length, "codes must be N×L")
        self.alphabet = alphabet; self.names = names; self.codes = codes; self.length = length
        self.focus = focus; self.source = source
        self.residueNumbers = residueNumbers ?? Array(1...Swift.max(length, 1)).prefix(length).map { $0 }
    }

    /// The codes of sequence n.
    public func row(_ n: Int) -> ArraySlice<UInt8> { codes[(n * length)..<((n + 1) * length)] }

    public subscript(n: Int, i: Int) -> UInt8 { codes[n * length + i] }

    public var focusCodes: [UInt8] { Array(row(focus)) }
    public var focusSequence: String { alphabet.decode(row(focus)) }
    public func sequence(_ n: Int) -> String { alphabet.decode(row(n)) }

    /// Keeps the given rows (in order); the focus must be among them.
    public func selectingRows(_ rows: [Int]) -> MultipleSequenceAlignment {
        var c = [UInt8](); c.reserveCapacity(rows.count * length)
        for r in rows { c.append(contentsOf: row(r)) }
        let newFocus = rows.firstIndex(of: focus)
        var kept = MultipleSequenceAlignment(alphabet: alphabet, names: rows.map { names[$0] }, codes: c, length: length,
                                             focus: newFocus ?? 0, residueNumbers: residueNumbers, source: source)
        kept.focusRecord = newFocus == nil ? nil : focusRecord
        kept.basePairs = basePairs
        return kept
    }

    /// Keeps the given columns (in order).
    public func selectingColumns(_ columns: [Int]) -> MultipleSequenceAlignment {
        var c = [UInt8](); c.reserveCapacity(count * columns.count)
        codes.withUnsafeBufferPointer { p in
            for n in 0..<count { for i in columns { c.append(p[n * length + i]) } }
        }
        var kept = MultipleSequenceAlignment(alphabet: alphabet, names: names, codes: c, length: columns.count, focus: focus,
                                             residueNumbers: columns.map { residueNumbers[$0] }, source: source)
        kept.focusRecord = focusRecord
        kept.basePairs = SecondaryStructure.restricting(basePairs, to: columns, of: length)
        return kept
    }

    /// One-hot encoding (N, L, q) as a tensor.
    public func oneHot() -> Tensor {
        let q = alphabet.size
        var t = [Float](repeating: 0, count: count * length * q)
        for (k, c) in codes.enumerated() { t[k * q + Int(c)] = 1 }
        return Tensor(shape: [count, length, q], scalars: t)
    }

    /// Fraction of gap codes in each column.
    public func columnGapFractions() -> [Double] {
        var gaps = [Int](repeating: 0, count: length)
        codes.withUnsafeBufferPointer { p in
            for n in 0..<count { for i in 0..<length where p[n * length + i] == alphabet.gap { gaps[i] += 1 } }
        }
        return gaps.map { Double($0) / Double(Swift.max(count, 1)) }
    }

    /// Weighted residue frequencies of each column, gaps left out (a sequence logo's letters):
    ///   f_i(a) = (Σ_n w_n [x_i^n = a] + c/K) / (Σ_n w_n [x_i^n ≠ gap] + c),
    /// K = q − 1 residue states, c = `pseudocount` sequences' weight spread evenly over them, so a
    /// column of W identical residues reaches log₂K bits as W grows. Rows are L, each K long.
    public func residueFrequencies(weights: [Float], pseudocount c: Double = 1) -> [[Double]] {
        let k = alphabet.size - 1, gap = Int(alphabet.gap)
        var counts = [[Double]](repeating: [Double](repeating: 0, count: k), count: length)
        for n in 0..<count {
            let w = Double(weights[n])
            for i in 0..<length { let a = Int(codes[n * length + i]); if a != gap { counts[i][a] += w } }
        }
        return counts.map { row in
            let total = row.reduce(0, +) + c
            return row.map { ($0 + c / Double(k)) / total }
        }
    }

    /// Fraction of gap codes in each sequence.
    public func sequenceGapFractions() -> [Double] {
        (0..<count).map { n in Double(row(n).filter { $0 == alphabet.gap }.count) / Double(Swift.max(length, 1)) }
    }

    /// The number of the first residue of a `NAME/START-END` header, as the alignment reader numbers
    /// it: nil (number from 1) for a start below 1 or a reverse-strand region (START > END).
    public static func startNumber(fromHeader name: String) -> Int? {
        residueRange(fromHeader: name).flatMap { $0.start >= 1 && $0.start <= $0.end ? $0.start : nil }
    }

    /// START and END of a header `NAME/START-END`, as written.
    public static func residueRange(fromHeader name: String) -> (start: Int, end: Int)? {
        let first = name.split(separator: " ").first.map(String.init) ?? name
        guard let slash = first.lastIndex(of: "/") else { return nil }
        let range = first[first.index(after: slash)...]
        guard let dash = range.firstIndex(of: "-"), let start = Int(range[..<dash]), let end = Int(range[range.index(after: dash)...]) else { return nil }
        return (start, end)
    }
}
