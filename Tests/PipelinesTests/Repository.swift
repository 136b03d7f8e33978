import Sequences
@_exported import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The repository's own files (`data/example.a3m`), found from this file's path.
enum Repository {
    static let root: String = "/" + "\(#filePath)".split(separator: "/").dropLast(3).joined(separator: "/")
    static func path(_ relative: String) -> String { root + "/" + relative }

    /// The example alignment as `seqgen fit` reads it with default options.
    static func exampleAlignment(dropNonstandard: Bool = false) throws -> MultipleSequenceAlignment {
        AlignmentFilter().apply(try AlignmentReader(dropsNonstandardSequences: dropNonstandard).read(path("data/example.a3m")))
    }
}

/// The bytes of a file.
func fileBytes(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { return [] }
    defer { fclose(f) }
    var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// 64-bit FNV-1a of `bytes` (Python: h = 0xcbf29ce484222325; h = ((h ^ b) * 0x100000001b3) mod 2⁶⁴).
func fnv1a(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf29ce484222325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    return h
}
