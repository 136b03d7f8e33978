import FileIO
import Tensors

/// A DNA dataset from the formats a lab has at hand: sequences in FASTA (optionally gzipped) and
/// labels in a CSV or TSV table.
///
/// - FASTA: `>id description` then the sequence on one or more lines; every sequence the same
///   length; A/C/G/T/U (any case), other IUPAC letters and N become 0.25 in every channel.
/// - Labels: a header row `id,TASK1,TASK2,…` (tab- or comma-separated, found from the header), one
///   row per sequence id, each label in [0, 1] (any finite number for `.regression`); an optional
///   `split` column (train / valid / test) assigns rows to splits — without it the sequences are
///   shuffled with `seed` and split 70 / 10 / 20 %. Label rows for ids absent from the FASTA are
///   ignored. `columns` names the task columns to read, in that order (others — coordinates, names,
///   notes — are ignored); nil reads every column but the id and split columns.
public enum LabeledFASTA {
    public static func read(fasta: String, labels: String, objective: Objective = .classification, columns: [String]? = nil,
                            seed: UInt64 = 0, validFraction: Double = 0.1, testFraction: Double = 0.2) throws -> DNASplits {
        let (ids, sequences) = try readFASTA(fasta)
        let table = try LabelTable.read(labels, objective: objective, columns: columns)
        var rows: [[Float]] = [], splits: [String?] = []
        for id in ids {
            guard let k = table.row[id] else { throw FileIOError(path: labels, "no labels for sequence '\(id)' of \(fasta)") }
            rows.append(table.values[k]); splits.append(table.split?[k])
        }
        let x = OneHot.encode(sequences)
        let y = Tensor(shape: [ids.count, table.tasks.count], scalars: rows.flatMap { $0 })
        let all = DNADataset(x: x, y: y)
        var parts: [[Int]] = [[], [], []]
        if table.split != nil {
            for (i, s) in splits.enumerated() { parts[DNASplits.splitNames.firstIndex(of: s!)!].append(i) }
        } else {
            var rng = RandomGenerator(seed: seed)
            let order = rng.permutation(ids.count)
            let nValid = Int((Double(ids.count) * validFraction).rounded()), nTest = Int((Double(ids.count) * testFraction).rounded())
            parts = [Array(order[(nValid + nTest)...]), Array(order[..<nValid]), Array(order[nValid..<(nValid + nTest)])]
        }
        for (name, p) in zip(DNASplits.splitNames, parts) where p.isEmpty {
            throw FileIOError(path: labels, "the \(name) split is empty (\(ids.count) sequences)")
        }
        var data = DNASplits(train: all.subset(parts[0]), valid: all.subset(parts[1]), test: all.subset(parts[2]), taskNames: table.tasks)
        let ambiguous = AmbiguousBases(sequences)
        if !ambiguous.isEmpty {
            data.warnings.append("\(fasta): \(ambiguous) (first: '\(ids[ambiguous.firstSequence!])'), encoded as 0.25 in every channel")
        }
        if table.values.count > ids.count {
            data.warnings.append("\(labels): \(table.values.count - ids.count) label row(s) name no sequence of \(fasta) and are not used")
        }
        return data
    }

    /// Ids (first word of each header) and sequences, in file order; all of one length unless
    /// `sameLength` is false.
    public static func readFASTA(_ path: String, sameLength: Bool = true) throws -> (ids: [String], sequences: [String]) {
        var ids: [String] = [], sequences: [String] = []
        try forEachRecord(path) { id, bases, headerLine in
            if sameLength, let first = sequences.first, first.utf8.count != bases.count {
                throw FileIOError(path: path, line: headerLine, "sequence '\(id)' is \(bases.count) bp; '\(ids[0])' is \(first.utf8.count) bp (all sequences must have one length)")
            }
            ids.append(id); sequences.append(String(decoding: bases, as: UTF8.self))
        }
        return (ids, sequences)
    }

    /// Each record in file order — its id (the header's first word), bases and header line — one
    /// at a time, so a genome is read in the memory of its longest sequence. Headers without an id,
    /// duplicate ids, empty sequences and letters that are no nucleotide are errors naming the line.
    public static func forEachRecord(_ path: String, _ body: (String, [UInt8], Int) throws -> Void) throws {
        try forEachRecord(try CompressedReader(path: path), body)
    }

