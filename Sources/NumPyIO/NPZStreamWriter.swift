import CZlib
import FileIO
import Tensors

/// An `.npz` written entry by entry straight to its file, each entry's bytes read from the
/// caller's buffers: writing holds no copy of them (a `compressed` entry holds its deflated bytes
/// until they are written, its sizes going first). `NPZArchive.encode` builds the whole archive in
/// memory first — for an L-BFGS checkpoint of L = 450 (12 vectors of 178 MB) that doubled the
/// fit's peak memory. Entries of 4 GiB or more, and offsets past 4 GiB, get zip64 fields (as numpy
/// writes them; `NPZArchive.decode` reads them).
///
/// ```swift
/// try NPZStreamWriter.write(to: "ckpt.npz") { npz in
///     try npz.add("x", floats: [x], shape: [x.count])
///     try npz.add("s", floats: s, shape: [s.count, n])      // the rows of s, concatenated
/// }
/// ```
public final class NPZStreamWriter {
    let sink: AtomicFile.Sink
    var central: [UInt8] = []
    var count = 0
    /// Sizes and offsets from which zip64 fields are written (0xFFFFFFFF; lower in tests).
    let zip64From: Int

    init(_ sink: AtomicFile.Sink, zip64From: Int) { self.sink = sink; self.zip64From = zip64From }

    /// Writes the archive `body` fills to `path`, atomically (flushed to the disk when `durable`).
    public static func write(to path: String, overwrite: Bool = true, durable: Bool = false, _ body: (NPZStreamWriter) throws -> Void) throws {
        try write(to: path, overwrite: overwrite, durable: durable, zip64From: 0xFFFF_FFFF, body)
    }

    static func write(to path: String, overwrite: Bool, durable: Bool = false, zip64From: Int, _ body: (NPZStreamWriter) throws -> Void) throws {
        try AtomicFile.write(to: path, overwrite: overwrite, durable: durable) { sink in
            let writer = NPZStreamWriter(sink, zip64From: zip64From)
            try body(writer)
            try writer.finish()
        }
    }

    /// An entry whose element bytes are `array.bytes`; deflated when `compressed`.
    public func add(_ name: String, _ array: NumPyArray, compressed: Bool = false) throws {
        try array.bytes.withUnsafeBytes { try add(name, dtype: array.dtype, shape: array.shape, parts: [$0], compressed: compressed) }
    }

    /// A float32 entry holding `tensor` (its shape, its scalars read in place); deflated when `compressed`.
    public func add(_ name: String, _ tensor: Tensor, compressed: Bool = false) throws {
        try add(name, floats: [tensor.scalars], shape: tensor.shape, compressed: compressed)
    }

    /// A float32 entry of `shape` whose elements are the vectors of `parts`, concatenated;
    /// deflated when `compressed`.
    public func add(_ name: String, floats parts: [[Float]], shape: [Int], compressed: Bool = false) throws {
        precondition(parts.reduce(0) { $0 + $1.count } == shape.reduce(1, *), "NPZStreamWriter: \(name) does not have \(shape) elements")
        // The arrays stay alive (and unmoved) for the call: their buffers are read in place.
        func withBuffers(_ k: Int, _ done: [UnsafeRawBufferPointer], _ body: ([UnsafeRawBufferPointer]) throws -> Void) throws {
            if k == parts.count { return try body(done) }
            try parts[k].withUnsafeBytes { try withBuffers(k + 1, done + [$0], body) }
        }
        try withBuffers(0, []) { try add(name, dtype: .float32, shape: shape, parts: $0, compressed: compressed) }
    }

