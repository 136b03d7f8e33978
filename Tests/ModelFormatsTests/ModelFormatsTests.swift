import Testing
import Foundation
import Tensors
import Sequences
import Potts
@testable import ModelFormats

/// A small random Potts model (L = 5, protein), couplings symmetric with zero diagonal blocks.
private func randomModel(seed: UInt64 = 7) -> ModelArchive {
    var state = seed
    func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 250_000    // ±4, many digits
    }
    let l = 5, q = 21
    var h = Tensor(zeros: [l, q]), j = Tensor(zeros: [l, l, q, q])
    for k in h.scalars.indices { h.scalars[k] = next() }
    for i in 0..<l { for k in (i + 1)..<l { for a in 0..<q { for b in 0..<q {
        let v = next() / 3
        j.scalars[((i * l + k) * q + a) * q + b] = v
        j.scalars[((k * l + i) * q + b) * q + a] = v
    } } } }
    return ModelArchive(kind: .potts, alphabet: .protein, fields: h, couplings: j, focusName: "toy",
                        focusSequence: "ACDEF", residueNumbers: [10, 11, 12, 13, 14],
                        metadata: [("identity_threshold", 0.8), ("lambda_h", 0.01), ("lambda_J", 0.8), ("iterations", 12)])
}

/// A fresh temporary path; the test removes it when done (`defer { remove(path) }`).
private func temporary(_ name: String) -> String {
    NSTemporaryDirectory() + "seqgen-formats-\(UInt32.random(in: 0...UInt32.max))-" + name
}
private func remove(_ paths: String...) { for p in paths { try? FileManager.default.removeItem(atPath: p) } }

private let toyAlignment = """
>toy/10-14
ACDEF
>b
ACDEW
>c
MCD-F
>d
ACKEF

"""

@Test func plmcRoundTripIsExact() throws {
    let model = randomModel()
    let alnPath = temporary("toy.fa")
    try toyAlignment.write(toFile: alnPath, atomically: true, encoding: .utf8)
    let msa = try AlignmentReader().read(alnPath)
    let path = temporary("toy.params")
    defer { remove(path, alnPath) }
    try PlmcParameters.write(model, alignment: msa, to: path, overwrite: false)
    let back = try PlmcParameters.read(path)
    #expect(back.fields.scalars == model.fields.scalars)
    #expect(back.couplings!.scalars == model.couplings!.scalars)
    #expect(back.focusSequence == "ACDEF" && back.residueNumbers == [10, 11, 12, 13, 14])
    #expect(abs(back.meta("lambda_J")! - 0.8) < 1e-6 && back.meta("iterations") == 12)   // float32 in the file
    // The marginals are the alignment's: f_1(A) = 3 of 4 sequences (weights at 80% identity).
    let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
    #expect(bytes.count == 20 + 20 + 21 + 4 * 4 + 5 + 4 * 5 + 4 * 2 * 5 * 21 + 4 * 2 * 10 * 441)
}

@Test func plmcLayoutFollowsItsSource() throws {
    // Hand-made plmc file, L = 2, q = 20 (gaps as missing): h_1(A) = 1.5, e_12(C, D) = −0.25.
    var w = ByteWriter()
    for v in [2, 20, 1, 0, 5] { w.int32(Int32(v)) }
    for v: Float in [0.2, 0.01, 0.2, 0, 1] { w.float32(v) }
    w.bytes(Array("ACDEFGHIKLMNPQRSTVWY".utf8))
    w.float32(1)                                                  // one sequence's weight
    w.bytes(Array("AC".utf8)); w.int32(7); w.int32(8)
    for _ in 0..<40 { w.float32(0) }                              // f_i
    for k in 0..<40 { w.float32(k == 0 ? 1.5 : 0) }               // h_i
    for _ in 0..<400 { w.float32(0) }                             // f_ij
    for k in 0..<400 { w.float32(k == 1 * 20 + 2 ? -0.25 : 0) }   // e_12(a = C, b = D)
    let path = temporary("hand.params")
    defer { remove(path) }
    try AtomicFile_write(w.data, path)
    let m = try PlmcParameters.read(path)
    let p = Alphabet.protein
    let (a, c, d) = (Int(p.code(UInt8(ascii: "A"))!), Int(p.code(UInt8(ascii: "C"))!), Int(p.code(UInt8(ascii: "D"))!))
    #expect(m.fields.scalars[a] == 1.5)
    #expect(m.couplings!.scalars[((0 * 2 + 1) * 21 + c) * 21 + d] == -0.25)
    #expect(m.couplings!.scalars[((1 * 2 + 0) * 21 + d) * 21 + c] == -0.25)
    #expect(m.fields.scalars[Int(p.gap)] == 0 && m.meta("gaps_as_missing") == 1)
    #expect(m.residueNumbers == [7, 8] && m.focusSequence == "AC")
    // Truncated: a clear error, not a crash.
    try AtomicFile_write(Array(w.data.dropLast(3)), path)
    #expect(throws: ModelFormatError.self) { try PlmcParameters.read(path) }
}

@Test func ccmpredRawRoundTripIsExact() throws {
    var model = randomModel()
    for i in 0..<5 { model.fields.scalars[i * 21 + 20] = 0 }      // CCMpred has no gap field
    let path = temporary("toy.raw")
    defer { remove(path) }
    try CCMpredRaw.write(model, to: path, overwrite: false)
    let back = try CCMpredRaw.read(path)
    #expect(back.fields.scalars == model.fields.scalars)
    #expect(back.couplings!.scalars == model.couplings!.scalars)
    // CCMpred's order: line 1 starts with v_0(A), its 2nd value is v_0(R).
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let first = text.split(separator: "\n")[0].split(separator: "\t").compactMap { Float($0) }
    #expect(first[1] == model.fields.scalars[Int(Alphabet.protein.code(UInt8(ascii: "R"))!)])
    #expect(text.contains("# 0 1\n") && text.contains("# 3 4\n"))
}

@Test func ccmpredRawErrorsNameTheLine() throws {
    let path = temporary("bad.raw")
    defer { remove(path) }
    let fields = (0..<2).map { _ in Array(repeating: "0", count: 20).joined(separator: "\t") }.joined(separator: "\n")
    try (fields + "\n# 0 2\n").write(toFile: path, atomically: true, encoding: .utf8)
    do { _ = try CCMpredRaw.read(path); Issue.record("no error") } catch {
        #expect("\(error)".contains("bad.raw:3: expected '# 0 1'"))
    }
}

private func AtomicFile_write(_ bytes: [UInt8], _ path: String) throws {
    FileManager.default.createFile(atPath: path, contents: Data(bytes))
}
