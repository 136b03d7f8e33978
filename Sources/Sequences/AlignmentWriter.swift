import FileIO

/// Writes alignments as FASTA/A3M (`>name` + aligned row; identical for match-column-only data),
/// Stockholm (with the consensus secondary structure as `#=GC SS_cons` where the alignment has one)
/// or PSICOV `.aln` (rows only). Files are written atomically.
public enum AlignmentWriter {
    public static func text(_ msa: MultipleSequenceAlignment, format: AlignmentFormat) -> String {
        var out = ""
        for n in 0..<msa.count {
            switch format {
            case .aln: out += msa.sequence(n) + "\n"
            case .stockholm:
                if n == 0 { out += "# STOCKHOLM 1.0\n" }
                out += msa.names[n] + " " + msa.sequence(n) + "\n"
                if n == msa.count - 1 {
                    if !msa.basePairs.isEmpty { out += "#=GC SS_cons " + SecondaryStructure.notation(msa.basePairs, length: msa.length) + "\n" }
                    out += "//\n"
                }
            default: out += ">" + msa.names[n] + "\n" + msa.sequence(n) + "\n"
            }
        }
        return out
    }

    public static func write(_ msa: MultipleSequenceAlignment, to path: String, format: AlignmentFormat, overwrite: Bool = true) throws {
        try AtomicFile.write(text(msa, format: format), to: path, overwrite: overwrite)
    }
}
