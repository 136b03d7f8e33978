import FileIO

/// Reads alignments in every `AlignmentFormat`, gzipped or not, streaming: the file is read once,
/// rows are kept as raw bytes in one buffer, and then encoded in place (no per-row objects).
public struct AlignmentReader: Sendable {
    public var format: AlignmentFormat?
    /// Focus sequence: a 1-based record number ("2635") or a record name (prefix before any space).
    public var focus: String?
    /// A2M/Stockholm: keep every column (lowercase read as uppercase) instead of the focus's match columns.
    public var keepAllColumns = false
    public var alphabet = Alphabet.protein
    /// plmc's rule: drop every sequence (other than the focus) with a character outside the 20 amino
    /// acids and the gaps `-` `.` (either case) in any column, kept or not — B, J, O, U, X, Z and the
    /// like — instead of reading them as gaps or aliases (plm.c: "Always discard any sequences (rows)
    /// with out-of-alphabet characters"). How many were dropped is in `droppedNonstandard`.
    public var dropsNonstandardSequences = false

    public init(format: AlignmentFormat? = nil, focus: String? = nil, keepAllColumns: Bool = false, alphabet: Alphabet = .protein,
                dropsNonstandardSequences: Bool = false) {
        self.format = format; self.focus = focus; self.keepAllColumns = keepAllColumns; self.alphabet = alphabet
        self.dropsNonstandardSequences = dropsNonstandardSequences
    }

