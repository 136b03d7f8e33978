import CZlib
import FileIO

/// A `.npz` file: a zip archive whose entries `NAME.npy` are `.npy` arrays (`np.savez`,
/// `np.savez_compressed`). Reads stored and deflated entries, including the zip64 extra fields
/// that numpy writes; writes stored or deflated entries. Entry order is kept.
public struct NPZArchive: Sendable {
    public var entries: [(name: String, array: NumPyArray)]

    public init(_ entries: [(name: String, array: NumPyArray)] = []) { self.entries = entries }

    public subscript(name: String) -> NumPyArray? {
        get { entries.first { $0.name == name }?.array }
        set {
            if let i = entries.firstIndex(where: { $0.name == name }) {
                if let v = newValue { entries[i].array = v } else { entries.remove(at: i) }
            } else if let v = newValue { entries.append((name, v)) }
        }
    }

    public var names: [String] { entries.map(\.name) }

    /// The array called `name`, or an error naming the file and the missing key.
    public func require(_ name: String, in path: String = "archive") throws -> NumPyArray {
        guard let a = self[name] else { throw FileIOError(path: path, "missing array '\(name)' (has: \(names.joined(separator: ", ")))") }
        return a
    }

    // MARK: writing

    public func encode(compressed: Bool = false) throws -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        for (name, array) in entries {
            let payload = NPYFormat.encode(array)
            let crc = crc32Of(payload)
            let data = compressed ? try deflateRaw(payload) : payload
            guard out.count < 0xFFFF_FFFF && payload.count < 0xFFFF_FFFF else {
                throw NumPyError("archive entry \(name) is larger than 4 GiB (zip64 writing is not supported)")
            }
            let fileName = Array((name + ".npy").utf8)
            let offset = out.count
            let method: UInt16 = compressed ? 8 : 0
            out.le32(0x0403_4B50); out.le16(20); out.le16(0); out.le16(method); out.le16(0); out.le16(0x21)
            out.le32(crc); out.le32(UInt32(data.count)); out.le32(UInt32(payload.count))
            out.le16(UInt16(fileName.count)); out.le16(0)
            out += fileName
            out += data
            central.le32(0x0201_4B50); central.le16(20); central.le16(20); central.le16(0); central.le16(method)
            central.le16(0); central.le16(0x21); central.le32(crc); central.le32(UInt32(data.count)); central.le32(UInt32(payload.count))
            central.le16(UInt16(fileName.count)); central.le16(0); central.le16(0); central.le16(0); central.le16(0)
            central.le32(0); central.le32(UInt32(offset))
            central += fileName
        }
        let cdOffset = out.count
        out += central
        out.le32(0x0605_4B50); out.le16(0); out.le16(0)
        out.le16(UInt16(entries.count)); out.le16(UInt16(entries.count))
        out.le32(UInt32(central.count)); out.le32(UInt32(cdOffset)); out.le16(0)
        return out
    }

    public func write(to path: String, compressed: Bool = false, overwrite: Bool = true) throws {
        try AtomicFile.write(encode(compressed: compressed), to: path, overwrite: overwrite)
    }

    // MARK: reading

    public static func read(_ path: String) throws -> NPZArchive {
        let data = try CompressedReader.readBytes(path)
        do { return try decode(data) } catch let e as NumPyError {
            // A file of another kind: say what it looks like rather than how zip parsing failed.
            if e.problem.hasPrefix("not a zip archive") && !data.starts(with: [0x50, 0x4B]) {
                throw FileIOError(path: path, "not a .npz (zip) archive: it looks like \(BinaryContent.describe(Array(data.prefix(4096))))")
            }
            throw FileIOError(path: path, e.problem)
        }
    }

    public static func decode(_ d: [UInt8]) throws -> NPZArchive {
        // End of central directory: scan back over a possible comment (≤ 65535 bytes).
        guard d.count >= 22 else { throw NumPyError("not a zip archive (too short)") }
        var eocd = -1
        var p = d.count - 22
        while p >= Swift.max(0, d.count - 22 - 65535) {
            if d.u32(p) == 0x0605_4B50 { eocd = p; break }
            p -= 1
        }
        guard eocd >= 0 else { throw NumPyError("not a zip archive (no end-of-central-directory record)") }
        // Every offset and size must lie inside the file: larger 64-bit values are clamped to just
        // past its end (so they fail the bounds checks below instead of overflowing Int).
        func bounded(_ v: UInt64) -> Int { v > UInt64(d.count) ? d.count + 1 : Int(v) }
        var count = Int(d.u16(eocd + 10))
        var cdOffset = Int(d.u32(eocd + 16))
        if (count == 0xFFFF || cdOffset == 0xFFFF_FFFF), eocd >= 20, d.u32(eocd - 20) == 0x0706_4B50 {
            let z = bounded(d.u64(eocd - 20 + 8))
            guard z + 56 <= d.count, d.u32(z) == 0x0606_4B50 else { throw NumPyError("corrupt zip64 end record") }
            count = bounded(d.u64(z + 32)); cdOffset = bounded(d.u64(z + 48))
        }
        var archive = NPZArchive()
        var q = cdOffset
        for _ in 0..<count {
            guard q + 46 <= d.count, d.u32(q) == 0x0201_4B50 else { throw NumPyError("corrupt central directory") }
            let method = d.u16(q + 10)
            let crc = d.u32(q + 16)
            var csize = Int(d.u32(q + 20)), usize = Int(d.u32(q + 24))
            let nameLength = Int(d.u16(q + 28)), extraLength = Int(d.u16(q + 30)), commentLength = Int(d.u16(q + 32))
            var local = Int(d.u32(q + 42))
            guard q + 46 + nameLength + extraLength <= d.count else { throw NumPyError("corrupt central directory") }
            let name = String(decoding: d[(q + 46)..<(q + 46 + nameLength)], as: UTF8.self)
            // zip64 extra field (id 1): the 8-byte values present are those whose 4-byte field is 0xFFFFFFFF.
            var e = q + 46 + nameLength
            while e + 4 <= q + 46 + nameLength + extraLength {
                let id = d.u16(e), size = Int(d.u16(e + 2))
                if id == 1 {
                    var f = e + 4
                    if usize == 0xFFFF_FFFF, f + 8 <= d.count { usize = d.u64(f) > UInt64(Int32.max) * 1032 ? Int(Int32.max) * 1032 : Int(d.u64(f)); f += 8 }
                    if csize == 0xFFFF_FFFF, f + 8 <= d.count { csize = bounded(d.u64(f)); f += 8 }
                    if local == 0xFFFF_FFFF, f + 8 <= d.count { local = bounded(d.u64(f)) }
                }
                e += 4 + size
            }
            q += 46 + nameLength + extraLength + commentLength
            guard local + 30 <= d.count, d.u32(local) == 0x0403_4B50 else { throw NumPyError("\(name): corrupt local header") }
            let start = local + 30 + Int(d.u16(local + 26)) + Int(d.u16(local + 28))
            guard csize >= 0, start + csize <= d.count else { throw NumPyError("\(name): truncated entry") }
            // Deflate cannot expand data more than 1032-fold: a larger declared size is corrupt (and
            // would otherwise be allocated up front).
            guard method != 0 || usize == csize, usize <= 1032 * csize + 64 else {
                throw NumPyError("\(name): declared size \(usize) does not fit \(csize) stored bytes (corrupt archive)")
            }
            let raw = Array(d[start..<(start + csize)])
            let payload: [UInt8]
            switch method {
            case 0: payload = raw
            case 8: payload = try inflateRaw(raw, expected: usize, name: name)
            default: throw NumPyError("\(name): unsupported zip compression method \(method)")
            }
            guard payload.count == usize, crc32Of(payload) == crc else { throw NumPyError("\(name): CRC or size mismatch (corrupt archive)") }
            let key = name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
            archive.entries.append((key, try NPYFormat.decode(payload, name: name)))
        }
        return archive
    }
}

