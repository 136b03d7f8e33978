import FuzzTargets
#if canImport(Glibc)
import Glibc
#endif

/// `seqgen-fuzz TARGET [FILE|DIR …]` replays saved inputs through a parser (every build).
/// Built with `-sanitize=fuzzer -DFUZZING` (scripts/fuzz.sh) it is a libFuzzer binary instead:
/// `seqgen-fuzz TARGET [libFuzzer options] CORPUS_DIR`.
@main
struct SeqgenFuzz {
    nonisolated(unsafe) static var target = FuzzTarget.alignment
    nonisolated(unsafe) static var scratch = ""

    static func main() {
        let args = CommandLine.arguments
        guard args.count >= 2, let target = FuzzTarget(rawValue: args[1]) else {
            print("usage: seqgen-fuzz TARGET [inputs…]   targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
            exit(2)
        }
        Self.target = target
        var template = Array("/tmp/seqgen-fuzz-XXXXXX".utf8CString)
        guard let dir = mkdtemp(&template) else { print("cannot create a scratch directory"); exit(1) }
        Self.scratch = String(cString: dir)
        atexit { SeqgenFuzz.removeScratch() }
        #if FUZZING
        var argc = Int32(args.count - 1)
        var cStrings: [UnsafeMutablePointer<CChar>?] = ([args[0]] + args.dropFirst(2)).map { strdup($0) } + [nil]
        let status = cStrings.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var argv = buffer.baseAddress!
            return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
                SeqgenFuzz.target.run(bytes, directory: SeqgenFuzz.scratch)
                return 0
            }
        }
        exit(status)
        #else
        var count = 0
        for path in args.dropFirst(2) {
            for file in expand(path) {
                target.run(read(file), directory: Self.scratch)
                count += 1
            }
        }
        print("\(target.rawValue): \(count) inputs, no crash")
        #endif
    }

    /// The scratch directory and the files the targets wrote there, hidden ones too (no subdirectories).
    static func removeScratch() {
        for file in expand(scratch, hidden: true) { unlink(file) }
        rmdir(scratch)
    }

    static func expand(_ path: String, hidden: Bool = false) -> [String] {
        guard let d = opendir(path) else { return [path] }
        defer { closedir(d) }
        var files: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if hidden ? name != "." && name != ".." : !name.hasPrefix(".") { files.append(path + "/" + name) }
        }
        return files.sorted()
    }

    static func read(_ path: String) -> [UInt8] {
        guard let f = fopen(path, "rb") else { return [] }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
#endif
