#if canImport(Glibc)
import Glibc
#endif
import Console

/// Writes whole files atomically: the bytes go to a temporary file in the same directory, which
/// is then renamed over the destination. A failing or interrupted run never leaves a half-written
/// file, and never truncates an existing one. Only a `durable` file (a checkpoint, whose purpose
/// is to outlive a crash of the machine) is also flushed to the disk (`fsync`) before the rename:
/// on a busy disk one `fsync` waits for everything else being written back (up to 21 s for a
/// 50 kB model on this project's VM, measured in the README), and an output is as safe as any
/// other program's once the process has exited.
///
/// Inside `OutputSet.write { … }` the rename is deferred: every file the block writes stays a
/// temporary file until the block has finished, then all are renamed into place together (or, if
/// anything failed, all temporaries are removed) — see `OutputSet`.
public enum AtomicFile {
    /// Writes `bytes` to `path`. With `overwrite: false` an existing file is refused (inside an
    /// `OutputSet` transaction the set has already decided, so this check is skipped).
    public static func write(_ bytes: [UInt8], to path: String, overwrite: Bool = true) throws {
        try write(to: path, overwrite: overwrite) { sink in try bytes.withUnsafeBytes { try sink.write($0) } }
    }

    /// Writes the bytes `body` hands to its sink, in order, to `path` — atomically as above, without
    /// ever holding the whole file in memory (a checkpoint of many gigabytes streams from the
    /// optimizer's own vectors).
    public static func write(to path: String, overwrite: Bool = true, durable: Bool = false, _ body: (Sink) throws -> Void) throws {
        let transaction = AtomicFile.transaction
        if transaction == nil && !overwrite && access(path, F_OK) == 0 {
            throw FileIOError(path: path, "exists; pass --force to overwrite")
        }
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileIOError(path: path, "cannot create a temporary file beside it: \(errorText())") }
        let tmp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        ExitCleanup.removeOnExit(tmp)
        let sink = Sink(fd: fd, disk: AtomicFile.simulatedDisk)
        do { try body(sink) } catch { close(fd); discard(tmp); throw error }
        var ok = sink.failure == nil
        let error = sink.failure ?? errorText()
        ok = ok && (!durable || fsync(fd) == 0)
        close(fd)
        guard ok else { discard(tmp); throw FileIOError(path: path, "write failed: \(error)") }
        // mkstemp creates 0600; give the file the usual 0644 (less umask).
        let mask = umask(0); umask(mask)
        chmod(tmp, 0o666 & ~mask)
        if let transaction { transaction.staged.append((tmp, path)); return }
        guard rename(tmp, path) == 0 else {
            let e = errorText(); discard(tmp)
            throw FileIOError(path: path, "cannot rename into place: \(e)")
        }
        ExitCleanup.keep(tmp)
    }

    /// Where `write(to:_:)`'s body puts its bytes: a file descriptor, and the first write error
    /// (later writes are skipped; the file is then discarded).
    public final class Sink {
        let fd: Int32
        let disk: SimulatedDisk?
        var failure: String?
        /// Bytes written so far.
        public private(set) var offset = 0
        init(fd: Int32, disk: SimulatedDisk?) { self.fd = fd; self.disk = disk }

        public func write(_ raw: UnsafeRawBufferPointer) throws {
            guard failure == nil, raw.count > 0 else { return }
            var off = 0
            while off < raw.count {
                let n: Int
                if let disk, !disk.take(raw.count - off) { errno = ENOSPC; n = -1 }
                else { n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off) }
                if n <= 0 { if errno == EINTR { continue }; failure = errorText(); return }
                off += n
            }
            offset += raw.count
        }

        public func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }
    }

    public static func write(_ text: String, to path: String, overwrite: Bool = true) throws {
        try write(Array(text.utf8), to: path, overwrite: overwrite)
    }

    static func discard(_ tmp: String) { unlink(tmp); ExitCleanup.keep(tmp) }

    static func errorText() -> String { String(cString: strerror(errno)) }

    /// The `OutputSet.write` block running in this task, whose files are renamed when it ends.
    @TaskLocal static var transaction: Transaction?

    /// For tests: a disk that fills up. Every write in this task draws on `capacity` bytes and
    /// fails with ENOSPC ("No space left on device") once they are spent.
    @TaskLocal public static var simulatedDisk: SimulatedDisk?

    public final class SimulatedDisk: @unchecked Sendable {
        public private(set) var remaining: Int
        public init(capacity: Int) { remaining = capacity }
        func take(_ n: Int) -> Bool {
            guard n <= remaining else { remaining = 0; return false }
            remaining -= n
            return true
        }
    }

    /// Files written inside one `OutputSet.write` block: (temporary, destination).
    final class Transaction: @unchecked Sendable {
        var staged: [(String, String)] = []

        /// Renames every temporary into place; on the first failure removes the rest.
        func commit() throws {
            for (k, (tmp, path)) in staged.enumerated() {
                guard rename(tmp, path) == 0 else {
                    let e = AtomicFile.errorText()
                    for (t, _) in staged[k...] { AtomicFile.discard(t) }
                    throw FileIOError(path: path, "cannot rename into place: \(e)")
                }
                ExitCleanup.keep(tmp)
            }
            staged = []
        }

        func discardAll() {
            for (tmp, _) in staged { AtomicFile.discard(tmp) }
            staged = []
        }
    }
}