// MARK: zlib helpers

func crc32Of(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
}

/// Raw deflate (no zlib/gzip wrapper), as zip entries store it, at zlib's fastest level (1): what
/// seqgen compresses is one-hot data and its tracks, which level 1 shrinks ≈ 10× at ≈ 140 MB/s
/// where the default level 6 gains another third of the size at a quarter of the speed (a 30,000-
/// sequence `cnn synth` spent 83% of its 6.6 s in level-6 deflate).
func deflateRaw(_ input: [UInt8]) throws -> [UInt8] {
    try input.withUnsafeBytes { try deflateRaw([$0]) }
}

/// Raw deflate of `parts`, concatenated, read in place; the output grows 1 MiB at a time (one-hot
/// data deflates ≈ 10×: a bound-sized buffer would be as large as the input).
func deflateRaw(_ parts: [UnsafeRawBufferPointer]) throws -> [UInt8] {
    var stream = z_stream()
    guard deflateInit2_(&stream, Z_BEST_SPEED, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
                        zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw NumPyError("deflateInit failed") }
    defer { deflateEnd(&stream) }
    let chunk = 1 << 20
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: chunk)
    // Feeds `bytes` (at most 1 GiB at a time: avail_in is 32-bit), draining the output as it fills.
    func pump(_ bytes: UnsafeRawBufferPointer, flush: Int32) throws {
        var offset = 0
        repeat {
            let n = Swift.min(bytes.count - offset, 1 << 30)
            let last = flush == Z_FINISH && offset + n == bytes.count
            stream.next_in = n > 0 ? UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset) : nil
            stream.avail_in = UInt32(n)
            var status: Int32
            repeat {
                status = buffer.withUnsafeMutableBufferPointer { b in
                    stream.next_out = b.baseAddress; stream.avail_out = UInt32(chunk)
                    return deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH)
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { throw NumPyError("deflate failed (\(status))") }
                out += buffer[0..<(chunk - Int(stream.avail_out))]
            } while stream.avail_out == 0 || (last && status != Z_STREAM_END)
            offset += n
        } while offset < bytes.count
    }
    for (k, part) in parts.enumerated() { try pump(part, flush: k == parts.count - 1 ? Z_FINISH : Z_NO_FLUSH) }
    if parts.isEmpty { try pump(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH) }
    return out
}

