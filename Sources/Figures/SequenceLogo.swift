#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A sequence logo, wrapped into balanced rows of at most about `columnsPerRow` positions (`rowLength`).
/// - `.information`: each column is a probability vector p over K letters; the stack is
///   IC = log₂K − H(p) bits tall and letter a takes p_a·IC of it, largest on top (PSSMs, motifs,
///   CNN filters turned into PWMs).
/// - `.signed`: each value is a letter's height; positive letters stack up from the zero line,
///   negative ones down (attribution maps), on a scale set by the tallest stack.
public struct SequenceLogo: Sendable {
    public enum Mode: Sendable { case information, signed }

    /// values[position][letter].
    public var values: [[Double]]
    public var letters: [Character]
    public var mode: Mode
    public var positionNumbers: [Int]
    public var title: String
    public var colors: [Canvas.Color]
    public var columnsPerRow = 60

    public init(values: [[Double]], letters: [Character], mode: Mode, positionNumbers: [Int]? = nil, title: String) {
        precondition(values.allSatisfy { $0.count == letters.count }, "every logo column needs one value per letter")
        self.values = values; self.letters = letters; self.mode = mode; self.title = title
        self.positionNumbers = positionNumbers ?? Array(1...Swift.max(values.count, 1))
        self.colors = SequenceLogo.colors(for: letters)
    }

    /// DNA: A green, C blue, G orange, T/U red. Protein ("chemistry"): polar G S T Y C green,
    /// amides N Q purple, basic K R H blue, acidic D E red, hydrophobic A V L I P W F M black.
    public static func colors(for letters: [Character]) -> [Canvas.Color] {
        let dna = Set(letters.map { Character($0.uppercased()) }).isSubset(of: ["A", "C", "G", "T", "U", "N"])
        return letters.map { ch in
            let u = Character(ch.uppercased())
            if dna {
                switch u {
                case "A": return Canvas.Color(16, 150, 72)
                case "C": return Canvas.Color(37, 92, 153)
                case "G": return Canvas.Color(247, 179, 43)
                case "T", "U": return Canvas.Color(214, 40, 57)
                default: return .grey
                }
            }
            switch u {
            case "G", "S", "T", "Y", "C": return Canvas.Color(16, 150, 72)
            case "N", "Q": return Canvas.Color(140, 60, 170)
            case "K", "R", "H": return Canvas.Color(37, 92, 153)
            case "D", "E": return Canvas.Color(214, 40, 57)
            case "A", "V", "L", "I", "P", "W", "F", "M": return .black
            default: return .grey
            }
        }
    }

    /// The columns whose residue number lies in first...last, in the focus sequence's numbering
    /// (`numbers[i]` > 0 a residue; −n a column where the focus has a gap before residue n, kept
    /// when it falls strictly inside the range). Empty when the range misses the numbering.
    public static func columns(numbered numbers: [Int], from first: Int, through last: Int) -> [Int] {
        numbers.indices.filter { i in
            let n = numbers[i]
            return n > 0 ? first <= n && n <= last : first < -n && -n <= last
        }
    }

    /// Positions per wrapped row: rows of at most `columnsPerRow`, balanced so that no row is a
    /// stray remnant — a last row shorter than a quarter of a row is folded into the others (rows
    /// then hold up to 25% more), and the rest are spread evenly.
    public var rowLength: Int {
        let n = Swift.max(values.count, 1), per = Swift.max(columnsPerRow, 1)
        var rows = (n + per - 1) / per
        if rows > 1, n - (rows - 1) * per < (per + 3) / 4, (n + rows - 2) / (rows - 1) <= per + per / 4 { rows -= 1 }
        return (n + rows - 1) / rows
    }

    /// Information content of a probability column, in bits: log₂K − H(p).
    public static func information(_ p: [Double]) -> Double {
        let total = p.reduce(0, +)
        guard total > 0 else { return 0 }
        var h = 0.0
        for v in p where v > 0 { let q = v / total; h -= q * log2(q) }
        return Swift.max(0, log2(Double(p.count)) - h)
    }

    /// Letter heights of a column in the logo's units (bits, or the signed values themselves).
    public func heights(_ column: [Double]) -> [Double] {
        switch mode {
        case .signed: return column.map { $0.isFinite ? $0 : 0 }
        case .information:
            let total = column.reduce(0, +)
            let ic = SequenceLogo.information(column)
            return column.map { total > 0 ? $0 / total * ic : 0 }
        }
    }

    /// Pixels per position: 28 for short logos, 16 otherwise, or fitted to `width` when set.
    public var columnWidth: Int {
        if let width { return Swift.max(6, (width - margin.left - 30) / Swift.max(rowLength, 1)) }
        return values.count <= 30 ? 28 : 16
    }
    /// Figure width in pixels (nil: from the column width).
    public var width: Int?
    /// Positions inside a known motif (synthetic data's ground truth), drawn as a track under the logo.
    public var motifTrack: [Bool]?
    public let rowHeight = 120
    public var margin: (left: Int, top: Int) { (80, 50) }
    var rowPitch: Int { rowHeight + (motifTrack == nil ? 50 : 66) }

    /// Largest stack height in logo units (one side for `.signed`).
    public var scale: Double {
        switch mode {
        case .information: return log2(Double(Swift.max(letters.count, 2)))
        case .signed:
            let m = values.map { c in Swift.max(c.filter { $0 > 0 }.reduce(0, +), -c.filter { $0 < 0 }.reduce(0, +)) }.max() ?? 0
            return m > 0 ? m : 1
        }
    }