    public func read(_ path: String) throws -> MultipleSequenceAlignment {
        let reader = try CompressedReader(path: path)
        let head = try reader.peek(Self.sniffBytes)
        if let kind = BinaryContent.kind(of: head, lineStartNULs: true) { throw FileIOError(path: path, "not a text alignment: looks like \(kind)") }
        let (chosen, warning, readsA2M) = AlignmentFormat.resolve(path: path, explicit: format,
                                                        content: AlignmentFormat.sniff(head, complete: head.count < Self.sniffBytes))
        var names: [String] = []
        var headerLines: [Int] = []
        var raw: [UInt8] = []            // concatenated rows, each `width` bytes (after A3M insert removal)
        var width = -1
        var current: [UInt8] = []
        let resolved = chosen
        var insertions = 0               // A3M lower-case letters and '.' dropped
        // A3M rows that may be the focus, as read (before insertions go): the focus's inserted
        // residues still count in its numbering.
        var a3mFocusRows: [Int: [UInt8]] = [:]
        var entryEnded = false           // a line opened by MMseqs2's NUL entry terminator
        let fail = { (line: Int, problem: String) in FileIOError(path: path, line: line, problem) }
        var annotation: String?          // the HH-suite annotation record being read past, if any
        var skippedAnnotations: [String] = []

        func invalid(_ c: UInt8, _ line: Int, record: String) -> FileIOError {
            let states = alphabet.name == "custom" ? "the alphabet \(alphabet.string)" : "the \(alphabet.name) alphabet"
            let shown = c < 0x80 ? "'\(Character(UnicodeScalar(c)))'" : "(a non-ASCII byte, 0x\(String(c, radix: 16, uppercase: true)))"
            return fail(line, "record '\(record)' has an invalid character \(shown) (not a state of \(states); --alphabet takes other states, symbols included)")
        }
        /// Checks one line of sequence data as it is read, so that an error names its line: A3M
        /// insertions are not states; a final `*` (stop codon) is left to `commit`.
        func check(_ data: UnsafeBufferPointer<UInt8>, _ fmt: AlignmentFormat, _ line: Int, record: String) throws {
            for (k, c) in data.enumerated() where alphabet.code(c) == nil {
                if fmt == .a3m && ((c >= 97 && c <= 122) || c == UInt8(ascii: ".")) { continue }
                if c == UInt8(ascii: "*") && k == data.count - 1 { continue }
                throw invalid(c, line, record: record)
            }
        }

        /// Appends the current record after checking its characters and width.
        func commit(_ fmt: AlignmentFormat) throws {
            guard let line = headerLines.last, annotation == nil else { return }
            var row = current
            if row.last == UInt8(ascii: "*") && alphabet.code(UInt8(ascii: "*")) == nil { row.removeLast() }   // stop codon marker (unless '*' is a state)
            if fmt == .a3m {
                if mayBeFocus(names, kept: a3mFocusRows) { a3mFocusRows[names.count - 1] = row }
                let before = row.count
                row.removeAll { ($0 >= 97 && $0 <= 122) || $0 == UInt8(ascii: ".") }
                insertions += before - row.count
            }
            if let c = row.first(where: { alphabet.code($0) == nil }) { throw invalid(c, line, record: names.last!) }
            if width < 0 { width = row.count }
            if width == 0 && current.isEmpty { throw fail(line, "record '\(names.last!)' has no sequence") }
            guard row.count == width else {
                let hint = entryEnded ? " (a NUL byte ended an MMseqs2 entry before it: this file may hold several queries' MSAs; give each query its own file)"
                    : fmt == .fasta || fmt == .a2m ? " (for unaligned or A3M input use --format a3m)" : ""
                throw fail(line, "record '\(names.last!)' has \(row.count) aligned columns, expected \(width) as in the first record\(hint)")
            }
            raw.append(contentsOf: row)
            current.removeAll(keepingCapacity: true)
        }

        var stockholm = StockholmLayout()
        var stockholmRows: [[UInt8]] = []
        while let parsed: Void = try reader.withNextLine({ bytes in
            let n = reader.lineNumber
            let fmt = resolved
            // NULs opening a line end an MMseqs2 entry (ColabFold's A3M files): not part of the line.
            let first = bytes.firstIndex { $0 != 0 } ?? bytes.endIndex
            if first > 0 { entryEnded = true }
            let trimmed = UnsafeBufferPointer(rebasing: bytes[first..<(bytes.lastIndex { $0 != 32 && $0 != 9 }.map { $0 + 1 } ?? first)])
            switch fmt {
            case .fasta, .a3m, .a2m:
                if trimmed.first == UInt8(ascii: ">") {
                    try commit(fmt)
                    let header = String(decoding: trimmed.dropFirst(), as: UTF8.self)
                    // The name ends at a space or a tab (MMseqs2's headers: name, then its scores by tabs).
                    let name = header.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? header
                    annotation = Self.annotationRecords.contains(name) ? name : nil
                    if let annotation { skippedAnnotations.append(annotation); return }
                    names.append(name)
                    headerLines.append(n)
                } else if trimmed.first == UInt8(ascii: "#") && names.isEmpty {
                    // A3M files may start with a `#` comment line.
                } else if !trimmed.isEmpty && annotation == nil {
                    guard !names.isEmpty else { throw fail(n, "sequence data before the first '>' header") }
                    try check(trimmed, fmt, n, record: names.last!)
                    current.append(contentsOf: trimmed)
                }
            case .aln:
                guard !trimmed.isEmpty else { return }
                names.append("seq\(names.count + 1)")
                headerLines.append(n)
                current.append(contentsOf: trimmed)
                try commit(fmt)
            case .stockholm:
                if n == 1 && !trimmed.starts(with: Array("# STOCKHOLM".utf8)) {
                    throw fail(n, "not a Stockholm file (missing '# STOCKHOLM 1.0' header)")
                }
                let read: (record: Int, piece: Slice<UnsafeBufferPointer<UInt8>>)?
                do throws(StockholmLayout.Violation) { read = try stockholm.read(trimmed, line: n) } catch { throw fail(error.line, error.problem) }
                guard let (k, piece) = read else { return }
                try check(UnsafeBufferPointer(rebasing: piece), fmt, n, record: stockholm.names[k])
                if k == stockholmRows.count { stockholmRows.append([]) }
                stockholmRows[k].append(contentsOf: piece)
            }
        }) { _ = parsed }
        let fmt = resolved
        switch fmt {
        case .fasta, .a3m, .a2m: try commit(fmt)
        case .stockholm:
            do throws(StockholmLayout.Violation) { try stockholm.finish(line: reader.lineNumber) } catch { throw fail(error.line, error.problem) }
            for (k, r) in stockholmRows.enumerated() {
                names.append(stockholm.names[k]); headerLines.append(stockholm.lines[k])
                current = r
                try commit(fmt)
            }
        case .aln: break
        }
        if !names.isEmpty && width == 0 && insertions > 0 {
            throw FileIOError(path: path, "no sequences found: every residue is lower case, which A3M reads as an insertion (nothing is left to align); if lower case here marks ordinary residues, read the file as FASTA (--format fasta)")
        }
        guard !names.isEmpty, width > 0 else { throw FileIOError(path: path, "no sequences found (empty file or wrong format; formats: \(AlignmentFormat.allCases.map(\.rawValue).joined(separator: ", ")))") }

        var focusIndex = try resolveFocus(names, path: path)
        let focusRecord = focusIndex + 1
        let focusAsRead = a3mFocusRows[focusIndex]
        var droppedNonstandard = 0
        if dropsNonstandardSequences {
            var allowed = [Bool](repeating: false, count: 256)
            for c in alphabet.letters { allowed[Int(c)] = true; if c >= 65 && c <= 90 { allowed[Int(c) + 32] = true } }
            for c in Alphabet.gapCharacters { allowed[Int(c)] = true }
            var kept = 0
            var keptNames: [String] = [], keptLines: [Int] = []
            raw.withUnsafeMutableBufferPointer { p in
                for n in 0..<names.count {
                    let standard = (0..<width).allSatisfy { allowed[Int(p[n * width + $0])] }
                    guard standard || n == focusIndex else { droppedNonstandard += 1; continue }
                    if n == focusIndex { focusIndex = kept }
                    if kept != n { for k in 0..<width { p[kept * width + k] = p[n * width + k] } }
                    keptNames.append(names[n]); keptLines.append(headerLines[n]); kept += 1
                }
            }
            raw.removeLast(raw.count - kept * width)
            names = keptNames; headerLines = keptLines
        }
        let focusRow = Array(raw[(focusIndex * width)..<((focusIndex + 1) * width)])
        // Match columns: the focus has an upper-case letter there, or a state symbol (symbols have no
        // lower case); residues: every character but the gaps `-` and `.`.
        let isLower = { (c: UInt8) in c >= 97 && c <= 122 }
        let isGap = { (c: UInt8) in Alphabet.gapCharacters.contains(c) }
        let isMatch = { (c: UInt8) in !isLower(c) && !isGap(c) }
        let columns: [Int]
        if (fmt == .a2m || fmt == .stockholm) && !keepAllColumns {
            columns = focusRow.indices.filter { isMatch(focusRow[$0]) }
            guard !columns.isEmpty else { throw FileIOError(path: path, line: headerLines[focusIndex], "focus '\(names[focusIndex])' has no uppercase (match) columns") }
        } else {
            columns = Array(0..<width)
        }
        // Residue numbering of the focus: letters count, gaps do not — in A3M its inserted (lower-case)
        // residues too, though they hold no column.
        let start = MultipleSequenceAlignment.startNumber(fromHeader: names[focusIndex]) ?? 1
        var numberAt = [Int](repeating: 0, count: width)
        var letters = 0, k = 0
        for c in focusAsRead ?? focusRow {
            if focusAsRead != nil && (isLower(c) || c == UInt8(ascii: ".")) { letters += isLower(c) ? 1 : 0; continue }
            numberAt[k] = isGap(c) ? -(start + letters) : start + letters
            if !isGap(c) { letters += 1 }
            k += 1
        }
        var rangeWarning: String?
        if let r = MultipleSequenceAlignment.residueRange(fromHeader: names[focusIndex]) {
            let focus = "\(path): the focus '\(names[focusIndex])' names residues \(r.start)–\(r.end)"
            if r.start < 1 {
                // Residue numbers start at 1 (a gap column holds the next residue's number negated).
                rangeWarning = "\(focus), but residue numbers start at 1: its residues are numbered from 1 (--offset shifts a mutation table's numbers)"
            } else if r.start > r.end {
                // A reverse-strand region (Rfam, Dfam): its residues run down the reference's coordinates.
                let held = r.start - r.end + 1 == letters ? "" : " (\(r.start - r.end + 1)), but holds \(letters)"
                rangeWarning = "\(focus), a reverse-strand region\(held): its residues are numbered from 1 along the sequence (--offset shifts a mutation table's numbers)"
            } else if r.end - r.start + 1 != letters {
                rangeWarning = "\(focus) (\(r.end - r.start + 1)), but holds \(letters): residues are numbered from \(r.start) by the sequence itself"
            }
        }
        // Encode in place: row n's kept columns overwrite the buffer from n·L (never ahead of reading).
        let length = columns.count
        let table = alphabet
        raw.withUnsafeMutableBufferPointer { p in
            for n in 0..<names.count {
                let src = n * width, dst = n * length
                for (j, c) in columns.enumerated() { p[dst + j] = table.code(p[src + c])! }
            }
        }
        raw.removeLast(raw.count - names.count * length)
        var msa = MultipleSequenceAlignment(alphabet: alphabet, names: names, codes: raw, length: length, focus: focusIndex,
                                            residueNumbers: columns.map { numberAt[$0] }, source: path)
        msa.format = fmt
        msa.focusRecord = focusRecord
        // A protein alignment's SS_cons (Pfam's: DSSP letters H, E, T, S, … from structures) is no base pairing.
        if stockholm.consensusLine > 0 && alphabet != .protein {
            guard stockholm.consensusStructure.count == width else {
                throw fail(stockholm.consensusLine, "#=GC SS_cons has \(stockholm.consensusStructure.count) columns, the alignment \(width)")
            }
            do {
                // Pairs between model columns; a pair with an end in an insert column is not one of the model's.
                msa.basePairs = SecondaryStructure.restricting(try SecondaryStructure.basePairs(stockholm.consensusStructure), to: columns, of: width)
            } catch {
                // Refused for nucleotides; a custom alphabet's file may hold a protein's SS_cons: said, not read.
                guard alphabet != .rna && alphabet != .dna else { throw fail(stockholm.consensusLine, "#=GC SS_cons: \(error.problem)") }
                msa.warnings.append("\(path):\(stockholm.consensusLine): #=GC SS_cons is not WUSS base pairing (\(error.problem)): not read")
            }
        }
        if let rangeWarning { msa.warnings.append(rangeWarning) }
        if let focus, Int(focus) == nil, names.filter({ $0 == names[focusIndex] }).count > 1 {
            msa.warnings.append("\(path): \(names.filter { $0 == names[focusIndex] }.count) records are named '\(names[focusIndex])'; the first (record \(focusRecord)) is the focus (--focus N picks a record by number)")
        }
        if let warning {
            let a2mKeeps = focusRow.filter(isMatch).count
            if !readsA2M {
                msa.warnings.append(warning)
            } else if a2mKeeps > 0 && a2mKeeps < width {
                // Said only where A2M would read other columns: not for a focus all in upper case, nor
                // one all in lower case (MAFFT writes aligned FASTA in lower case).
                msa.warnings.append(warning + " (\(width) columns read; A2M would keep \(a2mKeeps))")
            }
        }
        if !skippedAnnotations.isEmpty {
            msa.warnings.append("\(path): read past HH-suite annotation records (\(skippedAnnotations.joined(separator: ", "))): secondary structure, not sequences; record numbers (--focus N) count sequences only")
        }
        msa.droppedNonstandard = droppedNonstandard
        if let note = Self.nucleotideNote(msa, path: path) { msa.warnings.append(note) }
        return msa
    }

