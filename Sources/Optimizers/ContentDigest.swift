/// FNV-1a (64-bit) over bytes: names a checkpoint's input by its content, so that a moved or
/// relinked file resumes and a changed one (one residue, one label) is refused. Not a
/// cryptographic hash: it guards against mistakes, not adversaries.
public struct ContentDigest: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    public mutating func add(_ bytes: some Sequence<UInt8>) {
        var h = value
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        value = h
    }

    /// The bytes of `values` as they lie in memory (Float: IEEE little-endian on every platform seqgen runs on).
    public mutating func add(floats values: [Float]) {
        values.withUnsafeBytes { add($0) }
    }

    public var hex: String { String(value, radix: 16) }
}
