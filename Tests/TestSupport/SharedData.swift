#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the test targets (`TestSupport`, a library only tests depend on).
///
/// Real public data beside the checkout (`../shared/data`). Tests call `SharedData.path`, which
/// returns nil — after printing why — when the folder is absent, and the test then returns early.
public enum SharedData {
    public static let root: String = {
        let file = "\(#filePath)"
        let repo = file.split(separator: "/").dropLast(3).joined(separator: "/")
        return "/" + repo + "/../shared/data"
    }()

    public static func path(_ relative: String) -> String? {
        let p = root + "/" + relative
        if access(p, R_OK) == 0 { return p }
        print("skipping: shared data file \(relative) is absent (expected at \(root))")
        return nil
    }
}

/// A fresh folder for one test's files, inside the test process's scratch root (`/tmp/seqgen-tests-…`),
/// which is removed when the process exits: a test run leaves nothing behind in /tmp.
public func temporaryDirectory() -> String {
    var template = Array((scratchRoot + "/t-XXXXXX").utf8CString)
    return template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
}

let scratchRoot: String = {
    var template = Array("/tmp/seqgen-tests-XXXXXX".utf8CString)
    let root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    atexit { removeScratchRoot() }
    return root
}()

private func removeScratchRoot() { _ = system("rm -rf '\(scratchRoot)'") }

public func writeText(_ text: String, _ name: String) -> String {
    let path = temporaryDirectory() + "/" + name
    let f = fopen(path, "w")!
    let bytes = Array(text.utf8)               // every byte, NULs too (fputs stops at the first)
    fwrite(bytes, 1, bytes.count, f)
    fclose(f)
    return path
}

public func run(_ command: String) -> Int32 { system(command) >> 8 }
