import Testing
import TestSupport
import Tensors
@testable import NumPyIO
import Glibc

@Suite struct NPZStreamWriterTests {
    static func scratch(_ name: String) -> String {
        temporaryDirectory() + "/" + name
    }

    /// Removes a `scratch` file and its folder.
    static func remove(_ path: String) {
        unlink(path)
        rmdir(String(path[..<path.lastIndex(of: "/")!]))
    }

    static func bytes(_ path: String) -> [UInt8] {
        guard let f = fopen(path, "rb") else { return [] }
        defer { fclose(f) }
        var out: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true { let n = fread(&buffer, 1, buffer.count, f); if n <= 0 { break }; out += buffer[0..<n] }
        return out
    }

    /// Streamed from the caller's vectors, the archive is byte for byte what `NPZArchive.encode`
    /// writes for the same arrays (so model files stay byte-identical).
    @Test func streamedArchiveEqualsTheEncodedOne() throws {
        let (x, s0, s1) = ([Float](repeating: 1.5, count: 7), (0..<5).map { Float($0) }, (0..<5).map { -Float($0) })
        var a = NPZArchive()
        a["name"] = NumPyArray(string: "potts")
        a["x"] = NumPyArray(floats: x, shape: [7])
        a["s"] = NumPyArray(floats: s0 + s1, shape: [2, 5])
        a["n"] = NumPyArray(ints: [3], shape: [])
        let path = Self.scratch("a.npz")
        defer { Self.remove(path) }
        try NPZStreamWriter.write(to: path) { npz in
            try npz.add("name", NumPyArray(string: "potts"))
            try npz.add("x", floats: [x], shape: [7])
            try npz.add("s", floats: [s0, s1], shape: [2, 5])
            try npz.add("n", NumPyArray(ints: [3], shape: []))
        }
        #expect(Self.bytes(path) == (try a.encode()))
    }

    /// With zip64 fields forced on every entry, offset and the end records, `NPZArchive.read`
    /// (as numpy) reads the same arrays back: the path a checkpoint of L ≈ 1000 takes past 4 GiB.
    @Test func zip64FieldsReadBack() throws {
        let x = (0..<300).map { Float($0) / 7 }
        let path = Self.scratch("z.npz")
        defer { Self.remove(path) }
        try NPZStreamWriter.write(to: path, overwrite: true, zip64From: 100) { npz in
            try npz.add("x", floats: [x], shape: [300])
            try npz.add("small", NumPyArray(ints: [1, 2], shape: [2]))
            try npz.add("s", floats: [x, x], shape: [2, 300])
        }
        let back = try NPZArchive.read(path)
        #expect(back.names == ["x", "small", "s"])
        #expect(try back.require("x").tensor().scalars == x)
        #expect(try back.require("s").tensor().scalars == x + x)
        #expect(try back.require("small").ints() == [1, 2])
    }

    /// Deflated entries: byte for byte what `NPZArchive.encode(compressed: true)` writes (the
    /// deflate stream does not depend on feeding the header and the parts separately), and read
    /// back — also with zip64 fields on every entry, whose sizes then differ (stored < original).
    @Test func compressedEntriesEqualTheEncodedOnesAndReadBack() throws {
        let oneHot = (0..<4000).map { Float(($0 * 7 / 3) % 4 == 0 ? 1 : 0) }
        let (a0, a1) = (Array(oneHot[..<1500]), Array(oneHot[1500...]))
        var a = NPZArchive()
        a["X"] = NumPyArray(floats: oneHot, shape: [10, 4, 100])
        a["empty"] = NumPyArray(floats: [], shape: [0, 4])
        a["names"] = NumPyArray(strings: ["t0", "t1"])
        let path = Self.scratch("c.npz")
        defer { Self.remove(path) }
        try NPZStreamWriter.write(to: path) { npz in
            try npz.add("X", floats: [a0, a1], shape: [10, 4, 100], compressed: true)
            try npz.add("empty", floats: [], shape: [0, 4], compressed: true)
            try npz.add("names", NumPyArray(strings: ["t0", "t1"]), compressed: true)
        }
        let written = Self.bytes(path)
        #expect(written == (try a.encode(compressed: true)))
        #expect(written.count < 4000)                      // deflated: 16,000 bytes of floats
        let big = Self.scratch("cz.npz")
        defer { Self.remove(big) }
        try NPZStreamWriter.write(to: big, overwrite: true, zip64From: 100) { npz in
            try npz.add("X", floats: [a0, a1], shape: [10, 4, 100], compressed: true)
            try npz.add("names", NumPyArray(strings: ["t0", "t1"]), compressed: true)
        }
        let back = try NPZArchive.read(big)
        #expect(back.names == ["X", "names"])
        #expect(try back.require("X").tensor().scalars == oneHot && back.require("X").shape == [10, 4, 100])
        #expect(try back.require("names").strings() == ["t0", "t1"])
    }
}
