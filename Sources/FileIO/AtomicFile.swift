#if canImport(Glibc)
import Glibc
#endif

/// Writes whole files atomically: the bytes go to a temporary file in the same directory,
/// which is flushed and then renamed over the destination. A failing run never leaves a
/// half-written file, and never truncates an existing one.
public enum AtomicFile {
    /// Writes `bytes` to `path`. With `overwrite: false` an existing file is refused.
    public static func write(_ bytes: [UInt8], to path: String, overwrite: Bool = true) throws {
        if !overwrite && access(path, F_OK) == 0 {
            throw FileIOError(path: path, "exists; pass --force to overwrite")
        }
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileIOError(path: path, "cannot create a temporary file beside it: \(errorText())") }
        let tmp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = true
        bytes.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
                if n <= 0 { if errno == EINTR { continue }; ok = false; return }
                off += n
            }
        }
        let error = errorText()
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok else { unlink(tmp); throw FileIOError(path: path, "write failed: \(error)") }
        // mkstemp creates 0600; give the file the usual 0644 (less umask).
        let mask = umask(0); umask(mask)
        chmod(tmp, 0o666 & ~mask)
        guard rename(tmp, path) == 0 else {
            let e = errorText(); unlink(tmp)
            throw FileIOError(path: path, "cannot rename into place: \(e)")
        }
    }

    public static func write(_ text: String, to path: String, overwrite: Bool = true) throws {
        try write(Array(text.utf8), to: path, overwrite: overwrite)
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}
