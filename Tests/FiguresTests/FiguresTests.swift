import Testing
import TestSupport
import Figures
#if canImport(Glibc)
import Glibc
#endif

func shell(_ command: String) -> (Int32, String) {
    guard let p = popen(command + " 2>&1", "r") else { return (-1, "") }
    var out = ""
    var buf = [CChar](repeating: 0, count: 4096)
    while fgets(&buf, 4096, p) != nil { out += String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    return (pclose(p) >> 8, out)
}

/// Whether a tool a test needs works (`check` exits 0): tests skip with a message locally when it
/// does not, but on CI (`CI=true`, where scripts/setup.sh installs python3 and file) they fail.
func requireTool(_ check: String, _ name: String) -> Bool {
    if shell(check).0 == 0 { return true }
    let ci = getenv("CI").map { String(cString: $0) } ?? ""
    #expect(ci != "true" && ci != "1", "\(name) is required on CI (scripts/setup.sh installs it)")
    print("skipping: \(name) is not available")
    return false
}

@Suite struct FiguresTests {
    @Test func pngHasValidStructureAndPixelsRoundTripThroughZlib() throws {
        var canvas = Canvas(width: 7, height: 5)
        canvas.fill(x: 2, y: 1, width: 3, height: 2, .red)
        let png = try canvas.pngData()
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let path = temporaryDirectory() + "/fig.png"
        try canvas.write(to: path)
        guard requireTool("python3 -c 'import zlib'", "python3") else { return }
        // Decode with Python's zlib: check every chunk CRC, the filter bytes and the pixels.
        let script = """
        import struct, zlib
        d = open('\(path)', 'rb').read(); p = 8; idat = b''
        while p < len(d):
            n, = struct.unpack('>I', d[p:p+4]); t = d[p+4:p+8]; body = d[p+8:p+8+n]
            crc, = struct.unpack('>I', d[p+8+n:p+12+n]); assert crc == zlib.crc32(t + body), t
            if t == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10]); assert (w, h, depth, ctype) == (7, 5, 8, 2)
            if t == b'IDAT': idat += body
            p += 12 + n
        raw = zlib.decompress(idat); stride = 1 + 7 * 3
        assert all(raw[r * stride] == 0 for r in range(5))
        px = lambda x, y: tuple(raw[y * stride + 1 + 3 * x: y * stride + 4 + 3 * x])
        assert px(2, 1) == (214, 50, 40) and px(4, 2) == (214, 50, 40) and px(5, 2) == (255, 255, 255) and px(2, 3) == (255, 255, 255)
        print('ok')
        """
        let (status, out) = shell("python3 -c \"\(script)\"")
        #expect(status == 0 && out.contains("ok"), "\(out)")
    }

    @Test func contactMapColoursTheRightCells() {
        // L = 10: predicted (0, 7) true, (1, 9) false; truth (2, 8) below the diagonal.
        let truth: @Sendable (Int, Int) -> Bool? = { i, j in (i, j) == (0, 7) || (i, j) == (2, 8) }
        let plot = ContactMapPlot(length: 10, predicted: [.init(0, 7), .init(1, 9)], truth: truth, title: "T")
        let canvas = plot.render()
        let c = plot.cell, (left, top) = plot.margin
        func centre(_ col: Int, _ row: Int) -> Canvas.Color { canvas.color(x: left + col * c + c / 2, y: top + row * c + c / 2) }
        #expect(centre(7, 0) == .blue)          // predicted (0, 7): above the diagonal at column j, row i
        #expect(centre(9, 1) == .red)
        #expect(centre(2, 8) == .grey)          // true contact (2, 8): below the diagonal at column i, row j
        #expect(centre(0, 7) == .grey)
        #expect(centre(5, 3) != .blue && centre(5, 3) != .red)
    }

    @Test func contactMapWithoutTruthDrawsItsLegendInThePredictedColour() {
        let plot = ContactMapPlot(length: 10, predicted: [.init(0, 7)], truth: nil, title: "T")
        let canvas = plot.render()
        let c = plot.cell, (left, top) = plot.margin
        #expect(canvas.color(x: left + 7 * c + c / 2, y: top + c / 2) == ContactMapPlot.unscored)
        // The legend's swatch: 12 × 12 at the map's left edge, 60 px below the map.
        #expect(canvas.color(x: left + 6, y: top + 10 * c + 66) == ContactMapPlot.unscored)
    }

    @Test func textUsesTheBitmapFont() {
        var canvas = Canvas(width: 40, height: 20)
        canvas.typeface = nil
        let w = canvas.text("A1", x: 0, y: 0, scale: 1)
        #expect(w == 12)
        #expect(canvas.color(x: 0, y: 1) == .black)     // 'A' row 1: 10001
        #expect(canvas.color(x: 2, y: 0) == .black)     // 'A' row 0: 01110
        #expect(canvas.color(x: 0, y: 0) == .white)
    }

    @Test func verticalTextIsRotatedCounterClockwise() {
        var canvas = Canvas(width: 20, height: 20)
        canvas.typeface = nil
        // 'L' (rows 10000 ×6, 11111): its left column becomes the bottom row, its foot the right column.
        let length = canvas.text("L", x: 0, y: 19, scale: 1, vertical: true)
        #expect(length == 6)
        for r in 0..<7 { #expect(canvas.color(x: r, y: 18) == .black) }        // column 0 of every row is set
        #expect(canvas.color(x: 6, y: 14) == .black)                             // row 6 (the foot), column 4
        #expect(canvas.color(x: 3, y: 14) == .white)
    }

    /// Ink pixels (not white) of `text` drawn on a fresh canvas, with or without the typeface.
    func ink(_ text: String, typeface: Typeface?, vertical: Bool = false) -> [Int] {
        var canvas = Canvas(width: 160, height: 160)
        canvas.typeface = typeface
        canvas.text(text, x: 10, y: vertical ? 150 : 10, scale: 2, vertical: vertical)
        return (0..<(160 * 160)).filter { canvas.color(x: $0 % 160, y: $0 / 160) != .white }
    }

    @Test func freeTypeDrawsTheTextAsGivenWithAntialiasing() throws {
        let ci = getenv("CI").map { String(cString: $0) } ?? ""
        guard let face = Typeface.standard else {
            #expect(ci != "true" && ci != "1", "no TrueType font on CI: install fonts-dejavu-core (scripts/setup.sh)")
            print("skipping: no DejaVu Sans font (fonts-dejavu-core); set SEQGEN_FONT"); return
        }
        let lower = ink("seq2635", typeface: face), upper = ink("SEQ2635", typeface: face)
        #expect(lower.count > 100 && upper.count > 100)
        #expect(lower != upper)                                                 // case is kept
        #expect(ink("|i−j| ≥ 6", typeface: face) != ink("|I-J| ≥ 6", typeface: face))
        var canvas = Canvas(width: 120, height: 40)
        let w = canvas.text("seq2635", x: 2, y: 5, scale: 1)
        #expect(w == Canvas.textWidth("seq2635", scale: 1) && w > 30 && w < 80)
        // Anti-aliased: edge pixels take intermediate greys.
        let greys = (0..<(120 * 40)).map { canvas.color(x: $0 % 120, y: $0 / 120) }.filter { $0 != .white && $0 != .black }
        #expect(greys.count > 10)
        // Capitals span y…y + cap height.
        let rows = (0..<40).filter { y in (0..<120).contains { canvas.color(x: $0, y: y) != .white } }
        #expect(rows.first! >= 4 && rows.first! <= 6)
        #expect(canvas.svgText().contains(">seq2635</text>") && canvas.svgText().contains("font-family=\"DejaVu Sans"))
        // Vertical text is the horizontal text turned a quarter: as many ink pixels, taller than wide.
        let v = ink("seq2635", typeface: face, vertical: true)
        #expect(Swift.abs(v.count - lower.count) < lower.count / 10)
        let xs = v.map { $0 % 160 }, ys = v.map { $0 / 160 }
        #expect(ys.max()! - ys.min()! > 2 * (xs.max()! - xs.min()!))
        // Logo letters fill their box.
        var logo = Canvas(width: 40, height: 80)
        logo.glyph("A", x: 5, y: 5, width: 30, height: 70, .red)
        let painted = (0..<(40 * 80)).filter { logo.color(x: $0 % 40, y: $0 / 40) != .white }
        #expect(painted.map { $0 / 40 }.min()! <= 6 && painted.map { $0 / 40 }.max()! >= 73)
        #expect(painted.map { $0 % 40 }.min()! <= 6 && painted.map { $0 % 40 }.max()! >= 33)
    }

    @Test func withoutAFontTheBitmapFallbackKeepsCaseAndSymbols() {
        #expect(Typeface(path: "/nonexistent/DejaVuSans.ttf") == nil)
        #expect(Typeface(path: "/etc/hostname") == nil)                         // not a font
        let lower = ink("seq2635", typeface: nil), upper = ink("SEQ2635", typeface: nil)
        #expect(!lower.isEmpty && lower != upper)
        #expect(ink("|i−j|", typeface: nil) == ink("|i-j|", typeface: nil))     // the minus sign draws as a hyphen, not a box
        #expect(ink("ρ", typeface: nil) != ink("p", typeface: nil))
    }

    @Test func base64MatchesRFC4648Vectors() {
        let cases = ["": "", "f": "Zg==", "fo": "Zm8=", "foo": "Zm9v", "foob": "Zm9vYg==", "fooba": "Zm9vYmE=", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in cases { #expect(Base64.encode(Array(plain.utf8)) == encoded) }
    }

    @Test func svgIsWellFormedAndCarriesEveryPrimitive() throws {
        var canvas = Canvas(width: 60, height: 40)
        canvas.fill(x: 1, y: 2, width: 3, height: 4, .red)
        canvas.line(x0: 0, y0: 0, x1: 10, y1: 10, .blue)
        canvas.text("A<B", x: 5, y: 5, scale: 1)
        canvas.polyline([(0, 0), (5, 9), (20, 3)], .green, thickness: 2)
        canvas.disc(cx: 30, cy: 20, radius: 3, .black)
        var inset = Canvas(width: 4, height: 3)
        inset.fill(x: 0, y: 0, width: 2, height: 3, .red)
        try canvas.image(inset, x: 40, y: 30)
        #expect(canvas.color(x: 40, y: 30) == .red && canvas.color(x: 42, y: 30) == .white)
        let svg = canvas.svgText()
        for element in ["<rect x=\"1\" y=\"2\" width=\"3\" height=\"4\" fill=\"#d63228\"/>", "<line ", "A&lt;B</text>", "<polyline ", "<circle ", "data:image/png;base64,"] {
            #expect(svg.contains(element), "\(element)")
        }
        let path = temporaryDirectory() + "/fig.svg"
        try canvas.write(to: path)
        guard requireTool("python3 -c 'import xml'", "python3") else { return }
        // The XML parses and the embedded PNG decodes to the inset's pixels.
        let script = """
        import xml.etree.ElementTree as E, base64, zlib, struct
        root = E.parse('\(path)').getroot(); ns = '{http://www.w3.org/2000/svg}'
        img = root.find(ns + 'image'); png = base64.b64decode(img.get('href').split(',')[1])
        assert png[:8] == bytes([137, 80, 78, 71, 13, 10, 26, 10])
        p = 8; idat = b''
        while p < len(png):
            n, = struct.unpack('>I', png[p:p+4]); t = png[p+4:p+8]
            if t == b'IDAT': idat += png[p+8:p+8+n]
            p += 12 + n
        raw = zlib.decompress(idat); assert raw[1:4] == bytes([214, 50, 40]) and raw[7:10] == bytes([255, 255, 255])
        print('ok')
        """
        let (status, out) = shell("python3 -c \"\(script)\"")
        #expect(status == 0 && out.contains("ok"), "\(out)")
    }

    @Test func pngIsRecognisedByFile() throws {
        guard requireTool("command -v file", "file(1)") else { return }
        let path = temporaryDirectory() + "/fig.png"
        try Chart(title: "T", xLabel: "X", yLabel: "Y", series: [.init("S", x: [0, 1], y: [0, 1], style: .line, color: .blue)]).render().write(to: path)
        let (status, out) = shell("file -b \(path)")
        #expect(status == 0 && out.hasPrefix("PNG image data, 720 x 480, 8-bit/color RGB"), "\(out)")
    }

    @Test func colormapsHitTheirAnchors() {
        #expect(Colormap.viridis.color(0) == Canvas.Color(68, 1, 84))
        #expect(Colormap.viridis.color(1) == Canvas.Color(253, 231, 37))
        #expect(Colormap.viridis.color(0.5) == Canvas.Color(38, 130, 142))
        #expect(Colormap.diverging.color(0, low: -2, high: 2) == Canvas.Color(247, 247, 247))
        #expect(Colormap.diverging.color(-5, low: -2, high: 2) == Canvas.Color(33, 102, 172))   // clamped
        #expect(Colormap.diverging.color(.nan, low: -1, high: 1) == Colormap.missing)
        #expect(Colormap.label(0.0477) == "0.0477" && Colormap.label(-1.25) == "−1.25" && Colormap.label(1_600_000) == "1.6e6" && Colormap.label(350000) == "350000" && Colormap.label(20) == "20")
    }

    @Test func chartTicksAreRoundAndPointsLandWhereTheyShould() {
        let unit = Chart.ticks(low: 0, high: 1)
        #expect(unit.count == 6 && unit.first == 0 && Swift.abs(unit.last! - 1) < 1e-12)
        #expect(Chart.ticks(low: -3.7, high: 0.4) == [-3, -2, -1, 0])
        #expect(Chart.ticks(low: 3, high: 97).first == 20 && Chart.ticks(low: 3, high: 97).last == 80)
        let chart = Chart(title: "T", xLabel: "X", yLabel: "Y", series: [
            .init("POINTS", x: [0, 10], y: [0, 10], style: .points, color: .red),
            .init("LINE", x: [0, 10], y: [10, 0], style: .line, color: .blue),
        ])
        let canvas = chart.render()
        let low = chart.position(x: 0, y: 0), high = chart.position(x: 10, y: 10)
        let a = chart.area
        #expect(low.x > a.x && low.y < a.y + a.height && high.x < a.x + a.width && high.y > a.y)
        #expect(low.x < high.x && low.y > high.y)
        let p = canvas.color(x: low.x, y: low.y)
        #expect(p.r > p.b && p != .white)                                         // a blended red point
        let mid = chart.position(x: 5, y: 5)
        #expect(canvas.color(x: mid.x, y: mid.y) == .blue || canvas.color(x: mid.x, y: mid.y + 1) == .blue)   // the line passes the centre
    }

    /// A curve of one point (a fit stopped after its first iteration) is drawn as a dot, not left out.
    @Test func aOnePointCurveIsDrawn() {
        let chart = Chart(title: "T", xLabel: "X", yLabel: "Y", series: [.init("LINE", x: [1], y: [5], style: .line, color: .blue)])
        let p = chart.position(x: 1, y: 5)
        #expect(chart.render().color(x: p.x, y: p.y) == .blue)
    }

    /// A long title ends in "…" within the figure; a short one is kept whole.
    @Test func longTitlesEndInAnEllipsis() {
        let long = String(repeating: "very long focus name ", count: 20)
        let fitted = Canvas.fitting(long, width: 300)
        #expect(fitted.hasSuffix("…") && Canvas.textWidth(fitted) <= 300 && long.hasPrefix(String(fitted.dropLast())))
        #expect(Canvas.fitting("short", width: 300) == "short")
        let plot = ContactMapPlot(length: 10, predicted: [.init(1, 8)], truth: nil, title: long)
        #expect(plot.render().width <= Canvas.titleWidthLimit)
    }

    @Test func chartRangesFollowTheSeriesAndTheAxis() {
        var chart = Chart(title: "T", xLabel: "X", yLabel: "Y", series: [.init("A", x: [0, 10], y: [1, 100], style: .line, color: .red)])
        #expect(chart.xRange == (-0.4, 10.4))
        chart.series.append(.init("B", x: [0, 60], y: [1, 1], style: .line, color: .blue))
        #expect(chart.xRange == (-2.4, 62.4))                                      // kept with the series
        chart.logY = true
        #expect(Swift.abs(chart.yRange.0 + 0.08) < 1e-12 && Swift.abs(chart.yRange.1 - 2.08) < 1e-12)   // log₁₀ 1 … log₁₀ 100, ±4%
        // 20,000 points render in linear time (the ranges were once recomputed for every point).
        let n = 20_000, big = Chart(title: "T", xLabel: "X", yLabel: "Y", series: [
            .init("P", x: (0..<n).map(Double.init), y: (0..<n).map { Double($0 % 97) }, style: .points, color: .red)])
        #expect(big.render().width == big.width)
    }

    @Test func pointLabelsSitBesideTheirPointsInsideTheFrame() {
        func dark(_ c: Canvas, x: ClosedRange<Int>, y: ClosedRange<Int>) -> Int {
            x.reduce(0) { n, u in n + y.filter { v in let p = c.color(x: u, y: v); return Int(p.r) + Int(p.g) + Int(p.b) < 200 }.count }
        }
        let points = [Chart.Series("S", x: [0, 10], y: [0, 10], style: .points, color: .red)]
        var labelled = points
        labelled[0].labels = ["left", "right"]
        let plain = Chart(title: "T", xLabel: "X", yLabel: "Y", series: points)
        let chart = Chart(title: "T", xLabel: "X", yLabel: "Y", series: labelled)
        let (bare, text) = (plain.render(), chart.render())
        let low = chart.position(x: 0, y: 0), high = chart.position(x: 10, y: 10)
        // The low point's label is written to its right; the high one's, at the right edge, to its left.
        #expect(dark(text, x: (low.x + 6)...(low.x + 30), y: (low.y - 6)...(low.y + 6)) > dark(bare, x: (low.x + 6)...(low.x + 30), y: (low.y - 6)...(low.y + 6)))
        #expect(dark(text, x: (high.x - 40)...(high.x - 6), y: (high.y - 6)...(high.y + 6)) > dark(bare, x: (high.x - 40)...(high.x - 6), y: (high.y - 6)...(high.y + 6)))
    }

    /// A note that would hide data in every corner goes under the x-axis title: no ink over the
    /// corners' points, ink on the line below the axis; a note with a clear corner stays in it.
    @Test func aNoteThatWouldHideDataGoesUnderTheAxis() {
        func ink(_ c: Canvas, x: ClosedRange<Int>, y: ClosedRange<Int>) -> Int {
            x.reduce(0) { n, u in n + y.filter { v in let p = c.color(x: u, y: v); return Int(p.r) + Int(p.g) + Int(p.b) < 200 }.count }
        }
        let corners = [Chart.Series("S", x: [0, 10, 0, 10, 5], y: [0, 0, 10, 10, 5], style: .points, color: .red)]
        let long = "front: " + Array(repeating: "candidate", count: 8).joined(separator: ", ")
        let crowded = Chart(title: "T", xLabel: "X", yLabel: "Y", series: corners, note: long)
        let bare = Chart(title: "T", xLabel: "X", yLabel: "Y", series: corners)
        let (with, without) = (crowded.render(), bare.render())
        let below = crowded.notePositionBelowAxis, a = crowded.area
        #expect(below + 10 <= crowded.height && below > a.y + a.height + 40)
        #expect(ink(with, x: 0...(crowded.width - 1), y: below...(below + 9)) > 20 && ink(without, x: 0...(crowded.width - 1), y: below...(below + 9)) == 0)
        // A note as wide as the canvas allows (`cnn select`'s front of four) still goes below, whole.
        let wide = Chart(title: "T", xLabel: "X", yLabel: "Y", series: corners, note: String(repeating: "candidate:setting, ", count: 5))
        #expect(ink(wide.render(), x: 0...(wide.width - 1), y: below...(below + 9)) > 20)
        #expect(ink(with, x: a.x...(a.x + a.width), y: (a.y + 2)...(a.y + 20)) == ink(without, x: a.x...(a.x + a.width), y: (a.y + 2)...(a.y + 20)))
        // Two points in the middle: the top-left corner is clear and keeps the note.
        let middle = [Chart.Series("S", x: [4, 6], y: [4, 6], style: .points, color: .red)]
        let clear = Chart(title: "T", xLabel: "X", yLabel: "Y", series: middle, note: "rho 0.8").render()
        #expect(ink(clear, x: (a.x + 5)...(a.x + 80), y: (a.y + 4)...(a.y + 20)) > 10)
        #expect(ink(clear, x: a.x...(a.x + 200), y: below...(below + 9)) == 0)
    }

    /// Labels of points that crowd together (as `cnn select`'s candidates do) move off each other:
    /// no two label boxes overlap, each stays inside the frame, and a lone label keeps its place
    /// right of its point.
    @Test func crowdedPointLabelsDoNotOverlap() {
        let frame = (x: 100, y: 50, width: 600, height: 400), h = 13
        let anchors = [(x: 400, y: 200, width: 150), (x: 402, y: 203, width: 140), (x: 398, y: 198, width: 160),
                       (x: 690, y: 205, width: 120), (x: 200, y: 400, width: 80)]
        let at = Chart.labelPositions(anchors, height: h, frame: frame)
        for i in at.indices {
            let (a, w) = (at[i], anchors[i].width)
            #expect(a.x >= frame.x && a.x + w <= frame.x + frame.width && a.y >= frame.y && a.y + h <= frame.y + frame.height)
            for j in at.indices where j < i {
                let (b, v) = (at[j], anchors[j].width)
                #expect(!(a.x < b.x + v && b.x < a.x + w && a.y < b.y + h && b.y < a.y + h), "labels \(j) and \(i) overlap")
            }
        }
        #expect(at[0].x == 406 && at[0].y == 200 - h / 2)
        #expect(at[4].x == 206 && at[4].y == 400 - h / 2)
    }

    @Test func scanHeatmapColoursSpanTheDataAndGroupAminoAcids() {
        // 30 positions with effects within ±3.9, one focus-gap column at −12 (no wild type).
        let letters = "ACDEFGHIKLMNPQRSTVWY".map(String.init)
        var values: [[Double]] = []
        for p in 0..<30 {
            var row: [Double] = []
            for a in 0..<20 { row.append(Double((p * 7 + a * 13) % 79) / 10.0 - 3.9) }
            values.append(row)
        }
        var wild: [Int?] = (0..<30).map { $0 % 20 }
        for p in 0..<30 { values[p][wild[p]!] = 0 }
        values.append(Array(repeating: -12.2, count: 20)); wild.append(nil)
        let plot = HeatmapPlot(values: values, rowLabels: letters, columnNumbers: Array(1...31), wildType: wild, title: "scan")
        let mutant = (0..<30).flatMap { p in (0..<20).filter { $0 != p % 20 }.map { Swift.abs(values[p][$0]) } }.sorted()
        #expect(plot.limit <= 3.9 && plot.limit == mutant[Int((Double(mutant.count - 1) * 0.99).rounded(.up))])
        #expect(plot.limit > 3.7)
        #expect(plot.rowLabels.joined() == "DEKRHNQSTCGPAVILMFWY")
        // Rows moved with their values and wild types: position 0's wild type was A (row 0), now row 12.
        #expect(plot.wildType[0] == 12 && plot.values[0][12] == 0 && plot.values[0][0] == values[0][2])
        #expect(plot.groups.map(\.name).filter { !$0.isEmpty } == ["acidic", "basic", "polar", "aliphatic", "aromatic"])
        let canvas = plot.render()
        #expect(canvas.width >= 560)
    }

    @Test func logAxisTicksAreDecadesAndTickLabelsShareOneFormat() {
        var chart = Chart(title: "t", xLabel: "x", yLabel: "y", series: [.init("f", x: [1, 2, 3, 4], y: [5e4, 300, 2, 0.5], style: .line, color: .blue)])
        chart.logY = true
        #expect(chart.yTicks.map(\.value) == [1, 10, 100, 1000, 10000])
        #expect(chart.position(x: 1, y: 5e4).y < chart.position(x: 2, y: 300).y + 1)
        let linear = Chart(title: "t", xLabel: "x", yLabel: "y", series: [.init("f", x: [0, 1], y: [0, 1], style: .line, color: .blue)])
        #expect(linear.yTicks.map(\.value) == Chart.ticks(low: linear.yRange.0, high: linear.yRange.1))
        #expect(Colormap.tickLabels([0, 0.5, 1, 1.5]) == ["0.0", "0.5", "1.0", "1.5"])
        #expect(Colormap.tickLabels([-0.1, 0, 0.1]) == ["−0.1", "0.0", "0.1"])
        #expect(Colormap.tickLabels([0, 20, 40]) == ["0", "20", "40"])
        #expect(Colormap.tickLabels([0.0006, 0.001, 0.0014]) == ["6e−4", "1e−3", "1.4e−3"])
        // Large values half a unit apart keep the decimal that tells them apart.
        #expect(Colormap.tickLabels([248582, 248582.5, 248583]) == ["248582.0", "248582.5", "248583.0"])
        #expect(Chart.pointAlpha(count: 100) == 0.35 && Chart.pointAlpha(count: 50_000) < 0.1)
        #expect(Chart.pointAlpha(count: 5) == 1 && Chart.pointRadius(count: 5) == 3 && Chart.pointRadius(count: 100) == 1)
    }

    @Test func alignedLogoPairsPutTheMatchUnderItsOffset() throws {
        let (a, c, g, u) = ([1.0, 0, 0, 0], [0.0, 1, 0, 0], [0.0, 0, 1, 0], [0.25, 0.25, 0.25, 0.25])
        // "ACG" over "CG" at offset 1 (target column j under query column j + 1): same span, no padding on top.
        let right = AlignedLogoPairs.Pair(top: ("q", [a, c, g]), bottom: ("t", [c, g]), offset: 1).padded
        #expect(right.top == [a, c, g] && right.bottom == [u, c, g])
        // "CG" over "ACG" at offset −1: the query is the one shifted.
        let left = AlignedLogoPairs.Pair(top: ("q", [c, g]), bottom: ("t", [a, c, g]), offset: -1).padded
        #expect(left.top == [u, c, g] && left.bottom == [a, c, g])
        // An overhang on both sides: "AC" over "CGA" at offset 1 spans 4 columns.
        let both = AlignedLogoPairs.Pair(top: ("q", [a, c]), bottom: ("t", [c, g, a]), offset: 1).padded
        #expect(both.top == [a, c, u, u] && both.bottom == [u, c, g, a])
        let canvas = try AlignedLogoPairs(pairs: [.init(top: ("q", [a, c, g]), bottom: ("t", [c, g]), offset: 1)]).render()
        #expect(canvas.height > canvas.width / 4)      // two logos, one above the other
    }

    @Test func logoHeightsFollowInformationContent() {
        #expect(Swift.abs(SequenceLogo.information([1, 0, 0, 0]) - 2) < 1e-12)
        #expect(SequenceLogo.information([0.25, 0.25, 0.25, 0.25]) < 1e-12)
        let logo = SequenceLogo(values: [[1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25], [0, 0, 0.5, 0.5]], letters: ["A", "C", "G", "T"], mode: .information, title: "L")
        let canvas = logo.render()
        let (base, ppu) = logo.baseline(row: 0)
        #expect(ppu == 60)                                                            // 120 px for 2 bits
        let a = logo.column(0), u = logo.column(1), g = logo.column(2)
        let green = SequenceLogo.colors(for: ["A"])[0]
        // Column 0: an 'A' 2 bits tall: its ink reaches from the baseline to 120 px above it.
        let inkRows = (base - 125..<base + 3).filter { y in (a.x..<(a.x + logo.columnWidth)).contains { canvas.color(x: $0, y: y) != .white && canvas.color(x: $0, y: y).g > canvas.color(x: $0, y: y).r } }
        #expect(inkRows.first! <= base - 118 && inkRows.last! >= base - 3 && inkRows.last! < base + 1)
        _ = green
        // Column 1 (uniform): nothing above the baseline.
        for y in (base - 118)..<(base - 2) { #expect(canvas.color(x: u.x + logo.columnWidth / 2, y: y) == .white) }
        // Column 2: 1 bit shared by G and T, so nothing is drawn above base − 60.
        for y in (base - 118)..<(base - 62) { #expect(canvas.color(x: g.x + 3, y: y) == .white) }
    }

    @Test func logoRangesAreInResidueNumbersNotColumns() {
        // A model numbered from 29 (focus header NAME/29-190) with a focus gap before residue 45.
        let numbers = Array(29...44) + [-45] + Array(45...190)
        let chosen = SequenceLogo.columns(numbered: numbers, from: 40, through: 100)
        #expect(chosen.map { numbers[$0] }.filter { $0 > 0 } == Array(40...100))   // not columns 40–100 (residues 68–128)
        #expect(chosen.contains(16))                                                 // the gap column inside the range
        #expect(SequenceLogo.columns(numbered: numbers, from: 45, through: 50).first == 17)   // …but not at its lower edge
        #expect(SequenceLogo.columns(numbered: numbers, from: 300, through: 400).isEmpty)
    }

    @Test func logoRowsHaveNoStrayRemnantAndLabelsNeverOverlap() {
        func logo(_ n: Int, first: Int) -> SequenceLogo {
            SequenceLogo(values: Array(repeating: [0.7, 0.1, 0.1, 0.1], count: n), letters: ["A", "C", "G", "T"], mode: .information,
                         positionNumbers: Array(first..<(first + n)), title: "T")
        }
        #expect(logo(61, first: 40).rowLength == 61)           // 61 positions: one row, not 60 + 1
        #expect(logo(100, first: 1).rowLength == 50)           // two even rows
        #expect(logo(130, first: 1).rowLength == 65)           // 60 + 60 + 10 → 65 + 65
        #expect(logo(200, first: 1).rowLength == 50)
        for (n, first) in [(61, 40), (61, 998), (130, 9995), (35, 1)] {
            let l = logo(n, first: first)
            for r in 0..<((n + l.rowLength - 1) / l.rowLength) {
                let spans = l.labelledPositions(row: r).map { p -> (Int, Int) in
                    let w = Canvas.textWidth(String(l.positionNumbers[p]), scale: 1), c = l.column(p).x + l.columnWidth / 2 - w / 2
                    return (c, c + w)
                }
                #expect(!spans.isEmpty)
                for (a, b) in zip(spans, spans.dropFirst()) { #expect(a.1 < b.0, "labels overlap in a logo of \(n) from \(first)") }
            }
        }
        #expect(logo(61, first: 40).labelledPositions(row: 0).map { 40 + $0 } == [40, 50, 60, 70, 80, 90, 100])
        #expect(logo(61, first: 39).labelledPositions(row: 0).map { 39 + $0 } == [40, 50, 60, 70, 80, 90])   // 39 would touch 40
    }

    @Test func signedLogoDrawsNegativeLettersBelowTheZeroLine() {
        let logo = SequenceLogo(values: [[2, 0, 0, -1]], letters: ["A", "C", "G", "T"], mode: .signed, title: "S")
        let canvas = logo.render()
        let (zero, ppu) = logo.baseline(row: 0)
        #expect(ppu == 30)                                                           // 60 px for the tallest stack (2)
        let x = logo.column(0).x, w = logo.columnWidth
        let colors = SequenceLogo.colors(for: ["A", "C", "G", "T"])
        let above = (zero - 60..<zero).flatMap { y in (x..<(x + w)).map { canvas.color(x: $0, y: y) } }
        let below = (zero + 1..<zero + 31).flatMap { y in (x..<(x + w)).map { canvas.color(x: $0, y: y) } }
        #expect(above.contains(colors[0]) && !above.contains(colors[3]))
        #expect(below.contains(colors[3]) && !below.contains(colors[0]))
        #expect(!(zero + 32..<zero + 60).flatMap { y in (x..<(x + w)).map { canvas.color(x: $0, y: y) } }.contains(colors[3]))
    }

    @Test func matrixPanelColoursCellsByValue() {
        // 2×2: low values top-left, high bottom-right; the panel maps them to viridis ends.
        let panel = MatrixPanel(values: [0, 0, 0, 1], length: 2, title: "M")
        var canvas = Canvas(width: 100, height: 120)
        panel.draw(into: &canvas, x: 10, y: 0, size: 40)
        #expect(canvas.color(x: 15, y: 25) == Colormap.viridis.color(0))        // the square starts 20 px under the title
        #expect(canvas.color(x: 45, y: 53) == Colormap.viridis.color(1))
    }
}
