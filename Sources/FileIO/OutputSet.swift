#if canImport(Glibc)
import Glibc
#endif
import Console

/// The files a command will write, declared and checked before any work starts, so that a long
/// run never fails at its end for a reason known at its start:
///
/// - the output is not a directory, its directory exists and is writable;
/// - an existing file is refused unless `force` (a *group* — files written together under one
///   prefix, e.g. PREFIX.csv/.mat/.npy/.png — that is only partly present is the remains of a
///   failed run and is replaced without `force`; `notes` says so);
/// - each output is locked with `OUT.lock` (created with O_EXCL, holding the owner's pid), so a
///   second run writing the same file refuses at its start; locks are removed when the set is
///   released, at exit and on SIGINT/SIGTERM/SIGHUP, and a lock whose process is gone is taken over.
///
/// `write { … }` then writes all-or-nothing: every file written inside the block stays a
/// temporary file until the block has finished, then all are renamed into place; if the block
/// throws (a full disk, a bad input found late), every temporary is removed and no output —
/// old or new — is touched.
///
/// The path "-" (standard output) is accepted and not checked.
public final class OutputSet {
    public let force: Bool
    public private(set) var paths: [String] = []
    /// Things the command should tell the user (e.g. an incomplete set being replaced).
    public private(set) var notes: [String] = []
    private var locks: [String] = []
    /// The paths of groups: made from a prefix, never named on the command line themselves.
    private var derived: Set<String> = []

    public init(force: Bool) {
        self.force = force
        ExitCleanup.installSignalHandlers()
    }

    deinit { release() }

    /// Declares one output file (nil: none). Throws a `FileIOError` naming the path and the problem.
    public func add(_ path: String?) throws {
        guard let path, path != "-" else { return }
        if try check(path) && !force { throw FileIOError(path: path, "exists; pass --force to overwrite") }
        try lock(path)
    }

    /// A file the run writes along the way and may find from an earlier run (a checkpoint): only
    /// its directory is checked (exists, writable), so a long run cannot fail at its first save.
    public func checkDirectory(of path: String?) throws {
        guard let path, path != "-" else { return }
        _ = try check(path)
    }

    /// Refuses, even with `force`, an output that is also one of the command's inputs: a file named
    /// in `arguments` (the command line; `--option=value` read as its value) more often than it is
    /// declared as an output — for a group's file (PREFIX.csv), named at all, since the command line
    /// names only its prefix. Files are compared by device and inode, so `./a.fa` is `a.fa`.
    public func refuseInputs(named arguments: [String]) throws {
        let named = OutputSet.identities(arguments)
        let outputs = paths.compactMap { p in OutputSet.identity(p).map { (path: p, id: $0) } }
        for (path, id) in outputs
        where named.filter({ $0 == id }).count > outputs.filter({ $0.id == id && !derived.contains($0.path) }).count {
            throw FileIOError(path: path, "is also an input of this command; give the output another name")
        }
    }

    /// Checks a checkpoint path (`path`; its directory by `checkDirectory`): a file already there
    /// is the checkpoint being resumed, or with `force` an earlier run's, replaced — never a file
    /// the command line names otherwise (an input), which the first save would overwrite.
    public func checkCheckpoint(_ path: String, resume: String?, named arguments: [String]) throws {
        guard let id = OutputSet.identity(path) else { return }
        if let resume, OutputSet.identity(resume) == id { return }
        let givenAsCheckpoint = arguments.contains(path) || arguments.contains("--checkpoint=" + path) ? 1 : 0
        if OutputSet.identities(arguments).filter({ $0 == id }).count > givenAsCheckpoint {
            throw FileIOError(path: path, "is also an input of this command; give the checkpoint another name (--checkpoint)")
        }
        if !force {
            throw FileIOError(path: path, "exists (an earlier run's checkpoint?): continue that run with --resume \(path), or pass --force to start over and replace it")
        }
    }

    /// The (device, inode) of each argument that names a regular file.
    static func identities(_ arguments: [String]) -> [FileIdentity] {
        arguments.compactMap { a in
            identity(a.hasPrefix("--") ? a.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? "" : a)
        }
    }

