import Testing
import TestSupport
import Tensors
import NumPyIO
import FileIO
#if canImport(Glibc)
import Glibc
#endif

func temporaryPath(_ name: String) -> String {
    temporaryDirectory() + "/" + name
}

/// Runs a shell command; returns (exit status, stdout).
func shell(_ command: String) -> (Int32, String) {
    guard let p = popen(command + " 2>&1", "r") else { return (-1, "") }
    var out = ""
    var buf = [CChar](repeating: 0, count: 4096)
    while fgets(&buf, 4096, p) != nil { out += String(nulTerminated: buf) }
    return (pclose(p) >> 8, out)
}

/// Whether tests that need python3 + numpy can run: they skip with a message locally, but on CI
/// (`CI=true`) a missing numpy is a failure, not a silent skip.
func requireNumPy() -> Bool { requireTool("python3 -c 'import numpy'", "python3 with numpy") }

@Suite struct NumPyIOTests {
    @Test func npyRoundTripsEveryWrittenDType() throws {
        var rng = RandomGenerator(seed: 1)
        let arrays = [
            NumPyArray(Tensor.normal([3, 4, 5], using: &rng)),
            NumPyArray(ints: [1, -2, 1 << 40], shape: [3]),
            NumPyArray(uint8: [0, 255, 7, 9], shape: [2, 2]),
            NumPyArray(doubles: [1.5, -2.25], shape: [2, 1]),
            NumPyArray(string: "ACDEFGHIKLMNPQRSTVWY-"),
            NumPyArray(string: ""),
            NumPyArray(strings: ["CEBPB", "|i−j| ≥ 6", "x"]),
            NumPyArray(byteString: "ACGT"),
            NumPyArray(int: 42),
            NumPyArray(Tensor(3.5)),
        ]
        for a in arrays {
            let b = try NPYFormat.decode(NPYFormat.encode(a))
            #expect(a == b)
        }
        #expect(try NPYFormat.decode(NPYFormat.encode(NumPyArray(string: "hi"))).string() == "hi")
    }

