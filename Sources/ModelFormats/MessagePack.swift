/// The subset of MessagePack (https://github.com/msgpack/msgpack/blob/master/spec.md) that model
/// files use: nil, booleans, integers, float32/float64, strings, binary, arrays and maps (maps keep
/// their order). The encoder picks the smallest encoding of every integer, string, array and map
/// header, as msgpack-c's packers do, so a file written here has the bytes CCMpred's writer gives.
public indirect enum MessagePackValue: Equatable, Sendable {
    case none
    case bool(Bool)
    case int(Int64)
    case float(Float)
    case double(Double)
    case string(String)
    case binary([UInt8])
    case array([MessagePackValue])
    case map([(MessagePackValue, MessagePackValue)])

    public static func == (a: MessagePackValue, b: MessagePackValue) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.float(x), .float(y)): return x.bitPattern == y.bitPattern
        case let (.double(x), .double(y)): return x.bitPattern == y.bitPattern
        case let (.string(x), .string(y)): return x == y
        case let (.binary(x), .binary(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.map(x), .map(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value under `key` of a map with string keys.
    public subscript(key: String) -> MessagePackValue? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.0 == .string(key) }?.1
    }

    /// A number as Double (integers and floats).
    public var number: Double? {
        switch self {
        case .int(let v): Double(v)
        case .float(let v): Double(v)
        case .double(let v): v
        default: nil
        }
    }
}

/// MessagePack encoding (big-endian, smallest headers).
public struct MessagePackWriter {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    mutating func be<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.bigEndian) { bytes += $0 } }

    public mutating func pack(_ value: MessagePackValue) {
        switch value {
        case .none: bytes.append(0xc0)
        case .bool(let b): bytes.append(b ? 0xc3 : 0xc2)
        case .int(let v): packInt(v)
        case .float(let v): bytes.append(0xca); be(v.bitPattern)
        case .double(let v): bytes.append(0xcb); be(v.bitPattern)
        case .string(let s):
            let utf8 = Array(s.utf8)
            header(utf8.count, fix: 0xa0, fixLimit: 32, eight: 0xd9, sixteen: 0xda, thirtyTwo: 0xdb)
            bytes += utf8
        case .binary(let b):
            header(b.count, fix: nil, fixLimit: 0, eight: 0xc4, sixteen: 0xc5, thirtyTwo: 0xc6)
            bytes += b
        case .array(let items):
            header(items.count, fix: 0x90, fixLimit: 16, eight: nil, sixteen: 0xdc, thirtyTwo: 0xdd)
            for item in items { pack(item) }
        case .map(let pairs):
            header(pairs.count, fix: 0x80, fixLimit: 16, eight: nil, sixteen: 0xde, thirtyTwo: 0xdf)
            for (k, v) in pairs { pack(k); pack(v) }
        }
    }

    /// msgpack-c's choice: positive fixint, uint8/16/32/64 for non-negative values; negative fixint,
    /// int8/16/32/64 for negative ones.
    mutating func packInt(_ v: Int64) {
        if v >= 0 {
            if v < 128 { bytes.append(UInt8(v)) }
            else if v < 256 { bytes.append(0xcc); bytes.append(UInt8(v)) }
            else if v < 65_536 { bytes.append(0xcd); be(UInt16(v)) }
            else if v < 4_294_967_296 { bytes.append(0xce); be(UInt32(v)) }
            else { bytes.append(0xcf); be(UInt64(v)) }
        } else {
            if v >= -32 { bytes.append(UInt8(bitPattern: Int8(v))) }
            else if v >= -128 { bytes.append(0xd0); bytes.append(UInt8(bitPattern: Int8(v))) }
            else if v >= -32_768 { bytes.append(0xd1); be(Int16(v)) }
            else if v >= -2_147_483_648 { bytes.append(0xd2); be(Int32(v)) }
            else { bytes.append(0xd3); be(v) }
        }
    }

    mutating func header(_ n: Int, fix: UInt8?, fixLimit: Int, eight: UInt8?, sixteen: UInt8, thirtyTwo: UInt8) {
        if let fix, n < fixLimit { bytes.append(fix | UInt8(n)) }
        else if let eight, n < 256 { bytes.append(eight); bytes.append(UInt8(n)) }
        else if n < 65_536 { bytes.append(sixteen); be(UInt16(n)) }
        else { bytes.append(thirtyTwo); be(UInt32(n)) }
    }
}

