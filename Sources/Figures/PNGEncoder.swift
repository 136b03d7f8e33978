import CZlib

/// Encodes 8-bit RGB images as PNG (ISO/IEC 15948): signature, IHDR, one zlib-compressed IDAT
/// with filter byte 0 (None) before each row, an optional pHYs chunk (the resolution, so a
/// 100-dpi figure prints at pixels / 100 inches), IEND; every chunk carries its CRC-32.
public enum PNGEncoder {
    public struct EncodingError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `rgb`: width·height·3 bytes, row-major from the top.
    public static func encode(width: Int, height: Int, rgb: [UInt8], dpi: Int? = nil) throws -> [UInt8] {
        precondition(rgb.count == width * height * 3, "RGB buffer must hold width·height·3 bytes")
        var raw = [UInt8]()
        raw.reserveCapacity(height * (width * 3 + 1))
        for y in 0..<height {
            raw.append(0)
            raw.append(contentsOf: rgb[(y * width * 3)..<((y + 1) * width * 3)])
        }
        var compressedLength = compressBound(UInt(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        let status = compress2(&compressed, &compressedLength, raw, UInt(raw.count), 6)
        guard status == Z_OK else { throw EncodingError(description: "zlib compress2 failed (\(status))") }
        compressed.removeLast(compressed.count - Int(compressedLength))

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = [UInt8]()
        header.appendBigEndian(UInt32(width)); header.appendBigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]      // bit depth 8, colour type 2 (RGB), deflate, no filter method, no interlace
        appendChunk(&png, "IHDR", header)
        if let dpi, dpi > 0 {
            let perMetre = UInt32((Double(dpi) / 0.0254).rounded())
            var phys = [UInt8]()
            phys.appendBigEndian(perMetre); phys.appendBigEndian(perMetre); phys.append(1)     // unit: metre
            appendChunk(&png, "pHYs", phys)
        }
        appendChunk(&png, "IDAT", compressed)
        appendChunk(&png, "IEND", [])
        return png
    }

    static func appendChunk(_ png: inout [UInt8], _ type: String, _ data: [UInt8]) {
        png.appendBigEndian(UInt32(data.count))
        let typed = Array(type.utf8) + data
        png += typed
        png.appendBigEndian(UInt32(typed.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }))
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ v: UInt32) { for s in [24, 16, 8, 0] { append(UInt8((v >> UInt32(s)) & 0xFF)) } }
}