    /// The pixel row of value 0 (the baseline) in wrapped row `r`, and pixels per logo unit.
    public func baseline(row r: Int) -> (y: Int, pixelsPerUnit: Double) {
        let top = margin.top + r * rowPitch
        switch mode {
        case .information: return (top + rowHeight, Double(rowHeight) / scale)
        case .signed: return (top + rowHeight / 2, Double(rowHeight / 2) / scale)
        }
    }

    /// Left edge of position `p`'s column and its wrapped row.
    public func column(_ p: Int) -> (x: Int, row: Int) { (margin.left + (p % rowLength) * columnWidth, p / rowLength) }

    /// Which positions get a number under the axis: multiples of 10 (5 for wide columns) and each
    /// row's first position, skipping any label that would overlap the one before it (gap columns,
    /// numbered negative, get none).
    public func labelledPositions(row r: Int) -> [Int] {
        let per = rowLength
        let first = r * per, last = Swift.min(values.count, first + per)
        var out: [Int] = [], lastRight = Int.min
        for p in first..<last {
            let n = positionNumbers[p]
            guard n > 0, n % (columnWidth >= 28 ? 5 : 10) == 0 || p == first else { continue }
            let w = Canvas.textWidth(String(n), scale: 1)
            let left = column(p).x + columnWidth / 2 - w / 2
            if left <= lastRight + 4 {
                guard out.last == first else { continue }
                out.removeLast()            // keep the round number rather than the row's first position
            }
            out.append(p); lastRight = left + w
        }
        return out
    }

    public func render() -> Canvas {
        let per = rowLength
        let rows = Swift.max(1, (values.count + per - 1) / per)
        let shown = Swift.min(values.count, per)
        var canvas = Canvas(width: width ?? Swift.max(margin.left + shown * columnWidth + 30, Swift.min(Canvas.textWidth(title) + margin.left + 30, Canvas.titleWidthLimit), 400),
                            height: margin.top + rows * rowPitch)
        canvas.text(Canvas.fitting(title, width: canvas.width - margin.left - 8), x: margin.left, y: 16, scale: 2)
        for r in 0..<rows {
            let (y0, ppu) = baseline(row: r)
            let first = r * per, last = Swift.min(values.count, first + per)
            let labelled = Set(labelledPositions(row: r))
            let x0 = margin.left, x1 = margin.left + (last - first) * columnWidth
            // Axis: ticks in bits (information) or at −scale, 0, +scale (signed).
            let top = margin.top + r * rowPitch
            canvas.line(x0: x0 - 4, y0: top, x1: x0 - 4, y1: top + rowHeight, .black)
            let ticks: [Double] = mode == .information ? Array(stride(from: 0.0, through: scale + 1e-9, by: 1)) : [-scale, 0, scale]
            let tickLabels = Colormap.tickLabels(ticks)
            for t in ticks {
                let y = y0 - Int((t * ppu).rounded())
                canvas.line(x0: x0 - 8, y0: y, x1: x0 - 4, y1: y, .black)
                let label = tickLabels[ticks.firstIndex(of: t)!]
                canvas.text(label, x: x0 - 12 - Canvas.textWidth(label, scale: 1), y: y - Canvas.textHeight(scale: 1) / 2, scale: 1)
            }
            let axis = mode == .information ? "bits" : "attribution"
            let widest = tickLabels.map { Canvas.textWidth($0, scale: 1) }.max() ?? 0
            canvas.text(axis, x: Swift.max(2, x0 - 12 - widest - 10 - Canvas.textHeight(scale: 1)), y: top + rowHeight / 2 + Canvas.textWidth(axis, scale: 1) / 2, scale: 1, vertical: true)
            if let motifTrack {
                // Ground-truth motif positions: a bar under the position numbers.
                let ty = top + rowHeight + 26
                canvas.text("motif", x: x0 - 12 - Canvas.textWidth("motif", scale: 1), y: ty - 2, scale: 1, .grey)
                canvas.fill(x: x0, y: ty + 3, width: x1 - x0, height: 1, .lightGrey)
                for p in first..<last where p < motifTrack.count && motifTrack[p] {
                    canvas.fill(x: column(p).x, y: ty, width: columnWidth, height: 8, .orange)
                }
            }
            if mode == .signed { canvas.line(x0: x0, y0: y0, x1: x1, y1: y0, .grey) }
            for p in first..<last {
                let (cx, _) = column(p)
                let h = heights(values[p])
                var order = Array(0..<letters.count).filter { h[$0] > 0 }.sorted { h[$0] < h[$1] }
                var acc = 0.0
                for a in order {       // positives: smallest at the bottom, largest on top
                    let lo = y0 - Int((acc * ppu).rounded()); acc += h[a]
                    let hi = y0 - Int((acc * ppu).rounded())
                    canvas.glyph(letters[a], x: cx + 1, y: hi, width: columnWidth - 2, height: lo - hi, colors[a])
                }
                order = Array(0..<letters.count).filter { h[$0] < 0 }.sorted { h[$0] > h[$1] }
                acc = 0
                for a in order {       // negatives: smallest magnitude next to the zero line
                    let lo = y0 + Int((acc * ppu).rounded()); acc -= h[a]
                    let hi = y0 + Int((acc * ppu).rounded())
                    canvas.glyph(letters[a], x: cx + 1, y: lo, width: columnWidth - 2, height: hi - lo, colors[a])
                }
                if labelled.contains(p) {
                    let label = String(positionNumbers[p])
                    let ly = mode == .information ? y0 + 6 : top + rowHeight + 6
                    canvas.text(label, x: cx + columnWidth / 2 - Canvas.textWidth(label, scale: 1) / 2, y: ly, scale: 1)
                }
            }
        }
        return canvas
    }
}