    @Test func headerIsPaddedToSixtyFourBytes() {
        let bytes = NPYFormat.encode(NumPyArray(Tensor([1, 2, 3])))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes[10 + headerLength - 1] == 0x0A)
    }

    @Test func readsFortranOrderAndBigEndian() throws {
        // A 2×3 float32 array [[1,2,3],[4,5,6]] stored Fortran-order, big-endian.
        var header = "{'descr': '>f4', 'fortran_order': True, 'shape': (2, 3), }"
        header += String(repeating: " ", count: 128 - 10 - header.utf8.count - 1) + "\n"
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
        for v: Float in [1, 4, 2, 5, 3, 6] { bytes += withUnsafeBytes(of: v.bitPattern.bigEndian) { Array($0) } }
        let t = try NPYFormat.decode(bytes).tensor()
        #expect(t.shape == [2, 3])
        #expect(t.scalars == [1, 2, 3, 4, 5, 6])
    }

    @Test func npzRoundTripsStoredAndDeflated() throws {
        var rng = RandomGenerator(seed: 2)
        let archive = NPZArchive([("J", NumPyArray(Tensor.normal([4, 4, 3, 3], using: &rng))),
                                  ("alphabet", NumPyArray(string: "ACGT")),
                                  ("iterations", NumPyArray(ints: [42], shape: []))])
        for compressed in [false, true] {
            let back = try NPZArchive.decode(archive.encode(compressed: compressed))
            #expect(back.names == ["J", "alphabet", "iterations"])
            #expect(back["J"] == archive["J"])
            #expect(try back["iterations"]!.ints() == [42])
        }
    }

    @Test func corruptInputsAreErrorsNotCrashes() throws {
        let good = try NPZArchive([("x", NumPyArray(Tensor([1, 2, 3])))]).encode(compressed: true)
        var rng = RandomGenerator(seed: 3)
        for trial in 0..<2000 {
            var bad = good
            if trial % 2 == 0 { bad = Array(bad.prefix(rng.int(below: bad.count))) }
            else { for _ in 0..<3 { bad[rng.int(below: bad.count)] = UInt8(truncatingIfNeeded: rng.next()) } }
            _ = try? NPZArchive.decode(bad)      // must return or throw, never trap
        }
        let npy = NPYFormat.encode(NumPyArray(Tensor([1, 2, 3])))
        for cut in 0..<npy.count { #expect(throws: (any Error).self) { _ = try NPYFormat.decode(Array(npy.prefix(cut))) } }
    }

    @Test func filesWrittenBySeqgenLoadInNumPy() throws {
        guard requireNumPy() else { return }
        let npy = temporaryPath("a.npy"), npz = temporaryPath("b.npz")
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5.5, -6])
        try NPYFormat.write(NumPyArray(t), to: npy)
        try NPZArchive([("h", NumPyArray(t)), ("name", NumPyArray(string: "DYR_ECOLI")), ("names", NumPyArray(strings: ["a", "βγ", ""])),
                        ("count", NumPyArray(int: 7))]).write(to: npz, compressed: true)
        let script = """
        import numpy as np
        a = np.load('\(npy)'); z = np.load('\(npz)')
        assert a.dtype == np.float32 and a.shape == (2, 3) and a[1, 2] == -6 and a[1, 1] == 5.5
        assert (z['h'] == a).all() and z['name'].dtype == np.dtype('<U9') and z['name'].shape == ()
        assert isinstance(z['name'].item(), str) and z['name'].item() == 'DYR_ECOLI' and str(z['name']) == 'DYR_ECOLI'
        assert z['names'].tolist() == ['a', 'βγ', ''] and z['names'].dtype == np.dtype('<U2')
        assert z['count'].dtype == np.int64 and isinstance(z['count'].item(), int) and z['count'] == 7
        np.savez('\(npz).np.npz', x=np.arange(6, dtype=np.float64).reshape(2, 3).T, y=np.array([7], dtype=np.int32),
                 s=np.array('TADBIT ω'), l=np.array(['ab', 'c']), b=np.array(b'old'), big=np.array(['xy'], dtype='>U3'))
        np.savez_compressed('\(npz).npc.npz', x=np.ones((3, 2), dtype=np.float32))
        print('ok')
        """
        let (status, out) = shell("python3 -c \"\(script)\"")
        #expect(status == 0, "python: \(out)")
        let fromNumPy = try NPZArchive.read(npz + ".np.npz")
        #expect(try fromNumPy.require("x").tensor().scalars == [0, 3, 1, 4, 2, 5])
        #expect(try fromNumPy.require("y").ints() == [7])
        #expect(try fromNumPy.require("s").string() == "TADBIT ω")
        #expect(try fromNumPy.require("l").strings() == ["ab", "c"])
        #expect(try fromNumPy.require("b").string() == "old")
        #expect(try fromNumPy.require("big").strings() == ["xy"])
        #expect(try NPZArchive.read(npz + ".npc.npz").require("x").tensor().scalars == [1, 1, 1, 1, 1, 1])
    }

    @Test func stringsAreUTF32UnicodeArraysAndOldByteStringsStillRead() throws {
        let u = NumPyArray(string: "seq2635")
        #expect(u.dtype == .unicode(7) && u.shape == [] && u.bytes.count == 28)
        #expect(Array(NPYFormat.encode(u)[10..<40]).starts(with: Array("{'descr': '<U7'".utf8)))
        #expect(u.bytes[0..<8] == [0x73, 0, 0, 0, 0x65, 0, 0, 0])           // 's', 'e' as UTF-32LE
        let list = NumPyArray(strings: ["Arid3a", "SP1"])
        #expect(list.dtype == .unicode(6) && list.shape == [2])
        #expect(try list.strings() == ["Arid3a", "SP1"])
        #expect(try list.names() == ["Arid3a", "SP1"])
        #expect(try NumPyArray(byteString: "Arid3a,SP1").names() == ["Arid3a", "SP1"])     // the old comma-joined form
        #expect(try NumPyArray(byteString: "DYR_ECOLI").string() == "DYR_ECOLI")
        #expect(throws: (any Error).self) { _ = try u.tensor() }
        #expect(throws: (any Error).self) { _ = try NumPyArray(floats: [1], shape: [1]).strings() }
        let n = NumPyArray(int: -3)
        #expect(n.dtype == .int64 && n.shape == [])
        #expect(try n.ints() == [-3])
    }

    @Test func atomicWriteNeverTruncatesAnExistingFileOnRefusal() throws {
        let path = temporaryPath("keep.txt")
        try AtomicFile.write("first", to: path)
        #expect(throws: FileIOError.self) { try AtomicFile.write("second", to: path, overwrite: false) }
        #expect(try CompressedReader.readBytes(path) == Array("first".utf8))
        #expect(shell("ls \(path).tmp-* 2>/dev/null | wc -l").1.trimmingCharacters == "0")
    }

    @Test func compressedReaderReadsGzipAndDetectsTruncation() throws {
        let plain = temporaryPath("x.txt")
        try AtomicFile.write(">a\nACGT\r\n>b\nTT", to: plain)
        #expect(shell("gzip -k \(plain)").0 == 0)
        for path in [plain, plain + ".gz"] {
            let r = try CompressedReader(path: path)
            var lines: [String] = []
            while let l = try r.readLine() { lines.append(l) }
            #expect(lines == [">a", "ACGT", ">b", "TT"])
        }
        // A long file, then cut its gzip stream in half.
        let big = temporaryPath("big.txt")
        try AtomicFile.write(String(repeating: "ACDEFGHIKLMNPQRSTVWY\n", count: 50_000), to: big)
        #expect(shell("gzip -k \(big) && head -c $(( $(stat -c %s \(big).gz) / 2 )) \(big).gz > \(big).cut.gz").0 == 0)
        #expect(throws: FileIOError.self) {
            let r = try CompressedReader(path: big + ".cut.gz")
            while try r.readLine() != nil {}
        }
    }
}

extension String {
    var trimmingCharacters: String { String(filter { !$0.isWhitespace }) }
}

@Suite struct NPZHardeningTests {
    /// Found by the npz fuzz target: a deflated entry whose zip64 field declares a size far beyond
    /// what its compressed bytes can hold made the reader allocate gigabytes. Now it is an error.
    @Test func declaredSizesBeyondTheDataAreErrors() throws {
        let path = "Tests/FuzzCorpus/npz/regression-oom-declared-size"
        guard let f = fopen(path, "rb") else { Issue.record("missing \(path) (run from the package root)"); return }
        var bytes: [UInt8] = []
        var c = fgetc(f)
        while c != EOF { bytes.append(UInt8(c)); c = fgetc(f) }
        fclose(f)
        #expect(throws: NumPyError.self) { _ = try NPZArchive.decode(bytes) }
        // 64-bit offsets beyond the file are errors, not Int overflows.
        var huge = try NPZArchive([("a", NumPyArray(floats: [1, 2], shape: [2]))]).encode()
        let eocd = huge.count - 22
        for k in 0..<4 { huge[eocd + 16 + k] = 0xFF }                 // central directory offset 0xFFFFFFFF
        #expect(throws: NumPyError.self) { _ = try NPZArchive.decode(huge) }
    }
}