    struct FileIdentity: Equatable { var device: UInt64, inode: UInt64 }

    static func identity(_ path: String) -> FileIdentity? {
        var st = stat()
        guard !path.isEmpty, stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Declares files that are written together (one prefix). All present: refused without `force`;
    /// some present: the remains of a failed run, replaced.
    public func add(group: [String]) throws {
        let present = try group.filter { try check($0) }
        if !force && !present.isEmpty {
            if present.count == group.count { throw FileIOError(path: present[0], "exists; pass --force to overwrite") }
            let missing = group.filter { !present.contains($0) }
            notes.append("replacing the incomplete output set \(present.joined(separator: ", ")) (missing \(missing.joined(separator: ", ")): left by a failed run)")
        }
        for p in group { try lock(p) }
        derived.formUnion(group)
    }

    /// Runs `body`, which writes the outputs (through `AtomicFile`, as every writer in seqgen
    /// does), and renames all of them into place once it has finished; if it throws, nothing is
    /// renamed and every temporary file is removed.
    public func write(_ body: () throws -> Void) throws {
        let transaction = AtomicFile.Transaction()
        do {
            try AtomicFile.$transaction.withValue(transaction) { try body() }
        } catch {
            transaction.discardAll()
            throw error
        }
        try transaction.commit()
    }

    /// Removes the locks (also done at deinit and at exit).
    public func release() {
        for l in locks { unlink(l); ExitCleanup.keep(l) }
        locks = []
    }

    /// Whether `path` exists (as a file); throws when it cannot be an output.
    private func check(_ path: String) throws -> Bool {
        if path.isEmpty { throw FileIOError(path: "''", "an empty output name; give a file name") }
        if paths.contains(path) { throw FileIOError(path: path, "is given as two different outputs") }
        if path.hasSuffix("/") { throw FileIOError(path: path, "is a directory; give a file name for the output") }
        var st = stat()
        var exists = false
        if stat(path, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFDIR { throw FileIOError(path: path, "is a directory; give a file name for the output") }
            exists = true
        }
        let dir = OutputSet.directory(of: path)
        var d = stat()
        guard stat(dir, &d) == 0 else {
            throw FileIOError(path: path, errno == ENOENT ? "directory '\(dir)' does not exist" : "cannot use directory '\(dir)': \(AtomicFile.errorText())")
        }
        guard d.st_mode & S_IFMT == S_IFDIR else { throw FileIOError(path: path, "'\(dir)' is not a directory") }
        guard access(dir, W_OK | X_OK) == 0 else {
            throw FileIOError(path: path, "cannot write in directory '\(dir)': \(AtomicFile.errorText())")
        }
        return exists
    }

    /// Creates PATH.lock exclusively, holding this process's pid.
    private func lock(_ path: String) throws {
        let lockPath = path + ".lock"
        for attempt in 0..<2 {
            let fd = open(lockPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                ExitCleanup.removeOnExit(lockPath)
                let text = Array("\(getpid())\n".utf8)
                _ = text.withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
                close(fd)
                locks.append(lockPath)
                paths.append(path)
                return
            }
            let e = errno
            guard e == EEXIST else {
                throw FileIOError(path: path, "cannot write in directory '\(OutputSet.directory(of: path))': \(String(cString: strerror(e)))")
            }
            let owner = OutputSet.lockOwner(lockPath)
            if attempt == 0, let owner, owner != getpid(), kill(owner, 0) != 0 && errno == ESRCH {
                unlink(lockPath)        // its run is gone (killed): take the lock over
                continue
            }
            throw FileIOError(path: path, "is being written by another seqgen run\(owner.map { " (pid \($0))" } ?? "") — wait for it to finish, or remove \(lockPath) if that run is gone")
        }
    }

    static func lockOwner(_ lockPath: String) -> pid_t? {
        guard let f = fopen(lockPath, "r") else { return nil }
        defer { fclose(f) }
        var buffer = [CChar](repeating: 0, count: 32)
        guard fgets(&buffer, 32, f) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return pid_t(text.split(separator: "\n").first ?? "")
    }

    /// "a/b/c.npz" → "a/b"; "c.npz" → "."; "/c" → "/".
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}