    /// The same from an open reader (whose `fileOffset` a caller may follow for progress).
    public static func forEachRecord(_ reader: CompressedReader, _ body: (String, [UInt8], Int) throws -> Void) throws {
        let path = reader.path
        try reader.requireText("FASTA file")
        var id: String?, seen = Set<String>(), current: [UInt8] = [], headerLine = 0
        func finish() throws {
            guard let id else { return }
            guard !current.isEmpty else { throw FileIOError(path: path, line: headerLine, "sequence '\(id)' is empty") }
            try body(id, current, headerLine)
            current.removeAll(keepingCapacity: true)
        }
        // A line's bytes are checked and appended as they lie in the reader's buffer; only headers become Strings.
        while let header = try reader.withNextLine({ line -> String? in
            var n = line.count
            while n > 0, isASCIIWhitespace[Int(line[n - 1])] { n -= 1 }
            if n > 0 && line[0] == UInt8(ascii: ">") { return String(decoding: line[..<n], as: UTF8.self) }
            guard n > 0 else { return nil }
            guard id != nil else { throw FileIOError(path: path, line: reader.lineNumber, "sequence data before the first '>' header (is this FASTA?)") }
            for c in line[..<n] where !isNucleotide[Int(c)] {
                throw FileIOError(path: path, line: reader.lineNumber, "'\(Character(Unicode.Scalar(c)))' is not a nucleotide letter (A, C, G, T, U, N or IUPAC)")
            }
            current.append(contentsOf: line[..<n])
            return nil
        }) {
            guard let text = header else { continue }
            try finish()
            let name = String(text.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
            guard !name.isEmpty else { throw FileIOError(path: path, line: reader.lineNumber, "header without an id") }
            guard seen.insert(name).inserted else { throw FileIOError(path: path, line: reader.lineNumber, "duplicate sequence id '\(name)'") }
            id = name; headerLine = reader.lineNumber
        }
        try finish()
        guard id != nil else { throw FileIOError(path: path, "no sequences (expected FASTA)") }
    }

    /// Whether a path names a FASTA file by its extension (.fa, .fasta, .fna, .fas, optionally .gz).
    public static func isFASTAPath(_ path: String) -> Bool {
        var lower = path.lowercased()
        if lower.hasSuffix(".gz") { lower.removeLast(3) }
        return [".fa", ".fasta", ".fna", ".fas"].contains { lower.hasSuffix($0) }
    }

    /// Whether `path` holds FASTA: by extension, `-` (standard input, read as FASTA), or by
    /// content — the first non-blank character (after a byte-order mark, gzip undone) is '>'.
    public static func looksLikeFASTA(_ path: String) -> Bool {
        if path == "-" || isFASTAPath(path) { return true }
        guard let head = try? CompressedReader(path: path).peek(256) else { return false }
        let text = head.starts(with: CompressedReader.byteOrderMark) ? head.dropFirst(3) : head[...]
        return text.first { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 } == UInt8(ascii: ">")
    }

    /// The IUPAC nucleotide letters, either case, by byte.
    static let isNucleotide: [Bool] = (0..<256).map { "ACGTUNRYSWKMBDHVacgtunryswkmbdhv".utf8.contains(UInt8($0)) }
    /// Space, tab, and the line and page breaks, by byte (trailing ones end a line).
    static let isASCIIWhitespace: [Bool] = (0..<256).map { [9, 10, 11, 12, 13, 32].contains($0) }
}

/// A label table: task names from the header, one row of values per id, and optional splits.
struct LabelTable {
    var tasks: [String] = []
    var row: [String: Int] = [:]
    var values: [[Float]] = []
    var split: [String]?

    static func read(_ path: String, objective: Objective, columns: [String]? = nil) throws -> LabelTable {
        let reader = try CompressedReader(path: path)
        try reader.requireText("label table")
        var table = LabelTable()
        var separator: Character = ",", splitColumn: Int?, width = 0, taskColumns: [Int] = []
        while let raw = try reader.readLine() {
            let line = String(raw.trimmingTrailingWhitespace())
            if line.isEmpty || line.hasPrefix("#") { continue }
            if width == 0 {
                separator = line.contains("\t") ? "\t" : ","
                let header = line.split(separator: separator, omittingEmptySubsequences: false).map { String($0.trimming { $0.isWhitespace || $0 == "\"" }) }
                guard header.count >= 2 else { throw FileIOError(path: path, line: reader.lineNumber, "header needs an id column and at least one task column (comma- or tab-separated)") }
                width = header.count
                splitColumn = header.firstIndex { $0.lowercased() == "split" }
                guard splitColumn != 0 else { throw FileIOError(path: path, line: reader.lineNumber, "the first column must hold sequence ids") }
                if let columns {
                    taskColumns = try columns.map { name in
                        guard let k = header.firstIndex(of: name), k != 0, k != splitColumn else {
                            throw FileIOError(path: path, line: reader.lineNumber, "no task column '\(name)' (the header has \(header.joined(separator: ", ")); the first is the ids)")
                        }
                        return k
                    }
                } else {
                    taskColumns = header.indices.filter { $0 != 0 && $0 != splitColumn }
                }
                table.tasks = taskColumns.map { header[$0] }
                guard !table.tasks.isEmpty else { throw FileIOError(path: path, line: reader.lineNumber, "no task columns") }
                if splitColumn != nil { table.split = [] }
                continue
            }
            let cells = line.split(separator: separator, omittingEmptySubsequences: false).map { String($0.trimming { $0.isWhitespace || $0 == "\"" }) }
            guard cells.count == width else { throw FileIOError(path: path, line: reader.lineNumber, "\(cells.count) fields; the header has \(width)") }
            guard table.row[cells[0]] == nil else { throw FileIOError(path: path, line: reader.lineNumber, "duplicate id '\(cells[0])'") }
            var values: [Float] = []
            for k in taskColumns {
                let cell = cells[k]
                guard let v = Float(cell) else { throw FileIOError(path: path, line: reader.lineNumber, "label '\(cell)' in column \(k + 1) is not a number") }
                if let problem = objective.problem(v) { throw FileIOError(path: path, line: reader.lineNumber, "label '\(cell)' in column \(k + 1): \(problem)") }
                values.append(v)
            }
            if let s = splitColumn {
                let name = ["validation": "valid", "val": "valid"][cells[s].lowercased()] ?? cells[s].lowercased()
                guard DNASplits.splitNames.contains(name) else {
                    throw FileIOError(path: path, line: reader.lineNumber, "split '\(cells[s])' is not train, valid or test")
                }
                table.split!.append(name)
            }
            table.row[cells[0]] = table.values.count
            table.values.append(values)
        }
        guard width > 0 else { throw FileIOError(path: path, "empty label table") }
        return table
    }
}
