/// Alignment file formats, chosen by extension (after an optional `.gz`) or by content.
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

    public static func guess(path: String, firstLine: String?) -> AlignmentFormat {
        var p = path.lowercased()
        if p.hasSuffix(".gz") { p = String(p.dropLast(3)) }
        let ext = p.split(separator: "/").last.flatMap { $0.contains(".") ? $0.split(separator: ".").last : nil }.map(String.init) ?? ""
        switch ext {
        case "a3m": return .a3m
        case "a2m": return .a2m
        case "sto", "stk", "stockholm": return .stockholm
        case "aln", "psicov", "jones": return .aln
        case "fa", "fasta", "afa", "fas", "faa", "mfa": return .fasta
        default: break
        }
        if let l = firstLine {
            if l.hasPrefix("# STOCKHOLM") { return .stockholm }
            if l.hasPrefix(">") { return .a3m }     // A3M reads plain aligned FASTA too
        }
        return .aln
    }
}
