import Testing
import Tensors
import NumPyIO
#if canImport(Glibc)
import Glibc
#endif

/// Whether a tool a test needs works (`check` exits 0): tests skip with a message locally when it
/// does not, but on CI (`CI=true`, where scripts/setup.sh installs python3, numpy, unzip and file)
/// its absence fails.
func requireTool(_ check: String, _ name: String) -> Bool {
    if shell(check).0 == 0 { return true }
    let ci = getenv("CI").map { String(cString: $0) } ?? ""
    #expect(ci != "true" && ci != "1", "\(name) is required on CI (scripts/setup.sh installs it)")
    print("skipping: \(name) is not installed")
    return false
}

/// The zip structure of an `.npz`: every central-directory entry and the local file header it points
/// to must agree (readers such as numpy use the central directory; streaming readers and `unzip -t`
/// trust the local headers).
@Suite struct NPZArchiveTests {
    func u16(_ d: [UInt8], _ i: Int) -> Int { Int(d[i]) | Int(d[i + 1]) << 8 }
    func u32(_ d: [UInt8], _ i: Int) -> Int { (0..<4).reduce(0) { $0 | Int(d[i + $1]) << (8 * $1) } }

    func archive() -> NPZArchive {
        var a = NPZArchive()
        a.entries = [("h", NumPyArray(Tensor(shape: [3, 5], scalars: (0..<15).map { Float($0) * 0.25 }))),
                     ("counts", NumPyArray(ints: [1, 2, 3, 40_000], shape: [4])),
                     ("name", NumPyArray(string: "seqgen"))]
        return a
    }

    @Test(arguments: [false, true])
    func localAndCentralHeadersAgree(compressed: Bool) throws {
        let d = try archive().encode(compressed: compressed)
        // End of central directory: the last 22 bytes (no archive comment).
        let eocd = d.count - 22
        #expect(u32(d, eocd) == 0x0605_4B50)
        let entries = u16(d, eocd + 10), cdSize = u32(d, eocd + 12), cdOffset = u32(d, eocd + 16)
        #expect(entries == 3 && cdOffset + cdSize == eocd)
        var c = cdOffset
        var nextLocal = 0
        for _ in 0..<entries {
            #expect(u32(d, c) == 0x0201_4B50)
            let (method, crc, csize, usize) = (u16(d, c + 10), u32(d, c + 16), u32(d, c + 20), u32(d, c + 24))
            let (nameLength, extra, comment, local) = (u16(d, c + 28), u16(d, c + 30), u16(d, c + 32), u32(d, c + 42))
            let name = Array(d[(c + 46)..<(c + 46 + nameLength)])
            #expect(local == nextLocal, "entries are stored back to back from offset 0")
            #expect(u32(d, local) == 0x0403_4B50)
            #expect(u16(d, local + 8) == method, "compression method")
            #expect(u32(d, local + 14) == crc, "CRC-32")
            #expect(u32(d, local + 18) == csize, "compressed size")
            #expect(u32(d, local + 22) == usize, "uncompressed size")
            let localName = u16(d, local + 26), localExtra = u16(d, local + 28)
            #expect(localName == nameLength && Array(d[(local + 30)..<(local + 30 + localName)]) == name, "file name")
            #expect(method == (compressed ? 8 : 0))
            if !compressed { #expect(csize == usize) }
            nextLocal = local + 30 + localName + localExtra + csize
            c += 46 + nameLength + extra + comment
        }
        #expect(nextLocal == cdOffset, "the central directory follows the last entry's data")
    }

    @Test(arguments: [false, true])
    func unzipTestsTheArchiveClean(compressed: Bool) throws {
        guard requireTool("command -v unzip", "unzip") else { return }
        let path = temporaryPath("check.npz")
        try archive().write(to: path, compressed: compressed)
        let (status, out) = shell("unzip -t '\(path)'")
        #expect(status == 0, "unzip -t: \(out)")
        #expect(out.contains("No errors detected"), "\(out)")
        #expect(out.contains("h.npy") && out.contains("counts.npy") && out.contains("name.npy"))
    }
}
