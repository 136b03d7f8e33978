import Testing
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

@Suite struct FiguresTests {
    @Test func pngHasValidStructureAndPixelsRoundTripThroughZlib() throws {
        var canvas = Canvas(width: 7, height: 5)
        canvas.fill(x: 2, y: 1, width: 3, height: 2, .red)
        let png = try canvas.pngData()
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let path = "/tmp/seqgen-fig-\(UInt32.random(in: 0...UInt32.max)).png"
        try canvas.writePNG(to: path)
        guard shell("python3 -c 'import zlib'").0 == 0 else { print("skipping: python3 not available"); return }
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

    @Test func textUsesTheBitmapFont() {
        var canvas = Canvas(width: 40, height: 20)
        let w = canvas.text("A1", x: 0, y: 0, scale: 1)
        #expect(w == 12)
        #expect(canvas.color(x: 0, y: 1) == .black)     // 'A' row 1: 10001
        #expect(canvas.color(x: 2, y: 0) == .black)     // 'A' row 0: 01110
        #expect(canvas.color(x: 0, y: 0) == .white)
    }
}