    /// A nucleotide alignment read as protein (the default alphabet) reads A, C, G and T as amino
    /// acids (and U as C, selenocysteine) without complaint: said when at least 20 residues are read,
    /// every one is A, C, G, T/U or a nucleotide ambiguity code (N R Y S W K M D H V, all amino-acid
    /// letters too) and at least 90% are A, C, G or T/U. Rfam's alignments hold a few N, R, Y, …
    /// among thousands of bases; a protein family of 20 residues without one E, F, I, L, P or Q is not seen.
    static func nucleotideNote(_ msa: MultipleSequenceAlignment, path: String) -> String? {
        guard msa.alphabet.name == Alphabet.protein.name else { return nil }
        var counts = [Int](repeating: 0, count: msa.alphabet.size)
        for c in msa.codes where c != msa.alphabet.gap { counts[Int(c)] += 1 }
        let residues = counts.reduce(0, +)
        let bases = "ACGT".compactMap { msa.alphabet.code(of: $0) }.map { Int($0) }
        let ambiguity = "NRYSWKMDHV".compactMap { msa.alphabet.code(of: $0) }.map { Int($0) }
        let baseCount = bases.reduce(0) { $0 + counts[$1] }
        guard residues >= 20, counts.indices.allSatisfy({ counts[$0] == 0 || bases.contains($0) || ambiguity.contains($0) }),
              baseCount * 10 >= residues * 9 else { return nil }
        let advice = "if this is a nucleotide alignment, pass --alphabet dna (or rna); it was read as protein"
        if baseCount == residues { return "\(path): every residue is A, C, G or T: \(advice)" }
        let others = ambiguity.filter { counts[$0] > 0 }.sorted().map { String(msa.alphabet.letter(UInt8($0))) }
        return "\(path): every residue is A, C, G, T/U or a nucleotide ambiguity code (\(baseCount) of \(residues) residues are A, C, G or T/U, the rest \(others.joined(separator: ", "))): \(advice)"
    }