/// MessagePack decoding with a clear error (the byte offset) for truncated or unknown data.
public struct MessagePackReader {
    let data: [UInt8], path: String
    public private(set) var offset = 0
    public init(_ data: [UInt8], path: String) { self.data = data; self.path = path }

    public var atEnd: Bool { offset == data.count }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, offset + n <= data.count else {
            throw ModelFormatError(path: path, "MessagePack data ends at byte \(data.count) inside a value starting before byte \(offset + n) (truncated)")
        }
        defer { offset += n }
        return data[offset..<(offset + n)]
    }

    mutating func be(_ n: Int) throws -> UInt64 { try take(n).reduce(0) { $0 << 8 | UInt64($1) } }

    public mutating func read(depth: Int = 0) throws -> MessagePackValue {
        guard depth < 64 else { throw ModelFormatError(path: path, "MessagePack nested more than 64 levels at byte \(offset)") }
        let start = offset
        let t = try take(1).first!
        switch t {
        case 0x00...0x7f: return .int(Int64(t))
        case 0x80...0x8f: return try map(Int(t & 0x0f), depth)
        case 0x90...0x9f: return try array(Int(t & 0x0f), depth)
        case 0xa0...0xbf: return try string(Int(t & 0x1f))
        case 0xc0: return .none
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xc4, 0xc5, 0xc6: return .binary(Array(try take(Int(try be(1 << Int(t - 0xc4))))))
        case 0xca: return .float(Float(bitPattern: UInt32(try be(4))))
        case 0xcb: return .double(Double(bitPattern: try be(8)))
        case 0xcc, 0xcd, 0xce: return .int(Int64(try be(1 << Int(t - 0xcc))))
        case 0xcf:
            let v = try be(8)
            guard v <= UInt64(Int64.max) else { throw ModelFormatError(path: path, "MessagePack integer at byte \(start) exceeds 2⁶³ − 1") }
            return .int(Int64(v))
        case 0xd0: return .int(Int64(Int8(truncatingIfNeeded: try be(1))))
        case 0xd1: return .int(Int64(Int16(truncatingIfNeeded: try be(2))))
        case 0xd2: return .int(Int64(Int32(truncatingIfNeeded: try be(4))))
        case 0xd3: return .int(Int64(bitPattern: try be(8)))
        case 0xd9, 0xda, 0xdb: return try string(Int(try be(1 << Int(t - 0xd9))))
        case 0xdc, 0xdd: return try array(Int(try be(t == 0xdc ? 2 : 4)), depth)
        case 0xde, 0xdf: return try map(Int(try be(t == 0xde ? 2 : 4)), depth)
        case 0xe0...0xff: return .int(Int64(Int8(bitPattern: t)))
        default: throw ModelFormatError(path: path, "MessagePack type byte 0x\(String(t, radix: 16)) at byte \(start) is not supported (extension types are not)")
        }
    }

    mutating func string(_ n: Int) throws -> MessagePackValue {
        let start = offset
        let bytes = try take(n), s = String(decoding: bytes, as: UTF8.self)
        guard s.utf8.elementsEqual(bytes) else { throw ModelFormatError(path: path, "MessagePack string at byte \(start) is not UTF-8") }
        return .string(s)
    }

    mutating func array(_ n: Int, _ depth: Int) throws -> MessagePackValue {
        guard n <= data.count - offset else { throw ModelFormatError(path: path, "MessagePack array of \(n) items at byte \(offset) is longer than the data (truncated)") }
        var items: [MessagePackValue] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try read(depth: depth + 1)) }
        return .array(items)
    }

    mutating func map(_ n: Int, _ depth: Int) throws -> MessagePackValue {
        guard n <= data.count - offset else { throw ModelFormatError(path: path, "MessagePack map of \(n) pairs at byte \(offset) is longer than the data (truncated)") }
        var pairs: [(MessagePackValue, MessagePackValue)] = []
        pairs.reserveCapacity(n)
        for _ in 0..<n { pairs.append((try read(depth: depth + 1), try read(depth: depth + 1))) }
        return .map(pairs)
    }
}
