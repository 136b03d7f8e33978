import FileIO

/// A region of a genome: 0-based, half-open [start, end) on a chromosome (BED's coordinates), with
/// the summit (an absolute position) when the file gives one.
public struct GenomicInterval: Sendable, Equatable {
    public var chromosome: String
    public var start: Int, end: Int
    public var summit: Int?
    /// The line of the file it came from (1-based; 0 for one made in code).
    public var line: Int

    public init(chromosome: String, start: Int, end: Int, summit: Int? = nil, line: Int = 0) {
        self.chromosome = chromosome; self.start = start; self.end = end; self.summit = summit; self.line = line
    }

    /// The summit, else the midpoint ⌊(start + end) / 2⌋.
    public var centre: Int { summit ?? (start + end) / 2 }
}

/// BED files (BED3 and longer, ENCODE's narrowPeak included), gzipped or not: `chrom start end`
/// separated by tabs (or blanks), `track`, `browser` and `#` lines skipped. A narrowPeak row (10
/// columns) gives its summit as an offset from start in the 10th, −1 for none.
public enum BEDFile {
    public static func read(_ path: String) throws -> [GenomicInterval] {
        let reader = try CompressedReader(path: path)
        try reader.requireText("BED file")
        var out: [GenomicInterval] = []
        while let line = try reader.readLine() {
            let n = reader.lineNumber
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            guard let first = fields.first, !first.hasPrefix("#"), first != "track", first != "browser" else { continue }
            guard fields.count >= 3 else { throw FileIOError(path: path, line: n, "expected 'chrom start end' (at least 3 fields), got \(fields.count)") }
            guard let start = Int(fields[1]), let end = Int(fields[2]) else {
                throw FileIOError(path: path, line: n, "start and end must be whole numbers, got '\(fields[1])' and '\(fields[2])'")
            }
            guard start >= 0, end > start else { throw FileIOError(path: path, line: n, "an interval needs 0 <= start < end, got \(start)-\(end)") }
            var summit: Int?
            if fields.count >= 10 {
                guard let offset = Int(fields[9]) else { throw FileIOError(path: path, line: n, "narrowPeak summit (column 10) '\(fields[9])' is not a whole number") }
                if offset >= 0 {
                    guard start + offset < end else { throw FileIOError(path: path, line: n, "narrowPeak summit offset \(offset) lies beyond the peak (\(start)-\(end))") }
                    summit = start + offset
                }
            }
            out.append(GenomicInterval(chromosome: String(first), start: start, end: end, summit: summit, line: n))
        }
        guard !out.isEmpty else { throw FileIOError(path: path, "no intervals (an empty BED file?)") }
        return out
    }
}
