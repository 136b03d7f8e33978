/// A FASTA id that names the genomic region its sequence was cut from, UCSC style —
/// `chr1:1001-1100`, optionally followed by a strand `(+)` / `(-)` and a `_tag`, as `bedtools
/// getfasta` (`-s`, `-name`) and FIMO's `--parse-genomic-coord` write and read them.
///
/// The two conventions differ by one: UCSC positions are 1-based and closed (`chr1:1001-1100` holds
/// 100 bases, the first at 1001), BED's are 0-based and half-open (`bedtools getfasta` names the same
/// 100 bases `chr1:1000-1100`). FIMO takes every start as 1-based; here the sequence's length says
/// which was meant: end − start + 1 bases is UCSC, end − start is BED, anything else is taken as
/// UCSC (FIMO's reading) and flagged.
public struct GenomicRegionName: Sendable, Equatable {
    public let chromosome: String
    /// The numbers as written.
    public let start: Int, end: Int

    /// nil when the id holds no `NAME:START-END` (the first `:` after which one follows).
    public init?(_ id: String) {
        let text = Array(id.utf8)
        for colon in text.indices where text[colon] == UInt8(ascii: ":") && colon > 0 {
            var i = colon + 1
            func number() -> Int? {
                let from = i
                while i < text.count, text[i] >= 48, text[i] <= 57, i - from < 18 { i += 1 }
                return i > from ? Int(String(decoding: text[from..<i], as: UTF8.self)) : nil
            }
            guard let start = number(), i < text.count, text[i] == UInt8(ascii: "-") else { continue }
            i += 1
            guard let end = number(), end >= start else { continue }
            var rest = Substring(String(decoding: text[i...], as: UTF8.self))
            if rest.hasPrefix("(+)") || rest.hasPrefix("(-)") { rest = rest.dropFirst(3) }
            guard rest.isEmpty || rest.hasPrefix("_") else { continue }
            chromosome = String(decoding: text[..<colon], as: UTF8.self)
            self.start = start; self.end = end
            return
        }
        return nil
    }

    /// How the numbers read for a sequence of `length` bases.
    public enum Convention: Sendable, Equatable { case ucsc, bed, unclear }

    public func convention(length: Int) -> Convention {
        end - start + 1 == length ? .ucsc : end - start == length ? .bed : .unclear
    }

    /// The 1-based chromosome position of the sequence's first base: `start` (UCSC, or unclear as
    /// FIMO reads it) or `start + 1` (BED).
    public func firstBase(length: Int) -> Int { convention(length: length) == .bed ? start + 1 : start }
}
