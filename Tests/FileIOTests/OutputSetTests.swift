import Testing
import TestSupport
@testable import FileIO
#if canImport(Glibc)
import Glibc
#endif

private func scratchDirectory() -> String {
    temporaryDirectory()
}

private func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

private func listing(_ dir: String) -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

private func message(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch { return "\(error)" }
}

@Test func anExistingOutputIsRefusedBeforeAnyWorkUnlessForced() throws {
    let dir = scratchDirectory()
    try AtomicFile.write("old", to: dir + "/m.npz")
    #expect(message { try OutputSet(force: false).add(dir + "/m.npz") } == "\(dir)/m.npz: exists; pass --force to overwrite")
    let forced = OutputSet(force: true)
    try forced.add(dir + "/m.npz")
    forced.release()
}

@Test func anInputIsNeverAnOutputEvenWithForce() throws {
    let dir = scratchDirectory()
    try AtomicFile.write("alignment", to: dir + "/a.fa")
    // `fit a.fa -o ./a.fa --force`: one file named twice, declared once as an output
    let set = OutputSet(force: true)
    try set.add(dir + "/./a.fa")
    #expect(message { try set.refuseInputs(named: [dir + "/a.fa", "-o", dir + "/./a.fa", "--force"]) } == "\(dir)/./a.fa: is also an input of this command; give the output another name")
    set.release()
    // an existing output named only as the output (`--output=` too) is replaced with --force
    let alone = OutputSet(force: true)
    try alone.add(dir + "/a.fa")
    try alone.refuseInputs(named: ["m.npz", "--output=" + dir + "/a.fa"])
    alone.release()
    #expect(message { try OutputSet(force: false).add("") } == "'': an empty output name; give a file name")
}

@Test func aCheckpointPathNeverReplacesAnInputOrAnUnresumedFile() throws {
    let dir = scratchDirectory()
    let (input, ckpt) = (dir + "/a.fa", dir + "/m.ckpt.npz")
    try AtomicFile.write("alignment", to: input)
    try OutputSet(force: false).checkCheckpoint(ckpt, resume: nil, named: [input])        // none there yet
    try AtomicFile.write("state", to: ckpt)
    try OutputSet(force: false).checkCheckpoint(ckpt, resume: ckpt, named: [input, "--resume", ckpt])
    #expect(message { try OutputSet(force: false).checkCheckpoint(ckpt, resume: nil, named: [input]) }?
        .contains("exists (an earlier run's checkpoint?): continue that run with --resume") == true)
    try OutputSet(force: true).checkCheckpoint(ckpt, resume: nil, named: [input])
    for force in [false, true] {
        #expect(message { try OutputSet(force: force).checkCheckpoint(input, resume: nil, named: [input, "--checkpoint", input]) } ==
            "\(input): is also an input of this command; give the checkpoint another name (--checkpoint)")
    }
    #expect(exists(input) && exists(ckpt))
}

@Test func aMissingDirectoryOrADirectoryAsOutputIsRefused() {
    let dir = scratchDirectory()
    #expect(message { try OutputSet(force: false).add(dir + "/nope/m.npz") } == "\(dir)/nope/m.npz: directory '\(dir)/nope' does not exist")
    #expect(message { try OutputSet(force: true).add(dir) } == "\(dir): is a directory; give a file name for the output")
    #expect(message { try OutputSet(force: true).add(dir + "/sub/") }?.contains("is a directory") == true)
}

@Test func aSecondWriterOfTheSameOutputRefusesAtItsStart() throws {
    let dir = scratchDirectory(), out = dir + "/m.npz"
    let first = OutputSet(force: false)
    try first.add(out)
    #expect(exists(out + ".lock"))
    let refused = message { try OutputSet(force: true).add(out) }
    #expect(refused?.contains("is being written by another seqgen run (pid \(getpid()))") == true)
    first.release()
    #expect(!exists(out + ".lock"))
    let second = OutputSet(force: false)
    try second.add(out)             // free again
    second.release()
}

@Test func aLockLeftByADeadProcessIsTakenOver() throws {
    let dir = scratchDirectory(), out = dir + "/m.npz"
    try AtomicFile.write("2147483646\n", to: out + ".lock")     // no such process
    let set = OutputSet(force: false)
    try set.add(out)
    #expect(OutputSet.lockOwner(out + ".lock") == getpid())
    set.release()
}

@Test func aSetIsWrittenAllOrNothingWhenTheDiskFills() throws {
    let dir = scratchDirectory()
    let paths = [dir + "/x.csv", dir + "/x.mat", dir + "/x.npy"]
    let set = OutputSet(force: false)
    try set.add(group: paths)
    let failure = message {
        try AtomicFile.$simulatedDisk.withValue(.init(capacity: 20)) {
            try set.write {
                try AtomicFile.write("i,j\n1,2\n", to: paths[0])                       // 8 bytes: fits
                try AtomicFile.write("0 1\n1 0\n", to: paths[1])                       // 8 bytes: fits
                try AtomicFile.write([UInt8](repeating: 7, count: 100), to: paths[2])   // the disk is full
            }
        }
    }
    #expect(failure == "\(paths[2]): write failed: No space left on device")
    set.release()
    #expect(listing(dir) == [], "no output, no temporary file and no lock is left: \(listing(dir))")
    // The rerun needs no --force and writes the whole set.
    let rerun = OutputSet(force: false)
    try rerun.add(group: paths)
    try rerun.write { for p in paths { try AtomicFile.write("ok", to: p, overwrite: false) } }
    rerun.release()
    #expect(listing(dir) == ["x.csv", "x.mat", "x.npy"])
}

@Test func aHalfWrittenSetIsReplacedWithoutForceButAWholeOneIsNot() throws {
    let dir = scratchDirectory()
    let paths = [dir + "/x.csv", dir + "/x.npy"]
    try AtomicFile.write("old", to: paths[0])               // what an older, non-atomic run left
    let set = OutputSet(force: false)
    try set.add(group: paths)
    #expect(set.notes.count == 1 && set.notes[0].contains("incomplete output set"))
    try set.write { for p in paths { try AtomicFile.write("new", to: p, overwrite: false) } }
    set.release()
    #expect(message { try OutputSet(force: false).add(group: paths) } == "\(paths[0]): exists; pass --force to overwrite")
}

@Test func aFailingBlockLeavesTheOldOutputsAsTheyWere() throws {
    let dir = scratchDirectory(), out = dir + "/m.npz"
    try AtomicFile.write("precious", to: out)
    struct Late: Error {}
    let set = OutputSet(force: true)
    try set.add(out)
    #expect(throws: Late.self) { try set.write { try AtomicFile.write("new", to: out); throw Late() } }
    set.release()
    let f = fopen(out, "r")!; defer { fclose(f) }
    var buffer = [CChar](repeating: 0, count: 16)
    fgets(&buffer, 16, f)
    #expect(String(nulTerminated: buffer) == "precious")
    #expect(listing(dir) == ["m.npz"])
}