    /// HH-suite's annotation records in A3M/A2M/FASTA (hhblits -addss, hhmake): secondary structure
    /// and its confidence, not sequences; hhfilter and reformat.pl read past them.
    static let annotationRecords: Set<String> = ["ss_dssp", "sa_dssp", "ss_pred", "ss_conf"]

    /// Bytes read ahead to sniff the format (and binary files) from the content.
    static let sniffBytes = 1 << 16

    /// Whether the last of `names` can be the record `resolveFocus` picks, given the candidates
    /// `kept` so far: by name, the first exact match or else the first prefix match.
    func mayBeFocus(_ names: [String], kept: [Int: [UInt8]]) -> Bool {
        guard let focus else { return names.count == 1 }
        if let k = Int(focus) { return names.count == k }
        guard let name = names.last, name.hasPrefix(focus) else { return false }
        return kept.isEmpty || (name == focus && !names.dropLast().contains(focus))
    }

    func resolveFocus(_ names: [String], path: String) throws -> Int {
        guard let focus else { return 0 }
        if let k = Int(focus) {
            guard k >= 1 && k <= names.count else { throw FileIOError(path: path, "--focus \(k) is out of range: the file has \(names.count) sequences (numbered from 1)") }
            return k - 1
        }
        if let k = names.firstIndex(of: focus) ?? names.firstIndex(where: { $0.hasPrefix(focus) }) { return k }
        throw FileIOError(path: path, "no sequence named '\(focus)' for --focus")
    }
}
