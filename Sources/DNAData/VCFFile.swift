import FileIO

/// A variant on a genome: VCF's 1-based position, its reference and alternative alleles (a
/// substitution of one or more bases, or an insertion or deletion written as VCF does, the two
/// alleles sharing their first base: REF `AC`, ALT `A` deletes the C).
public struct GenomeVariant: Sendable, Equatable {
    public var chromosome: String
    public var position: Int
    public var id: String
    public var reference: String, alternative: String
    /// The line of the file it came from (1-based; 0 for one made in code).
    public var line: Int

    public init(chromosome: String, position: Int, id: String = ".", reference: String, alternative: String, line: Int = 0) {
        self.chromosome = chromosome; self.position = position; self.id = id
        self.reference = reference; self.alternative = alternative; self.line = line
    }
}

/// VCF files (4.x), bgzipped or not: `##` meta lines and the `#CHROM` header skipped, columns
/// CHROM POS ID REF ALT (tab-separated; the rest ignored). Each ALT of a multi-allelic row is
/// its own variant. Alleles spelled in A, C, G, T are read (substitutions, insertions, deletions);
/// symbolic, missing or ambiguous ones (`<DEL>`, `*`, `.`, an N) are counted in `skipped`.
public enum VCFFile {
    public static func read(_ path: String) throws -> (variants: [GenomeVariant], skipped: Int) {
        let reader = try CompressedReader(path: path)
        try reader.requireText("VCF file")
        var variants: [GenomeVariant] = [], skipped = 0
        func isBases(_ s: Substring) -> Bool { !s.isEmpty && s.allSatisfy { "ACGTacgt".contains($0) } }
        while let line = try reader.readLine() {
            let n = reader.lineNumber
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 5 else { throw FileIOError(path: path, line: n, "expected tab-separated CHROM POS ID REF ALT (at least 5 fields), got \(fields.count)") }
            guard let position = Int(fields[1]), position >= 1 else { throw FileIOError(path: path, line: n, "POS '\(fields[1])' is not a 1-based position") }
            let reference = fields[3]
            guard !reference.isEmpty, reference.allSatisfy({ "ACGTNacgtn".contains($0) }) else {
                throw FileIOError(path: path, line: n, "REF '\(reference)' is not a run of bases")
            }
            for alternative in fields[4].split(separator: ",", omittingEmptySubsequences: false) {
                guard isBases(reference), isBases(alternative), alternative.uppercased() != reference.uppercased() else { skipped += 1; continue }
                variants.append(GenomeVariant(chromosome: String(fields[0]), position: position, id: String(fields[2]),
                                              reference: reference.uppercased(), alternative: alternative.uppercased(), line: n))
            }
        }
        return (variants, skipped)
    }
}
