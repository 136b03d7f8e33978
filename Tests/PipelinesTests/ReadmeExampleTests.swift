import Testing
import Sequences
import Pipelines
#if canImport(Glibc)
import Glibc
#endif

/// README "Using seqgen as a library": the example runs, and the README shows it as it is here.
struct ReadmeExampleTests {
    @Test func readmeExampleFitsAPottsModelAndRanksContacts() throws {
        let root = Repository.root, dir = temporaryDirectory()
        let cwd = getcwd(nil, 0)!
        defer { chdir(cwd); free(cwd) }
        chdir(dir)
        symlink(root + "/data", dir + "/data")
        defer { unlink(dir + "/data"); unlink(dir + "/example.npz"); rmdir(dir) }
        var printed: [String] = []
        func print(_ items: Any...) { printed.append(items.map { "\($0)" }.joined(separator: " ")) }

        // README: begin
        let msa = try AlignmentReader().read("data/example.a3m")
        var settings = FitSettings(kind: .potts)
        settings.maxIterations = 50
        let fitted = try FitPipeline.run(msa, source: "data/example.a3m", settings: settings)
        try fitted.archive.write(to: "example.npz", overwrite: true)
        let contacts = try fitted.archive.contactMap(path: "example.npz")
        for pair in contacts.rankedPairs(minimumSeparation: 6).prefix(5) {
            print(pair.i + 1, pair.j + 1, pair.score)
        }
        // README: end

        #expect(printed.count == 5)
        #expect(contacts.length == msa.length)
        #expect(access(dir + "/example.npz", R_OK) == 0)
    }

    @Test func readmeShowsTheExampleAsTested() throws {
        let source = String(decoding: fileBytes("\(#filePath)"), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let begin = source.firstIndex(where: { $0.hasSuffix("// README: begin") }),
              let end = source.firstIndex(where: { $0.hasSuffix("// README: end") }) else { Issue.record("markers missing"); return }
        let indent = source[begin].prefix { $0 == " " }.count
        let block = source[(begin + 1)..<end].map { String($0.dropFirst(indent)) }.joined(separator: "\n")
        let readme = String(decoding: fileBytes(Repository.path("README.md")), as: UTF8.self)
        #expect(readme.contains(block), "README.md must show the example of ReadmeExampleTests.swift verbatim")
    }
}
