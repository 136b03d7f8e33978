import FileIO
#if canImport(Glibc)
import Glibc
#endif

/// A DNA motif: a position frequency matrix over A, C, G, T (one row per motif position).
/// `matrix` holds counts (JASPAR, filters, seqlets) or probabilities (MEME: `probabilityRows`);
/// `probabilities` normalises rows.
public struct Motif: Sendable, Equatable {
    public static let letters: [Character] = ["A", "C", "G", "T"]

    public var id: String
    public var name: String
    /// matrix[position][base], bases in A, C, G, T order.
    public var matrix: [[Double]]
    /// Number of sites behind the matrix when known (MEME `nsites=`; JASPAR column sums).
    public var sites: Double?
    /// Whether `matrix` rows are probabilities (as MEME files hold them) rather than counts.
    public var probabilityRows: Bool
    /// The background frequencies of A, C, G, T its file states (MEME's "Background letter
    /// frequencies"); nil when it states none (JASPAR), which scans read as uniform.
    public var background: [Double]?
    /// False when its file describes the given strand only (MEME's `strands: +`): FIMO then scans
    /// no reverse complement.
    public var bothStrands = true
    /// The E-value its discovery reported (MEME's `E=`), when the file gives one.
    public var eValue: Double?

    public static let uniformBackground = [0.25, 0.25, 0.25, 0.25]

    public init(id: String, name: String, matrix: [[Double]], sites: Double? = nil, probabilityRows: Bool = false) {
        self.id = id; self.name = name; self.matrix = matrix; self.sites = sites; self.probabilityRows = probabilityRows
    }

    /// The same motif with another matrix (clipped, reverse-complemented), its file's facts kept.
    func with(matrix: [[Double]]) -> Motif {
        var m = self
        m.matrix = matrix
        return m
    }

    /// The counts behind the matrix: as held, or for probability rows each probability times the
    /// sites (MEME's nsites=, else `defaultSites`), rounded — as JASPAR writes counts.
    public var counts: [[Double]] {
        probabilityRows ? matrix.map { $0.map { ($0 * (sites ?? Motif.defaultSites)).rounded() } } : matrix
    }

    public var width: Int { matrix.count }

    /// The sites written for a motif whose count is unknown (MEME's nsites=, JASPAR counts from
    /// probabilities).
    public static let defaultSites = 20.0

    /// Rows normalised to sum to 1, after adding `pseudocount` to every entry.
    public func probabilities(pseudocount: Double = 0) -> [[Double]] {
        matrix.map { row in
            let shifted = row.map { $0 + pseudocount }
            let total = shifted.reduce(0, +)
            return total > 0 ? shifted.map { $0 / total } : [Double](repeating: 0.25, count: row.count)
        }
    }

    /// The most probable base at each position (IUPAC-free consensus, ties to the first of A, C, G, T).
    public var consensus: String {
        String(matrix.map { row in Motif.letters[row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) } ?? 0] })
    }

    /// Information content of each position in bits: 2 + Σ_b p_b log₂ p_b.
    public var information: [Double] {
        probabilities().map { row in 2 + row.reduce(0) { $0 + ($1 > 0 ? $1 * log2($1) : 0) } }
    }

    /// The motif clipped about its informative core: from the first to the last position with more
    /// than `minimumInformation` bits, widened by `pad` positions each side (within the motif);
    /// unchanged when no position is that informative. Koo & Ploenzke (2021) clip first-layer
    /// filters this way (0.5 bits, pad 3) before Tomtom "to reduce false-positive matches".
    public func clipped(minimumInformation: Double = 0.5, pad: Int = 3) -> Motif {
        let informative = information.indices.filter { information[$0] > minimumInformation }
        guard let first = informative.first, let last = informative.last else { return self }
        let range = Swift.max(0, first - pad)...Swift.min(width - 1, last + pad)
        return with(matrix: Array(matrix[range]))
    }

    /// The motif read on the other strand: positions reversed, A↔T and C↔G.
    public var reverseComplement: Motif {
        var m = with(matrix: matrix.reversed().map { [$0[3], $0[2], $0[1], $0[0]] })
        m.background = background.map { [$0[3], $0[2], $0[1], $0[0]] }
        return m
    }
}

