import FileIO

/// Fixed-length windows cut from a genome FASTA (gzipped or not) in one pass, holding one
/// chromosome at a time (hg38's largest: 249 MB), so a genome of any size is read in the memory
/// of its longest chromosome. Chromosomes no window asks for are read past, not stored.
public enum GenomeWindows {
    /// The bases (upper-cased) of each window [start, start + length) on its chromosome, in the
    /// order given; nil for a window that runs off either end, or with `paddedWithN` its bases off
    /// the chromosome written N (as Enformer's `FastaStringExtractor` pads). A chromosome the FASTA
    /// lacks is an error naming a few of those it has, and `source`, the file that named it.
    /// `progress(done, total)` after each chromosome that holds windows; `visit(name, bases)` sees
    /// each such chromosome whole (upper and lower case as in the file) before it goes.
    public static func extract(_ path: String, windows: [(chromosome: String, start: Int)], length: Int,
                               paddedWithN: Bool = false, source: String = "the BED file",
                               progress: ((Int, Int) -> Void)? = nil,
                               visit: ((String, [UInt8]) -> Void)? = nil) throws -> [[UInt8]?] {
        try extract(path, windows: windows, lengths: Array(repeating: length, count: windows.count), paddedWithN: paddedWithN,
                    source: source, progress: progress, visit: visit)
    }

    /// As above, window k of `lengths[k]` bases.
    public static func extract(_ path: String, windows: [(chromosome: String, start: Int)], lengths: [Int],
                               paddedWithN: Bool = false, source: String = "the BED file",
                               progress: ((Int, Int) -> Void)? = nil,
                               visit: ((String, [UInt8]) -> Void)? = nil) throws -> [[UInt8]?] {
        precondition(lengths.count == windows.count, "one length per window")
        var wanted: [String: [Int]] = [:]
        for (k, w) in windows.enumerated() { wanted[w.chromosome, default: []].append(k) }
        var out = [[UInt8]?](repeating: nil, count: windows.count)
        let total = wanted.count
        let reader = try CompressedReader(path: path)
        try reader.requireText("genome FASTA")
        var current: String?, bases: [UInt8] = [], seen: [String] = []
        func finish() {
            guard let name = current, let ks = wanted[name] else { return }
            for k in ks {
                let (s, length) = (windows[k].start, lengths[k])
                if s >= 0 && s + length <= bases.count {
                    out[k] = window(bases, at: s, length: length)
                } else if paddedWithN {
                    out[k] = (s..<(s + length)).map { p in p >= 0 && p < bases.count ? upper(bases[p]) : UInt8(ascii: "N") }
                }
            }
            visit?(name, bases)
            wanted[name] = nil
            progress?(total - wanted.count, total)
        }
        while let found: Void? = try reader.withNextLine({ line in
            if line.first == UInt8(ascii: ">") {
                finish()
                // The first word of the header ("> chr1", with a space, names chr1 as samtools faidx does).
                let header = line.dropFirst().drop { $0 == 32 || $0 == 9 }.prefix { $0 != 32 && $0 != 9 && $0 != 13 }
                let name = String(decoding: header, as: UTF8.self)
                seen.append(name)
                current = name
                bases.removeAll(keepingCapacity: true)
                return
            }
            guard let name = current else {
                if line.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) {
                    throw FileIOError(path: path, line: reader.lineNumber, "sequence before the first '>' header: not a FASTA genome")
                }
                return
            }
            if wanted[name] != nil { bases.append(contentsOf: line.lazy.filter { $0 != 32 && $0 != 9 && $0 != 13 }) }
        }) { _ = found }
        finish()
        if let missing = wanted.keys.sorted().first {
            let some = seen.prefix(5).joined(separator: ", ") + (seen.count > 5 ? ", …" : "")
            throw FileIOError(path: path, "no chromosome '\(missing)' (\(wanted.count) that \(source) names absent; the genome has \(seen.count): \(some)); do \(source) and the genome use the same names and assembly?")
        }
        return out
    }

    /// Bases [start, start + length) of a chromosome, soft-masked repeats (lower case) upper-cased.
    public static func window(_ bases: [UInt8], at start: Int, length: Int) -> [UInt8] {
        bases[start..<(start + length)].map(upper)
    }

    static func upper(_ b: UInt8) -> UInt8 { b >= 97 && b <= 122 ? b - 32 : b }
}
