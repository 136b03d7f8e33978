import Testing
import TestSupport
import FuzzTargets
#if canImport(Glibc)
import Glibc
#endif

/// Replays the fuzzing seed corpus and every input a fuzzer ever crashed on (Tests/FuzzCorpus/
/// TARGET/) through the same entry points libFuzzer drives: each must parse or throw.
@Suite struct FuzzTargetsTests {
    static let corpus = "Tests/FuzzCorpus"

    @Test(arguments: FuzzTarget.allCases)
    func corpusAndRegressionInputsParseOrThrow(_ target: FuzzTarget) throws {
        let dir = Self.corpus + "/" + target.rawValue
        guard let d = opendir(dir) else { Issue.record("missing corpus \(dir) (run from the package root)"); return }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        closedir(d)
        #expect(!names.isEmpty, "\(dir) has no inputs")
        let scratch = temporaryDirectory()
        for name in names.sorted() {
            guard let f = fopen(dir + "/" + name, "rb") else { continue }
            var bytes: [UInt8] = []
            var c = fgetc(f)
            while c != EOF { bytes.append(UInt8(c)); c = fgetc(f) }
            fclose(f)
            target.run(bytes, directory: scratch)
        }
    }
}