extension Array where Element == Motif {
    /// The motifs named, by ID or name (a name in any case when none matches exactly), in `names`
    /// (comma-separated), in file order; an error naming
    /// `path` for the first name that matches none. A motif whose ID or name is the whole of `names`
    /// is that motif (HOMER's names hold commas: `Oct4(POU,Homeobox)/mES-Oct4-ChIP-Seq/Homer`).
    public func selecting(_ names: String, path: String) throws -> [Motif] {
        let whole = names.trimmingWhitespace()
        let exact = filter { $0.id == whole || $0.name == whole }
        if !exact.isEmpty { return exact }
        let wanted = names.split(separator: ",").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty }
        guard !wanted.isEmpty else { throw FileIOError(path: path, "no motif named (an empty --motif)") }
        var picked = Set<Int>()
        for name in wanted {
            var hits = indices.filter { self[$0].id == name || self[$0].name == name }
            // A name no motif has exactly may differ in case (GABPA for JASPAR's Gabpa), as `cnn gia` reads names.
            if hits.isEmpty { hits = indices.filter { self[$0].name.lowercased() == name.lowercased() } }
            guard !hits.isEmpty else { throw FileIOError(path: path, "no motif with ID or name '\(name)' (\(count) motifs)") }
            picked.formUnion(hits)
        }
        return indices.filter(picked.contains).map { self[$0] }
    }

    /// The first motif whose ID is `name` or whose name is `name` in any case: for commands that
    /// take motifs one at a time in the order given (`cnn gia`'s pairs, `cnn interactions`).
    public func motif(named name: String, path: String) throws -> Motif {
        guard let found = first(where: { $0.id == name || $0.name.lowercased() == name.lowercased() }) else {
            throw FileIOError(path: path, "no motif named '\(name)'")
        }
        return found
    }
}

/// Reads and writes motif files, choosing the format from the content: MEME text format (a line
/// `MEME version …`, or `MOTIF` entries without it), the MEME suite's XML (`meme.xml`, `streme.xml`,
/// `dreme.xml`; read only), TRANSFAC (`P0` lines and numbered rows), HOMER
/// (`>CONSENSUS<tab>NAME<tab>THRESHOLD` headers, one row of four probabilities per position; read
/// only), Cluster-Buster (`>ID` headers, one row of four numbers per position; read only) or JASPAR
/// (`>ID NAME` headers and `A [ … ]` count rows, or a raw PFM's four rows).
public enum MotifFile {
    public static func read(_ path: String) throws -> [Motif] {
        let text = try CompressedReader.readText(path, what: "motif file")
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> [Motif] {
        let isMEME = text.split(separator: "\n", maxSplits: 50, omittingEmptySubsequences: true)
            .prefix(50).contains { let l = $0.trimmingWhitespace(); return l.hasPrefix("MEME version") || l.hasPrefix("MOTIF ") || l.hasPrefix("MOTIF\t") }
        if isMEME { return try MEMEFormat.parse(text, path: path) }
        if TRANSFACFormat.sniff(text) { return try TRANSFACFormat.parse(text, path: path) }
        if MEMEXMLFormat.sniff(text) { return try MEMEXMLFormat.parse(text, path: path) }
        if text.prefix(200).trimmingWhitespace().hasPrefix("<") {
            throw FileIOError(path: path, "an XML or HTML file that is not MEME, STREME or DREME output: motif files are read in MEME's text or XML format, JASPAR, TRANSFAC, HOMER or Cluster-Buster")
        }
        if HOMERFormat.sniff(text) { return try HOMERFormat.parse(text, path: path) }
        return ClusterBusterFormat.sniff(text) ? try ClusterBusterFormat.parse(text, path: path) : try JASPARFormat.parse(text, path: path)
    }

    /// The text of a motif file at `path`: JASPAR counts for `.jaspar` (rows `A [ … ]`) and `.pfm`
    /// (JASPAR's raw PFM: four unlabelled rows), TRANSFAC records for `.transfac`, else MEME.
    public static func render(_ motifs: [Motif], for path: String) -> String {
        let lower = path.lowercased()
        if lower.hasSuffix(".transfac") { return TRANSFACFormat.render(motifs) }
        if lower.hasSuffix(".pfm") { return JASPARFormat.render(motifs, labelled: false) }
        return lower.hasSuffix(".jaspar") ? JASPARFormat.render(motifs) : MEMEFormat.render(motifs)
    }
}


/// Shortest exact decimal text for a matrix entry ("12", "0.25").
func number(_ v: Double) -> String {
    if v == v.rounded() && Swift.abs(v) < 1e15 { return String(Int(v)) }
    return String(v)
}
