import FileIO

/// Alignment file formats, chosen by content, then by extension (after an optional `.gz`).
public enum AlignmentFormat: String, Sendable, CaseIterable {
    /// Aligned FASTA: every row has the same length; case is ignored; `.` and `-` are gaps.
    case fasta
    /// A3M (HH-suite): lowercase letters are insertions relative to the query and are dropped; `.` ignored.
    case a3m
    /// A2M (HMMER/EVcouplings): rows of equal length; the match columns are those where the focus
    /// has an uppercase letter; lowercase and `.` columns are inserts and are dropped.
    case a2m
    /// Stockholm 1.0 (`#=GS`/`#=GC` annotation, multi-block, ends with `//`); columns as A2M.
    case stockholm
    /// PSICOV/CCMpred `.aln`: one aligned sequence per line, no headers.
    case aln

    /// The format an extension names (after an optional `.gz`), or nil for any other name.
    public static func named(by path: String) -> AlignmentFormat? {
        switch path.pathExtension(throughGzip: true) ?? "" {
        case "a3m": return .a3m
        case "a2m": return .a2m
        case "sto", "stk", "stockholm": return .stockholm
        case "aln", "psicov", "jones": return .aln
        case "fa", "fasta", "afa", "fas", "faa", "mfa": return .fasta
        default: return nil
        }
    }

    /// FASTA, A2M and A3M share the `>name` record layout; they differ in what lower case means.
    var isFASTAFamily: Bool { self == .fasta || self == .a2m || self == .a3m }

    /// What the first bytes of a file say about its format (nil: nothing to go by).
    ///
    /// `# STOCKHOLM` → Stockholm; `>` records → FASTA when every record has the same length and
    /// no lower case, A2M when every record has the same length counting lower-case letters and
    /// `.` (inserts are columns), A3M when they differ (inserts are extra letters); headerless rows
    /// → PSICOV. `complete` says whether `head` is the whole file (else its last line and last
    /// record may be cut and are ignored).
    public static func sniff(_ head: [UInt8], complete: Bool) -> AlignmentFormat? {
        var lines = head.split(separator: 0x0A, omittingEmptySubsequences: false)
        if !complete && lines.count > 1 { lines.removeLast() }
        var trimmed: [ArraySlice<UInt8>] = []
        for (k, line) in lines.enumerated() {
            var l = line
            if k == 0 && l.starts(with: [0xEF, 0xBB, 0xBF]) { l = l.dropFirst(3) }
            while let c = l.last, c == 0x0D || c == 32 || c == 9 { l = l.dropLast() }
            if !l.isEmpty { trimmed.append(l) }
        }
        guard let first = trimmed.first else { return nil }
        if first.starts(with: Array("# STOCKHOLM".utf8)) { return .stockholm }
        let body = trimmed.drop { $0.first == UInt8(ascii: "#") }
        guard let start = body.first else { return nil }
        guard start.first == UInt8(ascii: ">") else {
            // Text before the first header is a broken FASTA (the reader names the line), not PSICOV.
            return body.contains { $0.first == UInt8(ascii: ">") } ? .fasta : .aln
        }
        var totals: [Int] = [], total = -1, lower = false
        for l in body {
            if l.first == UInt8(ascii: ">") {
                if total >= 0 { totals.append(total) }
                total = 0
            } else {
                total += l.count
                if !lower { lower = l.contains { ($0 >= 97 && $0 <= 122) || $0 == UInt8(ascii: ".") } }
            }
        }
        if complete && total >= 0 { totals.append(total) }
        guard let width = totals.first else { return .a3m }
        if totals.allSatisfy({ $0 == width }) { return lower && totals.count >= 2 ? .a2m : .fasta }
        return .a3m
    }

    /// The format to read `path` with: `explicit` (--format) if given, else the content's when it
    /// contradicts the extension's layout, else the extension's. `warning` explains a choice the
    /// user should know about: an aligned A2M file (named .a2m, or equal-length records with lower
    /// case) read as A3M or FASTA keeps every column, where A2M keeps the focus's upper-case ones —
    /// `readsA2M` then, as the reader says it only where A2M would read other columns.
    public static func resolve(path: String, explicit: AlignmentFormat?, content: AlignmentFormat?) -> (format: AlignmentFormat, warning: String?, readsA2M: Bool) {
        let named = Self.named(by: path)
        let looksA2M = content == .a2m || (named == .a2m && content == .fasta)
        let keepsAll = { (f: AlignmentFormat) in
            "\(path): read as \(f == .a3m ? "A3M" : "FASTA") (\(explicit != nil ? "--format \(f.rawValue)" : "by its name")), but it looks like A2M "
                + "(\(content == .a2m ? "every record has the same length counting lower case and '.'" : "named .a2m, records of equal length")): "
                + "A2M keeps only the focus's upper-case columns; if this is A2M, pass --format a2m"
        }
        if let explicit {
            if (explicit == .a3m || explicit == .fasta) && looksA2M { return (explicit, keepsAll(explicit), true) }
            guard let content, content != explicit else { return (explicit, nil, false) }
            if explicit.isFASTAFamily && content.isFASTAFamily { return (explicit, nil, false) }
            return (explicit, "\(path): --format \(explicit.rawValue), but the content looks like \(content.rawValue)", false)
        }
        guard let content else { return (named ?? .aln, nil, false) }
        guard let named else { return (content, nil, false) }
        if !(named.isFASTAFamily && content.isFASTAFamily) { return (content, nil, false) }
        switch (named, content) {
        case (.a3m, .a2m): return (.a3m, keepsAll(.a3m), true)
        case (.a2m, .a3m): return (.a3m, "\(path): named .a2m, but its records differ in length counting lower case, as in A3M: read as A3M (pass --format a2m to insist)", false)
        case (.fasta, .a3m): return (.a3m, nil, false)
        case (.fasta, .a2m): return (.fasta, keepsAll(.fasta), true)
        default: return (named, nil, false)
        }
    }
}
