import Structures
import FileIO

/// Precision of the top-ranked pairs against true contacts, for pairs whose truth is known
/// (both columns mapped onto residues with coordinates). Unknown pairs are skipped, not counted
/// as non-contacts. Rows: the cumulative ranges |i − j| ≥ 6, ≥ 12, ≥ 24, then the community's
/// separation bins (CASP, CAMEO): short 6–11, medium 12–23, long ≥ 24; columns: the top L/k pairs
/// of each range for k = 1, 2, 5, 10.
public struct ContactEvaluation: Sendable {
    /// A range of sequence separations |i − j| ∈ [minimum, maximum] (maximum nil = unbounded).
    public struct SeparationRange: Sendable, Equatable {
        public var name: String
        public var minimum: Int
        public var maximum: Int?
        public init(_ name: String, _ minimum: Int, _ maximum: Int? = nil) { self.name = name; self.minimum = minimum; self.maximum = maximum }
        public func contains(_ separation: Int) -> Bool { separation >= minimum && (maximum.map { separation <= $0 } ?? true) }

        /// ≥ 6, ≥ 12, ≥ 24.
        public static let cumulative = [SeparationRange("≥6", 6), SeparationRange("≥12", 12), SeparationRange("≥24", 24)]
        /// short 6–11, medium 12–23, long ≥ 24.
        public static let bins = [SeparationRange("short", 6, 11), SeparationRange("medium", 12, 23), SeparationRange("long", 24)]
    }

    public struct Row: Sendable {
        public var range: SeparationRange
        /// (label, count, precision) for the top L/k pairs, k in `ContactEvaluation.fractions`;
        /// precision nil where the range holds no pair of known truth (L < 24 has no long pair).
        public var precisions: [(label: String, count: Int, precision: Double?)]
        /// True contacts among the known pairs of the range.
        public var trueContacts: Int
        public var minimumSeparation: Int { range.minimum }
    }

    /// The k of "top L/k".
    public static let fractions = [1, 2, 5, 10]

    public var rows: [Row]
    public var length: Int

    public init(prediction: ContactMap, truth: ContactTruth,
                ranges: [SeparationRange] = SeparationRange.cumulative + SeparationRange.bins) {
        precondition(prediction.length == truth.length, "prediction L = \(prediction.length) but truth L = \(truth.length)")
        let l = prediction.length
        length = l
        let ranked = prediction.rankedPairs(minimumSeparation: ranges.map(\.minimum).min() ?? 1)
            .compactMap { p in truth.isContact(p.i, p.j).map { (p, $0) } }
        rows = ranges.map { range in
            let known = ranked.filter { range.contains($0.0.j - $0.0.i) }
            let contacts = known.filter(\.1).count
            let precisions = Self.fractions.map { k -> (String, Int, Double?) in
                let n = Swift.max(l / k, 1)
                let top = known.prefix(n)
                return (k == 1 ? "L" : "L/\(k)", n, top.isEmpty ? nil : Double(top.filter(\.1).count) / Double(top.count))
            }
            return Row(range: range, precisions: precisions, trueContacts: contacts)
        }
    }

    /// The mean over families (the community's "mean precision over a family set"): each row's
    /// precision at every L/k averaged over `evaluations` (unweighted, one vote per family, among the
    /// families where it is defined), true contacts summed, L the mean length rounded. The
    /// evaluations must share their ranges.
    public static func mean(_ evaluations: [ContactEvaluation]) -> ContactEvaluation? {
        guard let first = evaluations.first else { return nil }
        precondition(evaluations.allSatisfy { $0.rows.map(\.range) == first.rows.map(\.range) }, "evaluations over different ranges")
        let n = Double(evaluations.count)
        let rows = first.rows.indices.map { r in
            Row(range: first.rows[r].range,
                precisions: first.rows[r].precisions.indices.map { k in
                    let defined = evaluations.compactMap { $0.rows[r].precisions[k].precision }
                    return (first.rows[r].precisions[k].label, evaluations.reduce(0) { $0 + $1.rows[r].precisions[k].count },
                            defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count))
                },
                trueContacts: evaluations.reduce(0) { $0 + $1.rows[r].trueContacts })
        }
        return ContactEvaluation(rows: rows, length: Int((Double(evaluations.reduce(0) { $0 + $1.length }) / n).rounded()))
    }

    init(rows: [Row], length: Int) { self.rows = rows; self.length = length }

    /// Precision at top L for |i − j| ≥ 6, the headline number (nil when no such pair has a known truth).
    public var precisionAtL: Double? { rows.first { $0.range == SeparationRange.cumulative[0] }?.precisions[0].precision }
}

extension ContactTruth {
    /// A contact-truth file: one true contact per line as two 1-based column numbers ("3 17" or
    /// "3,17"); `#` lines are comments. Every pair not listed is a known non-contact.
    public static func read(pairsFile path: String, length l: Int) throws -> ContactTruth {
        let reader = try CompressedReader(path: path)
        var pairs: [(Int, Int)] = []
        while let line = try reader.readLine() {
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let f = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
            guard f.count >= 2, let i = Int(f[0]), let j = Int(f[1]) else {
                throw FileIOError(path: path, line: reader.lineNumber, "expected two column numbers, found '\(line)'")
            }
            guard i >= 1, j >= 1, i <= l, j <= l, i != j else {
                throw FileIOError(path: path, line: reader.lineNumber, "pair (\(i), \(j)) is outside columns 1…\(l)")
            }
            pairs.append((i - 1, j - 1))
        }
        return ContactTruth(truePairs: pairs, length: l)
    }

    /// A truth over `length` columns in which `truePairs` (0-based columns) are the contacts and
    /// every other pair is a known non-contact.
    public init(truePairs: [(Int, Int)], length l: Int) {
        var d = [[Double?]](repeating: [Double?](repeating: 99, count: l), count: l)
        for (i, j) in truePairs { d[i][j] = 0; d[j][i] = 0 }
        self.init(distances: d, threshold: 8)
    }
}

/// A family list for `eval contacts --families`: one family per line, `MODEL STRUCTURE [CHAIN]`
/// separated by spaces, tabs or commas, or `MODEL` alone for a model that carries its alignment's
/// consensus base pairs (an RNA family's `#=GC SS_cons`); `#` lines and blank lines are skipped.
/// Relative paths are relative to the list file's folder.
public struct ContactFamilyList: Sendable {
    public struct Entry: Sendable, Equatable {
        /// structure nil: the model's own base pairs are the truth.
        public var model: String, structure: String?, chain: String?
        public var line: Int
    }
    public var entries: [Entry]

    public static func read(_ path: String) throws -> ContactFamilyList {
        let reader = try CompressedReader(path: path)
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        func resolve(_ p: Substring) -> String { p.hasPrefix("/") ? String(p) : folder + "/" + p }
        var entries: [Entry] = []
        while let line = try reader.readLine() {
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let f = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
            guard f.count <= 3 else {
                throw FileIOError(path: path, line: reader.lineNumber, "expected MODEL STRUCTURE [CHAIN] or MODEL, found \(f.count) fields")
            }
            entries.append(Entry(model: resolve(f[0]), structure: f.count > 1 ? resolve(f[1]) : nil, chain: f.count == 3 ? String(f[2]) : nil, line: reader.lineNumber))
        }
        guard !entries.isEmpty else { throw FileIOError(path: path, "no families listed (one 'MODEL STRUCTURE [CHAIN]' per line)") }
        return ContactFamilyList(entries: entries)
    }
}
