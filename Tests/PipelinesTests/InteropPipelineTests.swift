import Testing
import Foundation
import Tensors
import Sequences
import Archive
import Contacts
import Pipelines

/// RNA / custom alphabets through fit and the archive; DI and EVcouplings tables from archives.
struct InteropPipelineTests {
    /// 300 random RNA sequences of 10 columns with Watson–Crick pairs between columns 1–10 and 3–8.
    static func rnaAlignment(alphabet: Alphabet = .rna) throws -> MultipleSequenceAlignment {
        var rng = RandomGenerator(seed: 4)
        let bases = Array("ACGU"), pair: [Character: Character] = ["A": "U", "U": "A", "G": "C", "C": "G"]
        var text = ""
        for n in 0..<300 {
            var s = (0..<10).map { _ in bases[rng.int(below: 4)] }
            s[9] = pair[s[0]]!; s[7] = pair[s[2]]!
            if n % 9 == 0 { s[4] = "-" }
            text += ">s\(n)\n\(String(s))\n"
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rna-\(UUID().uuidString).fa").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return try AlignmentReader(alphabet: alphabet).read(path)
    }

    @Test func rnaPottsAndPSSMFitRoundTripThroughTheArchiveAndFindTheBasePairs() throws {
        let msa = try Self.rnaAlignment()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rna-\(UUID().uuidString).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for kind in [ModelKind.potts, .pssm] {
            let archive = try FitPipeline.run(msa, source: "rna.fa", settings: FitSettings(kind: kind), quiet: true).archive
            #expect(archive.alphabet == .rna && archive.fields.shape == [10, 5])
            try archive.write(to: path, overwrite: true)
            let back = try ModelArchive.read(path)
            #expect(back.alphabet == .rna && back.fields == archive.fields && back.couplings == archive.couplings)
            if kind == .potts {
                #expect(back.couplings?.shape == [10, 10, 5, 5])
                let top = try back.contactMap(path: path).rankedPairs().prefix(2).map { [$0.i, $0.j] }
                #expect(Set(top) == [[0, 9], [2, 7]])
            }
        }
    }

    @Test func customAlphabetModelsKeepTheirStatesInTheArchive() throws {
        let custom = try Alphabet.custom("ACGUN")
        let msa = try Self.rnaAlignment(alphabet: custom)
        let archive = try FitPipeline.run(msa, source: "rna.fa", settings: FitSettings(kind: .pssm), quiet: true).archive
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("custom-\(UUID().uuidString).npz").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try archive.write(to: path, overwrite: false)
        let back = try ModelArchive.read(path)
        #expect(back.alphabet == custom && back.fields == archive.fields && back.fields.shape == [10, 6])
    }

    @Test func directInformationNeedsFrequenciesAndFindsTheBasePairs() throws {
        let msa = try Self.rnaAlignment()
        let archive = try FitPipeline.run(msa, source: "rna.fa", settings: FitSettings(kind: .potts), quiet: true).archive
        #expect(throws: PipelineError(path: "m.npz", "DI needs the single-site frequencies: pass --alignment, the alignment the potts model was fitted to")) {
            try archive.directInformation(path: "m.npz", alignment: nil)
        }
        let f = try archive.siteFrequencies(path: "m.npz", alignment: msa)
        for i in 0..<10 { #expect(abs((0..<5).reduce(0.0) { $0 + f[i * 5 + $1] } - 1) < 1e-9) }
        #expect(f[4 * 5 + 4] > 0.05)                           // column 5's gaps
        let di = try archive.directInformation(path: "m.npz", alignment: msa)
        #expect(Set(di.rankedPairs().prefix(2).map { [$0.i, $0.j] }) == [[0, 9], [2, 7]])
        // A Gaussian model carries its frequencies (the mean μ).
        let gaussian = try FitPipeline.run(msa, source: "rna.fa", settings: FitSettings(kind: .gaussian), quiet: true).archive
        let fg = try gaussian.siteFrequencies(path: "g.npz", alignment: nil)
        let fa = try gaussian.siteFrequencies(path: "g.npz", alignment: msa)
        for t in 0..<50 { #expect(abs(fg[t] - fa[t]) < 1e-5) }
        let dig = try gaussian.directInformation(path: "g.npz", alignment: nil)
        #expect(Set(dig.rankedPairs().prefix(2).map { [$0.i, $0.j] }) == [[0, 9], [2, 7]])
    }

    @Test func evcouplingsTablesListEveryPairByCNWithTheLongRangeSubset() throws {
        let msa = try Self.rnaAlignment()
        let archive = try FitPipeline.run(msa, source: "rna.fa", settings: FitSettings(kind: .potts), quiet: true).archive
        let fn = try archive.contactMap(path: "m.npz", raw: true)
        let tables = archive.evcouplingsTables(fn: fn, longRange: 6)
        let all = tables.all.split(separator: "\n"), long = tables.longRange.split(separator: "\n")
        #expect(all[0] == "i,A_i,j,A_j,fn,cn,segment_i,segment_j,probability,score")
        // The focus s0 has a gap in column 5: EVcouplings' tables hold focus residues only, so the
        // 9 residues' 36 pairs, numbered 1–9, never a gap letter.
        #expect(all.count == 1 + 36)
        let rows = all.dropFirst().map { $0.split(separator: ",") }
        let cns = rows.map { Double($0[5])! }
        #expect(cns == cns.sorted(by: >))
        #expect(rows.allSatisfy { $0[6] == "A_1" && $0[5] == $0[9] })
        #expect(rows.allSatisfy { (0...1).contains(Double($0[8])!) })
        #expect(rows.allSatisfy { (1...9).contains(Int($0[0])!) && (1...9).contains(Int($0[2])!) && $0[1] != "-" && $0[3] != "-" })
        let expected = rows.filter { abs(Int($0[2])! - Int($0[0])!) >= 6 }
        #expect(!expected.isEmpty && expected.count < rows.count)
        #expect(long.count == 1 + expected.count && long.dropFirst().map { $0.split(separator: ",") } == expected)
        // cn is the APC over the focus residues alone (EVcouplings' CN on plmc's model of them).
        let residues = (0..<fn.length).filter { $0 != 4 }   // column 5 (1-based) is the gap
        let sub = ContactMap(length: residues.count, scores: residues.flatMap { i in residues.map { j in fn[i, j] } }).apc()
        for row in rows {
            let (a, b) = (Int(row[0])! - 1, Int(row[2])! - 1)
            #expect(Swift.abs(Double(row[5])! - Double(sub[a, b])) < 1e-6)
        }
        let first = try #require(rows.first)
        #expect(Set([first[0], first[2]]) == ["1", "9"] || Set([first[0], first[2]]) == ["3", "7"])
        #expect(Double(first[8])! > 0.5)
    }
}
