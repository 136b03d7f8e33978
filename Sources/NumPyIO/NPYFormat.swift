import FileIO

/// The `.npy` format (NEP 1): magic "\x93NUMPY", version, header length, a Python-literal
/// header `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` padded with spaces to a
/// multiple of 64 bytes and ended by "\n", then the raw element bytes.
public enum NPYFormat {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Serialises an array (version 1.0, or 2.0 when the header needs more than 65535 bytes).
    public static func encode(_ a: NumPyArray) -> [UInt8] {
        header(dtype: a.dtype, shape: a.shape) + a.bytes
    }

    /// Everything before the element bytes: magic, version, header length and the padded header.
    public static func header(dtype: NumPyArray.DType, shape dims: [Int]) -> [UInt8] {
        let shape = dims.count == 1 ? "(\(dims[0]),)" : "(" + dims.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': \(shape), }"
        let v2 = header.utf8.count + 12 > 65535
        let prefix = v2 ? 12 : 10
        let total = ((prefix + header.utf8.count + 1 + 63) / 64) * 64
        header += String(repeating: " ", count: total - prefix - header.utf8.count - 1) + "\n"
        var out = magic + [v2 ? 2 : 1, 0]
        let hl = header.utf8.count
        if v2 { out += [UInt8(hl & 0xFF), UInt8((hl >> 8) & 0xFF), UInt8((hl >> 16) & 0xFF), UInt8(hl >> 24)] }
        else { out += [UInt8(hl & 0xFF), UInt8(hl >> 8)] }
        out += Array(header.utf8)
        return out
    }

    /// Parses `.npy` bytes. `name` labels errors.
    public static func decode(_ data: [UInt8], name: String = "array") throws -> NumPyArray {
        func fail(_ p: String) -> NumPyError { NumPyError("\(name): \(p)") }
        guard data.count >= 10, Array(data[0..<6]) == magic else { throw fail("not a .npy file (bad magic)") }
        let major = data[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1: headerLength = Int(data[8]) | Int(data[9]) << 8; headerStart = 10
        case 2, 3:
            guard data.count >= 12 else { throw fail("truncated header") }
            headerLength = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
            headerStart = 12
        default: throw fail("unsupported .npy version \(major)")
        }
        guard headerStart + headerLength <= data.count else { throw fail("truncated header") }
        let header = String(decoding: data[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = field("descr", in: header), let (dtype, bigEndian) = NumPyArray.DType.parse(descr) else {
            throw fail("unsupported or missing dtype in header \(header.trimmingWhitespace())")
        }
        guard let fortranText = field("fortran_order", in: header) else { throw fail("header lacks fortran_order") }
        guard let shapeText = field("shape", in: header), let shape = parseShape(shapeText) else {
            throw fail("cannot parse shape in header \(header.trimmingWhitespace())")
        }
        let (count, overflow) = shape.reduce((1, false)) { acc, e in
            let (m, o) = acc.0.multipliedReportingOverflow(by: e); return (m, acc.1 || o)
        }
        let (nbytes, overflow2) = count.multipliedReportingOverflow(by: dtype.itemSize)
        let start = headerStart + headerLength
        guard !overflow && !overflow2 && data.count - start >= nbytes else {
            throw fail("data truncated: expected \(nbytes) bytes for shape \(shape), found \(data.count - start)")
        }
        var bytes = Array(data[start..<(start + nbytes)])
        if bigEndian && dtype.itemSize > 1 {
            let w: Int
            if case .unicode = dtype { w = 4 } else { w = dtype.itemSize }   // UTF-32 code units swap, not whole strings
            for k in 0..<(nbytes / w) { bytes[(k * w)..<((k + 1) * w)].reverse() }
        }
        var array = NumPyArray(dtype: dtype, shape: shape, bytes: bytes)
        if fortranText.hasPrefix("True") && shape.count > 1 { array = toCOrder(array) }
        return array
    }

    /// Reorders Fortran-order bytes (first index fastest) into C order.
    static func toCOrder(_ a: NumPyArray) -> NumPyArray {
        let w = a.dtype.itemSize, n = a.count, r = a.shape.count
        var fStrides = [Int](repeating: 1, count: r)
        for k in 1..<r { fStrides[k] = fStrides[k - 1] * a.shape[k - 1] }
        var out = [UInt8](repeating: 0, count: a.bytes.count)
        var index = [Int](repeating: 0, count: r)
        for c in 0..<n {
            let f = zip(index, fStrides).reduce(0) { $0 + $1.0 * $1.1 }
            for b in 0..<w { out[c * w + b] = a.bytes[f * w + b] }
            var k = r - 1
            while k >= 0 { index[k] += 1; if index[k] < a.shape[k] { break }; index[k] = 0; k -= 1 }
        }
        return NumPyArray(dtype: a.dtype, shape: a.shape, bytes: out)
    }

    /// The raw text of a key's value in the header dict.
    static func field(_ key: String, in header: String) -> String? {
        guard let r = header.firstRange(of: "'\(key)'") ?? header.firstRange(of: "\"\(key)\"") else { return nil }
        var rest = header[r.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        if rest.first == "(" { return rest.firstIndex(of: ")").map { String(rest[...$0]) } }
        if rest.first == "'" || rest.first == "\"" {
            let q = rest.first!
            let body = rest.dropFirst()
            return body.firstIndex(of: q).map { String(body[..<$0]) }
        }
        return String(rest.prefix { $0 != "," && $0 != "}" })
    }

    static func parseShape(_ text: String) -> [Int]? {
        let inner = text.dropFirst().dropLast()
        let parts = inner.split(separator: ",").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty }
        var shape: [Int] = []
        for p in parts {
            let digits = p.hasSuffix("L") ? String(p.dropLast()) : p
            guard let v = Int(digits), v >= 0 else { return nil }
            shape.append(v)
        }
        return shape
    }

    public static func write(_ a: NumPyArray, to path: String, overwrite: Bool = true) throws {
        try AtomicFile.write(encode(a), to: path, overwrite: overwrite)
    }

    public static func read(_ path: String) throws -> NumPyArray {
        let data = try CompressedReader.readBytes(path)
        do { return try decode(data, name: path) } catch let e as NumPyError { throw FileIOError(path: path, e.problem.dropPrefix(path + ": ")) }
    }
}

extension StringProtocol {
    func dropPrefix(_ p: String) -> String { hasPrefix(p) ? String(dropFirst(p.count)) : String(self) }
}
