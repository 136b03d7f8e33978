import Testing
import Foundation
import Contacts
import Structures

@Suite struct ContactFamilyMeanTests {
    /// A family of length `l` whose scores rank the pairs (i, i + s) for s = 6…, and whose true
    /// contacts are the first `hits` pairs of that ranking at separation 6: its top-L/k precision is
    /// known by construction.
    static func family(length l: Int, contacts: Set<Int>) -> ContactEvaluation {
        var s = [Float](repeating: 0, count: l * l)
        var d = [[Double?]](repeating: [Double?](repeating: 99, count: l), count: l)
        for i in 0..<(l - 6) { s[i * l + i + 6] = Float(l - i); s[(i + 6) * l + i] = Float(l - i) }
        for i in contacts { d[i][i + 6] = 0; d[i + 6][i] = 0 }
        return ContactEvaluation(prediction: ContactMap(length: l, scores: s), truth: ContactTruth(distances: d, threshold: 8))
    }

    @Test func meanAveragesEachPrecisionOverFamiliesOneVoteEach() throws {
        // Family A, L = 20: top L/5 = 4 pairs are (0,6) … (3,9); contacts at 0 and 1 → P@L/5 = 0.5.
        // Family B, L = 40: top L/5 = 8 pairs; contacts at 0…7 → P@L/5 = 1.
        let a = Self.family(length: 20, contacts: [0, 1])
        let b = Self.family(length: 40, contacts: Set(0..<8))
        #expect(a.rows[0].precisions[2].precision == 0.5 && b.rows[0].precisions[2].precision == 1)
        let mean = try #require(ContactEvaluation.mean([a, b]))
        #expect(mean.rows[0].precisions[2].precision == 0.75)
        #expect(mean.rows[0].trueContacts == 10)
        #expect(mean.length == 30)
        // top L (≥ 6): A's top 20 pairs hold its 2 contacts → 0.1; B's top 40 hold 8 → 0.2; mean 0.15.
        #expect(abs((mean.rows[0].precisions[0].precision ?? .nan) - 0.15) < 1e-12)
        // A (L = 20) has no pair at |i − j| ≥ 24: undefined there, not 0; the mean is B's alone.
        let long = try #require(a.rows.firstIndex { $0.range == ContactEvaluation.SeparationRange.bins[2] })
        #expect(a.rows[long].precisions.allSatisfy { $0.precision == nil })
        #expect(b.rows[long].precisions[0].precision == 0)
        #expect(mean.rows[long].precisions[0].precision == 0)
        #expect(ContactEvaluation.mean([a]).map { $0.rows[long].precisions[0].precision == nil } == true)
        #expect(ContactEvaluation.mean([]) == nil)
    }

    @Test func familyListResolvesPathsBesideTheListAndRejectsBadLines() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("families-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "# model structure chain\na.npz a.pdb A\n\n/abs/b.npz,/abs/b.cif\n".write(toFile: dir + "/list.txt", atomically: false, encoding: .utf8)
        let list = try ContactFamilyList.read(dir + "/list.txt")
        #expect(list.entries.map(\.model) == [dir + "/a.npz", "/abs/b.npz"])
        #expect(list.entries.map(\.structure) == [dir + "/a.pdb", "/abs/b.cif"])
        #expect(list.entries.map(\.chain) == ["A", nil] && list.entries.map(\.line) == [2, 4])
        // A model alone: its own consensus base pairs are the truth.
        try "rna.npz\n".write(toFile: dir + "/rna.txt", atomically: false, encoding: .utf8)
        #expect(try ContactFamilyList.read(dir + "/rna.txt").entries.map(\.structure) == [nil])
        try "a.npz a.pdb A extra\n".write(toFile: dir + "/bad.txt", atomically: false, encoding: .utf8)
        do { _ = try ContactFamilyList.read(dir + "/bad.txt"); Issue.record("accepted a line with four fields") }
        catch { #expect("\(error)".contains("bad.txt:1: expected MODEL STRUCTURE [CHAIN] or MODEL, found 4 fields")) }
    }
}
