import Tensors

/// An n-dimensional array as NumPy stores it: a dtype, a shape and little-endian C-order bytes.
/// seqgen writes `<f4` tensors, `<f8` real and `<i8` integer scalars and arrays, `|u1` bytes and
/// `<U` unicode strings (so `np.load(f)["focus_name"].item()` is a `str`); it reads those and `|S`
/// byte strings (the encoding of files written before), `<i4`, `<i2`, `|i1`, `|b1`, `<u2/4/8`,
/// big-endian and Fortran-order variants.
public struct NumPyArray: Equatable, Sendable {
    public enum DType: Equatable, Sendable {
        case float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool
        /// Fixed-width byte strings `|S<n>` (n bytes each).
        case bytes(Int)
        /// Fixed-width unicode strings `<U<n>`: n UTF-32LE code points each, NUL-padded.
        case unicode(Int)

        public var itemSize: Int {
            switch self {
            case .int8, .uint8, .bool: 1
            case .int16, .uint16: 2
            case .float32, .int32, .uint32: 4
            case .float64, .int64, .uint64: 8
            case .bytes(let n): n
            case .unicode(let n): 4 * n
            }
        }

        /// The descr string, e.g. "<f4".
        public var descr: String {
            switch self {
            case .float32: "<f4"
            case .float64: "<f8"
            case .int8: "|i1"
            case .int16: "<i2"
            case .int32: "<i4"
            case .int64: "<i8"
            case .uint8: "|u1"
            case .uint16: "<u2"
            case .uint32: "<u4"
            case .uint64: "<u8"
            case .bool: "|b1"
            case .bytes(let n): "|S\(n)"
            case .unicode(let n): "<U\(n)"
            }
        }

        /// Parses a descr; returns the dtype and whether its bytes are big-endian.
        static func parse(_ descr: String) -> (DType, bigEndian: Bool)? {
            guard descr.count >= 2 else { return nil }
            let order = descr.first!
            let code = String(descr.dropFirst())
            let big = order == ">"
            guard order == "<" || order == ">" || order == "|" || order == "=" else { return nil }
            let table: [String: DType] = ["f4": .float32, "f8": .float64, "i1": .int8, "i2": .int16, "i4": .int32,
                                          "i8": .int64, "u1": .uint8, "u2": .uint16, "u4": .uint32, "u8": .uint64, "b1": .bool]
            if let t = table[code] { return (t, big) }
            if code.hasPrefix("S"), let n = Int(code.dropFirst()), n > 0 { return (.bytes(n), false) }
            if code.hasPrefix("U"), let n = Int(code.dropFirst()), n > 0, n < 1 << 28 { return (.unicode(n), big) }
            return nil
        }
    }

    public var dtype: DType
    public var shape: [Int]
    /// Little-endian, C-order element bytes (count = Π shape · itemSize).
    public var bytes: [UInt8]

    public init(dtype: DType, shape: [Int], bytes: [UInt8]) {
        precondition(bytes.count == shape.reduce(1, *) * dtype.itemSize, "NumPyArray: byte count does not match \(shape) × \(dtype.itemSize)")
        self.dtype = dtype; self.shape = shape; self.bytes = bytes
    }

    public init(_ tensor: Tensor) {
        self.init(dtype: .float32, shape: tensor.shape, bytes: tensor.scalars.withUnsafeBytes { Array($0) })
    }

    public init(floats: [Float], shape: [Int]) { self.init(Tensor(shape: shape, scalars: floats)) }

    public init(doubles: [Double], shape: [Int]) {
        self.init(dtype: .float64, shape: shape, bytes: doubles.withUnsafeBytes { Array($0) })
    }

    public init(ints: [Int], shape: [Int]) {
        let v = ints.map { Int64($0) }
        self.init(dtype: .int64, shape: shape, bytes: v.withUnsafeBytes { Array($0) })
    }

    public init(uint8: [UInt8], shape: [Int]) { self.init(dtype: .uint8, shape: shape, bytes: uint8) }

    /// A 0-d integer (`<i8`): `np.load(...)["key"]` is an int64 scalar.
    public init(int: Int) { self.init(ints: [int], shape: []) }

    /// A 0-d unicode string `<U<n>` (`np.load(...)["key"].item()` is the `str`; `str(...)` too).
    public init(string: String) {
        self.init(strings: [string], shape: [])
    }

    /// A (count,) unicode array `<U<n>`, n = the longest string's code points (≥ 1), NUL-padded.
    public init(strings: [String]) { self.init(strings: strings, shape: [strings.count]) }