    func add(_ name: String, dtype: NumPyArray.DType, shape: [Int], parts: [UnsafeRawBufferPointer], compressed: Bool) throws {
        let header = NPYFormat.header(dtype: dtype, shape: shape)
        var crc = header.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        for part in parts {
            var off = 0
            while off < part.count {      // crc32's length is 32-bit: feed it 1 GiB at a time
                let n = Swift.min(part.count - off, 1 << 30)
                crc = crc32(crc, part.baseAddress!.assumingMemoryBound(to: UInt8.self) + off, UInt32(n))
                off += n
            }
        }
        let size = header.count + parts.reduce(0) { $0 + $1.count }
        let deflated = compressed ? try header.withUnsafeBytes { try deflateRaw([$0] + parts) } : nil
        let stored = deflated?.count ?? size, method: UInt16 = compressed ? 8 : 0
        let offset = sink.offset
        let fileName = Array((name + ".npy").utf8)
        let big = Swift.max(size, stored) >= zip64From, far = offset >= zip64From
        // Local header: sizes as 0xFFFFFFFF with a zip64 extra field (original size, then the
        // stored one) when they do not fit.
        var local: [UInt8] = []
        local.le32(0x0403_4B50); local.le16(big ? 45 : 20); local.le16(0); local.le16(method); local.le16(0); local.le16(0x21)
        local.le32(UInt32(crc)); local.le32(big ? 0xFFFF_FFFF : UInt32(stored)); local.le32(big ? 0xFFFF_FFFF : UInt32(size))
        local.le16(UInt16(fileName.count)); local.le16(big ? 20 : 0)
        local += fileName
        if big { local.le16(1); local.le16(16); local.le64(UInt64(size)); local.le64(UInt64(stored)) }
        try sink.write(local)
        if let deflated {
            try sink.write(deflated)
        } else {
            try sink.write(header)
            for part in parts { try sink.write(part) }
        }
        // Central entry: the zip64 extra holds (in this order) the sizes and the offset that overflow.
        var extra: [UInt8] = []
        if big || far {
            extra.le16(1); extra.le16(UInt16((big ? 16 : 0) + (far ? 8 : 0)))
            if big { extra.le64(UInt64(size)); extra.le64(UInt64(stored)) }
            if far { extra.le64(UInt64(offset)) }
        }
        central.le32(0x0201_4B50); central.le16(big || far ? 45 : 20); central.le16(big || far ? 45 : 20); central.le16(0); central.le16(method)
        central.le16(0); central.le16(0x21); central.le32(UInt32(crc))
        central.le32(big ? 0xFFFF_FFFF : UInt32(stored)); central.le32(big ? 0xFFFF_FFFF : UInt32(size))
        central.le16(UInt16(fileName.count)); central.le16(UInt16(extra.count)); central.le16(0); central.le16(0); central.le16(0)
        central.le32(0); central.le32(far ? 0xFFFF_FFFF : UInt32(offset))
        central += fileName
        central += extra
        count += 1
    }

    /// The central directory and its end records (zip64 ones when an offset passed 4 GiB).
    func finish() throws {
        let cdOffset = sink.offset
        var tail = central
        let zip64 = cdOffset >= zip64From
        if zip64 {
            let z = cdOffset + central.count
            tail.le32(0x0606_4B50); tail.le64(44); tail.le16(45); tail.le16(45); tail.le32(0); tail.le32(0)
            tail.le64(UInt64(count)); tail.le64(UInt64(count)); tail.le64(UInt64(central.count)); tail.le64(UInt64(cdOffset))
            tail.le32(0x0706_4B50); tail.le32(0); tail.le64(UInt64(z)); tail.le32(1)
        }
        tail.le32(0x0605_4B50); tail.le16(0); tail.le16(0)
        tail.le16(zip64 ? 0xFFFF : UInt16(count)); tail.le16(zip64 ? 0xFFFF : UInt16(count))
        tail.le32(UInt32(central.count)); tail.le32(zip64 ? 0xFFFF_FFFF : UInt32(cdOffset)); tail.le16(0)
        try sink.write(tail)
    }
}

extension Array where Element == UInt8 {
    mutating func le64(_ v: UInt64) { for k in 0..<8 { append(UInt8((v >> (8 * UInt64(k))) & 0xFF)) } }
}
