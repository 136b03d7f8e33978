import Structures
import FileIO

/// Precision of the top-ranked pairs against true contacts, for pairs whose truth is known
/// (both columns mapped onto residues with coordinates). Unknown pairs are skipped, not counted
/// as non-contacts.
public struct ContactEvaluation: Sendable {
    public struct Row: Sendable {
        public var minimumSeparation: Int
        /// (label, k, precision) for the top L, L/2, L/5.
        public var precisions: [(label: String, count: Int, precision: Double)]
        public var trueContacts: Int
    }
    public var rows: [Row]
    public var length: Int

    public init(prediction: ContactMap, truth: ContactTruth, separations: [Int] = [6, 12, 24]) {
        precondition(prediction.length == truth.length, "prediction L = \(prediction.length) but truth L = \(truth.length)")
        let l = prediction.length
        length = l
        rows = separations.map { sep in
            let known = prediction.rankedPairs(minimumSeparation: sep).compactMap { p in truth.isContact(p.i, p.j).map { (p, $0) } }
            let contacts = known.filter(\.1).count
            let precisions = [("L", l), ("L/2", l / 2), ("L/5", l / 5)].map { (label, k) -> (String, Int, Double) in
                let top = known.prefix(Swift.max(k, 1))
                return (label, Swift.max(k, 1), top.isEmpty ? 0 : Double(top.filter(\.1).count) / Double(top.count))
            }
            return Row(minimumSeparation: sep, precisions: precisions, trueContacts: contacts)
        }
    }

    /// Precision at top L for |i − j| ≥ 6, the headline number.
    public var precisionAtL: Double { rows.first { $0.minimumSeparation == 6 }?.precisions[0].precision ?? 0 }
}

extension ContactTruth {
    /// A contact-truth file: one true contact per line as two 1-based column numbers ("3 17" or
    /// "3,17"); `#` lines are comments. Every pair not listed is a known non-contact.
    public static func read(pairsFile path: String, length l: Int) throws -> ContactTruth {
        let reader = try CompressedReader(path: path)
        var d = [[Double?]](repeating: [Double?](repeating: 99, count: l), count: l)
        while let line = try reader.readLine() {
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let f = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
            guard f.count >= 2, let i = Int(f[0]), let j = Int(f[1]) else {
                throw FileIOError(path: path, line: reader.lineNumber, "expected two column numbers, found '\(line)'")
            }
            guard i >= 1, j >= 1, i <= l, j <= l, i != j else {
                throw FileIOError(path: path, line: reader.lineNumber, "pair (\(i), \(j)) is outside columns 1…\(l)")
            }
            d[i - 1][j - 1] = 0; d[j - 1][i - 1] = 0
        }
        return ContactTruth(distances: d, threshold: 8)
    }
}