    private init(strings: [String], shape: [Int]) {
        let points = strings.map { Array($0.unicodeScalars) }
        let width = Swift.max(1, points.map(\.count).max() ?? 1)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(points.count * width * 4)
        for p in points {
            for k in 0..<width {
                let v = k < p.count ? p[k].value : 0
                bytes += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
            }
        }
        self.init(dtype: .unicode(width), shape: shape, bytes: bytes)
    }

    /// A 0-d byte string `|S<n>`, the encoding seqgen wrote before unicode strings (kept to write
    /// old-format files in tests; readers accept both).
    public init(byteString string: String) {
        let b = Array(string.utf8)
        self.init(dtype: .bytes(Swift.max(b.count, 1)), shape: [], bytes: b.isEmpty ? [0] : b)
    }

    public var count: Int { shape.reduce(1, *) }

    private func load<T>(_ type: T.Type, _ i: Int) -> T {
        bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self) }
    }

    /// Element k converted to Double (numeric dtypes).
    public func double(at k: Int) -> Double {
        switch dtype {
        case .float32: Double(load(Float.self, k))
        case .float64: load(Double.self, k)
        case .int8: Double(load(Int8.self, k))
        case .int16: Double(load(Int16.self, k))
        case .int32: Double(load(Int32.self, k))
        case .int64: Double(load(Int64.self, k))
        case .uint8, .bool: Double(bytes[k])
        case .uint16: Double(load(UInt16.self, k))
        case .uint32: Double(load(UInt32.self, k))
        case .uint64: Double(load(UInt64.self, k))
        case .bytes, .unicode: .nan
        }
    }

    /// The array as a Float tensor (numeric dtypes are converted).
    public func tensor() throws -> Tensor {
        if case .bytes = dtype { throw NumPyError("a byte-string array cannot become a tensor") }
        if case .unicode = dtype { throw NumPyError("a string array cannot become a tensor") }
        if dtype == .float32 {
            return Tensor(shape: shape, scalars: bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        }
        return Tensor(shape: shape, scalars: (0..<count).map { Float(double(at: $0)) })
    }

    /// The array as integers (integer and bool dtypes).
    public func ints() throws -> [Int] {
        switch dtype {
        case .float32, .float64, .bytes, .unicode: throw NumPyError("expected an integer array, found \(dtype.descr)")
        case .int64: return (0..<count).map { Int(load(Int64.self, $0)) }                 // exact (no round trip through Double)
        case .uint64: return (0..<count).map { Int(truncatingIfNeeded: load(UInt64.self, $0)) }
        default: return (0..<count).map { Int(double(at: $0)) }
        }
    }

    /// The text of a string array: unicode (`<U`) or byte (`|S`, or `|u1`/`|i1` bytes) strings,
    /// trailing NULs dropped, elements joined.
    public func string() throws -> String {
        switch dtype {
        case .unicode, .bytes: return try strings().joined()
        case .uint8, .int8: return String(decoding: bytes.filter { $0 != 0 }, as: UTF8.self)
        default: throw NumPyError("expected a string array, found \(dtype.descr)")
        }
    }

    /// The elements of a unicode or byte-string array, each without its NUL padding.
    public func strings() throws -> [String] {
        switch dtype {
        case .bytes(let n):
            return (0..<count).map { k in String(decoding: bytes[(k * n)..<((k + 1) * n)].filter { $0 != 0 }, as: UTF8.self) }
        case .unicode(let n):
            return try (0..<count).map { k in
                var text = String.UnicodeScalarView()
                for c in 0..<n {
                    let o = (k * n + c) * 4
                    let v = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
                    if v == 0 { continue }
                    guard let u = Unicode.Scalar(v) else { throw NumPyError("invalid code point \(v) in a \(dtype.descr) string") }
                    text.append(u)
                }
                return String(text)
            }
        default: throw NumPyError("expected a string array, found \(dtype.descr)")
        }
    }

    /// A list of names stored either as a (n,) string array or, as older files did, one string
    /// joined by `separator`.
    public func names(separator: Character = ",") throws -> [String] {
        if shape.isEmpty, case .bytes = dtype { return try string().split(separator: separator).map(String.init) }
        return try strings()
    }
}

/// Malformed or unsupported NumPy data.
public struct NumPyError: Error, CustomStringConvertible {
    public let problem: String
    public init(_ problem: String) { self.problem = problem }
    public var description: String { problem }
}
