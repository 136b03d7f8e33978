import FileIO

/// An RGB raster with the few primitives the plots need: filled rectangles, lines and text.
public struct Canvas: Sendable {
    public struct Color: Sendable, Equatable {
        public var r: UInt8, g: UInt8, b: UInt8
        public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) { self.r = r; self.g = g; self.b = b }
        public static let white = Color(255, 255, 255), black = Color(0, 0, 0)
        public static let grey = Color(170, 170, 170), lightGrey = Color(235, 235, 235)
        public static let blue = Color(31, 90, 180), red = Color(214, 50, 40), green = Color(40, 150, 70)
    }

    public let width: Int, height: Int
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, background: Color = .white) {
        self.width = width; self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for k in 0..<(width * height) { pixels[3 * k] = background.r; pixels[3 * k + 1] = background.g; pixels[3 * k + 2] = background.b }
    }

    public func color(x: Int, y: Int) -> Color {
        let k = 3 * (y * width + x)
        return Color(pixels[k], pixels[k + 1], pixels[k + 2])
    }

    public mutating func set(x: Int, y: Int, _ c: Color) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let k = 3 * (y * width + x)
        pixels[k] = c.r; pixels[k + 1] = c.g; pixels[k + 2] = c.b
    }

    /// Fills the rectangle clipped to the canvas (nothing when it lies outside).
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ c: Color) {
        let (x0, x1, y0, y1) = (Swift.max(0, x), Swift.min(width, x + w), Swift.max(0, y), Swift.min(height, y + h))
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { set(x: xx, y: yy, c) } }
    }

    public mutating func line(x0: Int, y0: Int, x1: Int, y1: Int, _ c: Color) {
        let steps = Swift.max(Swift.abs(x1 - x0), Swift.abs(y1 - y0), 1)
        for s in 0...steps {
            set(x: x0 + (x1 - x0) * s / steps, y: y0 + (y1 - y0) * s / steps, c)
        }
    }

    public mutating func rectangle(x: Int, y: Int, width w: Int, height h: Int, _ c: Color) {
        line(x0: x, y0: y, x1: x + w - 1, y1: y, c); line(x0: x, y0: y + h - 1, x1: x + w - 1, y1: y + h - 1, c)
        line(x0: x, y0: y, x1: x, y1: y + h - 1, c); line(x0: x + w - 1, y0: y, x1: x + w - 1, y1: y + h - 1, c)
    }

    /// Text in the built-in 5×7 font, `scale` pixels per font pixel, top-left at (x, y).
    /// Returns the width drawn. Lowercase is drawn as uppercase; unknown characters as blanks.
    @discardableResult
    public mutating func text(_ s: String, x: Int, y: Int, scale: Int = 2, _ c: Color = .black) -> Int {
        var cx = x
        for ch in s.uppercased() {
            if let rows = BitmapFont.glyphs[ch] {
                for (r, bits) in rows.enumerated() {
                    for col in 0..<5 where bits & (1 << (4 - col)) != 0 {
                        fill(x: cx + col * scale, y: y + r * scale, width: scale, height: scale, c)
                    }
                }
            }
            cx += 6 * scale
        }
        return cx - x
    }

    public static func textWidth(_ s: String, scale: Int = 2) -> Int { s.count * 6 * scale }

    public func pngData() throws -> [UInt8] { try PNGEncoder.encode(width: width, height: height, rgb: pixels) }

    /// Writes the PNG atomically.
    public func writePNG(to path: String, overwrite: Bool = true) throws {
        try AtomicFile.write(pngData(), to: path, overwrite: overwrite)
    }
}
