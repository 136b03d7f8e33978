import FileIO

/// A drawing with two outputs: an RGB raster (PNG) and the same primitives as SVG elements
/// (text stays `<text>`).
/// Every public primitive paints the raster and records one SVG element, so a figure is written
/// once and saved as either format; dense areas (matrices, big scatters) go in as embedded images,
/// as matplotlib does for `imshow`.
public struct Canvas: Sendable {
    public struct Color: Sendable, Equatable {
        public var r: UInt8, g: UInt8, b: UInt8
        public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
        public static let white = Color(255, 255, 255), black = Color(0, 0, 0)
        public static let grey = Color(170, 170, 170), lightGrey = Color(235, 235, 235)
        public static let blue = Color(31, 90, 180), red = Color(214, 50, 40), green = Color(40, 150, 70)
        public static let orange = Color(230, 140, 20)
        /// Nine distinguishable colours for categories (series, groups), in order of use.
        public static let categorical: [Color] = [.blue, .red, .green, .orange, Color(130, 60, 170), Color(20, 160, 170),
                                                  Color(200, 80, 160), Color(120, 90, 40), .black]
        var hex: String {
            let digits = Array("0123456789abcdef")
            return "#" + String([r, g, b].flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
        }
    }

    public let width: Int, height: Int
    public private(set) var pixels: [UInt8]
    /// The font for text and logo letters; nil draws with the built-in 5×7 bitmap font.
    public var typeface: Typeface? = Typeface.standard
    private var svgElements: [String] = []

    public init(width: Int, height: Int, background: Color = .white) {
        self.width = width; self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for k in 0..<(width * height) { pixels[3 * k] = background.r; pixels[3 * k + 1] = background.g; pixels[3 * k + 2] = background.b }
        svgElements.append("<rect width=\"\(width)\" height=\"\(height)\" fill=\"\(background.hex)\"/>")
    }

    public func color(x: Int, y: Int) -> Color {
        let k = 3 * (y * width + x)
        return Color(pixels[k], pixels[k + 1], pixels[k + 2])
    }

    // MARK: Primitives (raster + SVG)

    public mutating func set(x: Int, y: Int, _ c: Color) {
        fill(x: x, y: y, width: 1, height: 1, c)
    }