func inflateRaw(_ input: [UInt8], expected: Int, name: String) throws -> [UInt8] {
    var stream = z_stream()
    guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw NumPyError("inflateInit failed") }
    defer { inflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: Swift.max(expected, 1))
    var input = input
    let status: Int32 = input.withUnsafeMutableBufferPointer { ib in
        out.withUnsafeMutableBufferPointer { ob in
            stream.next_in = ib.baseAddress; stream.avail_in = UInt32(ib.count)
            stream.next_out = ob.baseAddress; stream.avail_out = UInt32(ob.count)
            return inflate(&stream, Z_FINISH)
        }
    }
    guard status == Z_STREAM_END else { throw NumPyError("\(name): corrupt deflate data (zlib status \(status))") }
    out.removeLast(out.count - Int(stream.total_out))
    return out
}

extension Array where Element == UInt8 {
    mutating func le16(_ v: UInt16) { append(UInt8(v & 0xFF)); append(UInt8(v >> 8)) }
    mutating func le32(_ v: UInt32) { for k in 0..<4 { append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) } }
    func u16(_ i: Int) -> UInt16 { UInt16(self[i]) | UInt16(self[i + 1]) << 8 }
    func u32(_ i: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(self[i + $1]) << (8 * UInt32($1)) } }
    func u64(_ i: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(self[i + $1]) << (8 * UInt64($1)) } }
}