    /// Fills the rectangle clipped to the canvas (nothing when it lies outside).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ c: Color) {
        guard w > 0, h > 0 else { return }
        rasterFill(x: x, y: y, width: w, height: h, c)
        svgElements.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(h)\" fill=\"\(c.hex)\"/>")
    }

    public mutating func line(x0: Int, y0: Int, x1: Int, y1: Int, _ c: Color) {
        rasterLine(x0: x0, y0: y0, x1: x1, y1: y1, c)
        svgElements.append("<line x1=\"\(Double(x0) + 0.5)\" y1=\"\(Double(y0) + 0.5)\" x2=\"\(Double(x1) + 0.5)\" y2=\"\(Double(y1) + 0.5)\" stroke=\"\(c.hex)\" stroke-linecap=\"square\"/>")
    }

    /// A connected line through `points` (pixel coordinates), `thickness` pixels wide.
    public mutating func polyline(_ points: [(x: Int, y: Int)], _ c: Color, thickness: Int = 1) {
        guard points.count > 1 else { return }
        for (a, b) in zip(points, points.dropFirst()) {
            for t in 0..<thickness { rasterLine(x0: a.x, y0: a.y + t, x1: b.x, y1: b.y + t, c) }
        }
        let coords = points.map { "\(Double($0.x) + 0.5),\(Double($0.y) + 0.5 * Double(thickness))" }.joined(separator: " ")
        svgElements.append("<polyline points=\"\(coords)\" fill=\"none\" stroke=\"\(c.hex)\" stroke-width=\"\(thickness)\"/>")
    }

    /// A one-pixel outline.
    public mutating func rectangle(x: Int, y: Int, width w: Int, height h: Int, _ c: Color) {
        rasterLine(x0: x, y0: y, x1: x + w - 1, y1: y, c); rasterLine(x0: x, y0: y + h - 1, x1: x + w - 1, y1: y + h - 1, c)
        rasterLine(x0: x, y0: y, x1: x, y1: y + h - 1, c); rasterLine(x0: x + w - 1, y0: y, x1: x + w - 1, y1: y + h - 1, c)
        svgElements.append("<rect x=\"\(Double(x) + 0.5)\" y=\"\(Double(y) + 0.5)\" width=\"\(w - 1)\" height=\"\(h - 1)\" fill=\"none\" stroke=\"\(c.hex)\"/>")
    }

    /// Text at size class `scale` (1: tick labels, 13 px; 2: titles and axis labels, 16 px),
    /// top-left at (x, y) — capitals span y…y + cap height, descenders hang below; with `vertical`
    /// it reads bottom to top and (x, y) is its bottom-left corner. Drawn with `typeface`
    /// (FreeType, anti-aliased) when there is one, else with the 5×7 bitmap font (`scale` pixels
    /// per font pixel); either way the text is drawn as given (case, symbols). SVG gets a `<text>`
    /// element. Returns the length drawn in pixels.
    @discardableResult
    public mutating func text(_ s: String, x: Int, y: Int, scale: Int = 2, _ c: Color = .black, vertical: Bool = false) -> Int {
        let escaped = s.map { $0 == "&" ? "&amp;" : $0 == "<" ? "&lt;" : $0 == ">" ? "&gt;" : $0 == "\"" ? "&quot;" : String($0) }.joined()
        if let typeface {
            let size = Canvas.fontSize(scale: scale)
            let bitmap = typeface.render(s, size: size)
            let cap = typeface.capHeight(size: size)
            // The bitmap's baseline row goes to y + cap (horizontal) or its column to x + cap (vertical).
            for r in 0..<bitmap.height {
                for col in 0..<bitmap.width {
                    let a = bitmap.alpha[r * bitmap.width + col]
                    guard a > 0 else { continue }
                    if vertical {
                        blend(x: x + cap - bitmap.baseline + r, y: y - col, c, alpha: a)
                    } else {
                        blend(x: x + col, y: y + cap - bitmap.baseline + r, c, alpha: a)
                    }
                }
            }
            let font = "font-family=\"\(typeface.familyName), sans-serif\" font-size=\"\(Canvas.number(size))\" fill=\"\(c.hex)\""
            if vertical {
                svgElements.append("<text transform=\"translate(\(x + cap),\(y)) rotate(-90)\" \(font)>\(escaped)</text>")
            } else {
                svgElements.append("<text x=\"\(x)\" y=\"\(y + cap)\" \(font)>\(escaped)</text>")
            }
            return typeface.width(s, size: size)
        }
        var offset = 0
        for ch in s {
            if let rows = BitmapFont.rows(ch) {
                for (r, bits) in rows.enumerated() {
                    for col in 0..<5 where bits & (1 << (4 - col)) != 0 {
                        if vertical {
                            rasterFill(x: x + r * scale, y: y - offset - (col + 1) * scale, width: scale, height: scale, c)
                        } else {
                            rasterFill(x: x + offset + col * scale, y: y + r * scale, width: scale, height: scale, c)
                        }
                    }
                }
            }
            offset += 6 * scale
        }
        let font = "font-family=\"DejaVu Sans Mono, monospace\" font-size=\"\(Double(scale) * 9.6)\" textLength=\(quoted(offset - scale)) lengthAdjust=\"spacingAndGlyphs\" fill=\"\(c.hex)\""
        if vertical {
            svgElements.append("<text transform=\"translate(\(x + 7 * scale),\(y)) rotate(-90)\" \(font)>\(escaped)</text>")
        } else {
            svgElements.append("<text x=\"\(x)\" y=\"\(y + 7 * scale)\" \(font)>\(escaped)</text>")
        }
        return offset
    }

    /// Font size in pixels per em for a text size class (matplotlib's defaults at 100 dpi are
    /// 10 pt ≈ 14 px for ticks and labels, 12 pt ≈ 17 px for titles).
    public static func fontSize(scale: Int) -> Double { scale <= 1 ? 13 : 16 + 4 * Double(scale - 2) }

    /// `s`, or its start and "…" where it is wider than `width` pixels (a long focus name in a title).
    public static func fitting(_ s: String, width: Int, scale: Int = 2) -> String {
        guard textWidth(s, scale: scale) > width else { return s }
        var cut = Substring(s)
        while !cut.isEmpty && textWidth(String(cut) + "…", scale: scale) > width { cut = cut.dropLast() }
        return String(cut) + "…"
    }

    /// Titles widen a figure by at most this many pixels; beyond, they end in "…".
    public static let titleWidthLimit = 900

    /// The width `text` will take at size class `scale` with the standard typeface (or the bitmap font).
    public static func textWidth(_ s: String, scale: Int = 2) -> Int {
        if let t = Typeface.standard { return t.width(s, size: fontSize(scale: scale)) }
        return s.count * 6 * scale
    }

    /// The height of a capital letter at size class `scale` (text boxes are this tall, plus descenders).
    public static func textHeight(scale: Int = 2) -> Int {
        if let t = Typeface.standard { return t.capHeight(size: fontSize(scale: scale)) }
        return 7 * scale
    }

    /// A letter stretched to fill a `width`×`height` box (sequence logos): with a typeface its ink
    /// (rendered at 200 px) is resampled into the box, and SVG gets the letter as `<text>` scaled
    /// to the same box; with the bitmap font each run of set glyph pixels becomes one rectangle.
    public mutating func glyph(_ ch: Character, x: Int, y: Int, width w: Int, height h: Int, _ c: Color) {
        guard w > 0, h > 0 else { return }
        if let typeface, let ink = typeface.ink(ch) {
            // Box filter: each target pixel averages the ink pixels it covers.
            for ty in 0..<h {
                let sy0 = ty * ink.height / h, sy1 = Swift.max(sy0 + 1, (ty + 1) * ink.height / h)
                for tx in 0..<w {
                    let sx0 = tx * ink.width / w, sx1 = Swift.max(sx0 + 1, (tx + 1) * ink.width / w)
                    var sum = 0
                    for sy in sy0..<sy1 { for sx in sx0..<sx1 { sum += Int(ink.alpha[sy * ink.width + sx]) } }
                    let a = sum / ((sy1 - sy0) * (sx1 - sx0))
                    if a > 0 { blend(x: x + tx, y: y + ty, c, alpha: UInt8(a)) }
                }
            }
            // 200 px per em; the ink box starts `left` right of the pen and `top` above the baseline.
            let sx = Double(w) / Double(ink.width), sy = Double(h) / Double(ink.height)
            let escaped = ch == "&" ? "&amp;" : ch == "<" ? "&lt;" : ch == ">" ? "&gt;" : String(ch)
            svgElements.append("<text transform=\"translate(\(Canvas.number(Double(x) - Double(ink.left) * sx)),\(Canvas.number(Double(y) + Double(ink.top) * sy))) scale(\(Canvas.number(sx)),\(Canvas.number(sy)))\" font-family=\"\(typeface.familyName), sans-serif\" font-size=\"200\" fill=\"\(c.hex)\">\(escaped)</text>")
            return
        }
        guard let rows = BitmapFont.rows(Character(ch.uppercased())) else { return }
        for (r, bits) in rows.enumerated() {
            let y0 = y + r * h / 7, y1 = y + (r + 1) * h / 7
            guard y1 > y0 else { continue }
            var col = 0
            while col < 5 {
                guard bits & (1 << (4 - col)) != 0 else { col += 1; continue }
                var end = col
                while end + 1 < 5 && bits & (1 << (4 - (end + 1))) != 0 { end += 1 }
                let x0 = x + col * w / 5, x1 = x + (end + 1) * w / 5
                fill(x: x0, y: y0, width: Swift.max(1, x1 - x0), height: y1 - y0, c)
                col = end + 1
            }
        }
    }

    static func number(_ v: Double) -> String {
        let r = (v * 1000).rounded() / 1000
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// A filled disc of radius `r` centred at (cx, cy).
    public mutating func disc(cx: Int, cy: Int, radius r: Int, _ c: Color) {
        for dy in -r...r { for dx in -r...r where dx * dx + dy * dy <= r * r { rasterFill(x: cx + dx, y: cy + dy, width: 1, height: 1, c) } }
        svgElements.append("<circle cx=\"\(Double(cx) + 0.5)\" cy=\"\(Double(cy) + 0.5)\" r=\"\(r)\" fill=\"\(c.hex)\"/>")
    }

    /// Pastes another canvas's pixels with its top-left at (x, y); in SVG it is an embedded PNG.
    public mutating func image(_ other: Canvas, x: Int, y: Int) throws {
        copyPixels(of: other, x: x, y: y)
        let png = try PNGEncoder.encode(width: other.width, height: other.height, rgb: other.pixels)
        svgElements.append("<image x=\"\(x)\" y=\"\(y)\" width=\"\(other.width)\" height=\"\(other.height)\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,\(Base64.encode(png))\"/>")
    }

    /// Places another figure as a panel with its top-left at (x, y): its pixels, and in SVG its own
    /// elements (text and lines stay vectors) in a translated group.
    public mutating func place(_ other: Canvas, x: Int, y: Int) {
        copyPixels(of: other, x: x, y: y)
        svgElements.append("<g transform=\"translate(\(x),\(y))\">\n" + other.svgElements.joined(separator: "\n") + "\n</g>")
    }

    // MARK: Output

    public func pngData(dpi: Int? = nil) throws -> [UInt8] { try PNGEncoder.encode(width: width, height: height, rgb: pixels, dpi: dpi) }

    public func svgText() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" shape-rendering=\"crispEdges\">\n"
            + svgElements.joined(separator: "\n") + "\n</svg>\n"
    }

    /// Writes the figure atomically: SVG when the path ends in `.svg`, PNG otherwise (with its
    /// resolution recorded when `dpi` is given).
    public func write(to path: String, overwrite: Bool = true, dpi: Int? = nil) throws {
        if path.pathExtension() == "svg" {
            try AtomicFile.write(Array(svgText().utf8), to: path, overwrite: overwrite)
        } else {
            try AtomicFile.write(pngData(dpi: dpi), to: path, overwrite: overwrite)
        }
    }

    // MARK: Raster only

    /// Another canvas's pixels over this one's, its top-left at (x, y), clipped to this canvas.
    private mutating func copyPixels(of other: Canvas, x: Int, y: Int) {
        for yy in 0..<other.height where y + yy >= 0 && y + yy < height {
            for xx in 0..<other.width where x + xx >= 0 && x + xx < width {
                let (s, d) = (3 * (yy * other.width + xx), 3 * ((y + yy) * width + x + xx))
                pixels[d] = other.pixels[s]; pixels[d + 1] = other.pixels[s + 1]; pixels[d + 2] = other.pixels[s + 2]
            }
        }
    }

    private mutating func rasterFill(x: Int, y: Int, width w: Int, height h: Int, _ c: Color) {
        let (x0, x1, y0, y1) = (Swift.max(0, x), Swift.min(width, x + w), Swift.max(0, y), Swift.min(height, y + h))
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            for xx in x0..<x1 {
                let k = 3 * (yy * width + xx)
                pixels[k] = c.r; pixels[k + 1] = c.g; pixels[k + 2] = c.b
            }
        }
    }

    /// Paints colour `c` over the pixel with coverage `alpha` (0…255).
    private mutating func blend(x: Int, y: Int, _ c: Color, alpha: UInt8) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let k = 3 * (y * width + x), a = Int(alpha)
        pixels[k] = UInt8((Int(pixels[k]) * (255 - a) + Int(c.r) * a + 127) / 255)
        pixels[k + 1] = UInt8((Int(pixels[k + 1]) * (255 - a) + Int(c.g) * a + 127) / 255)
        pixels[k + 2] = UInt8((Int(pixels[k + 2]) * (255 - a) + Int(c.b) * a + 127) / 255)
    }

    private mutating func rasterLine(x0: Int, y0: Int, x1: Int, y1: Int, _ c: Color) {
        let steps = Swift.max(Swift.abs(x1 - x0), Swift.abs(y1 - y0), 1)
        for s in 0...steps {
            rasterFill(x: x0 + (x1 - x0) * s / steps, y: y0 + (y1 - y0) * s / steps, width: 1, height: 1, c)
        }
    }

    private func quoted(_ v: Int) -> String { "\"\(v)\"" }
}

/// RFC 4648 base64, for images embedded in SVG.
public enum Base64 {
    static let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var k = 0
        while k < bytes.count {
            let b0 = UInt32(bytes[k]), b1 = k + 1 < bytes.count ? UInt32(bytes[k + 1]) : 0, b2 = k + 2 < bytes.count ? UInt32(bytes[k + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(v >> 18 & 63)]); out.append(table[Int(v >> 12 & 63)])
            out.append(k + 1 < bytes.count ? table[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(k + 2 < bytes.count ? table[Int(v & 63)] : UInt8(ascii: "="))
            k += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
