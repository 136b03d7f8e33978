import Testing
import TestSupport
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
    temporaryDirectory() + "/" + name
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
    try toyAlignment.write(toFile: alnPath, atomically: false, encoding: .utf8)
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

/// A model fitted with gaps as missing data is written as `plmc -g` writes it (20 states, no
/// gap) and read back as the same model: still gaps as missing data, the gap's entries 0.
@Test func plmcRoundTripOfAGaplessModelWritesTwentyStates() throws {
    let random = randomModel()
    let q = 21, l = 5, gap = Int(Alphabet.protein.gap)
    var h = random.fields, j = random.couplings!
    for i in 0..<l { h.scalars[i * q + gap] = 0 }
    for k in j.scalars.indices where (k % q) == gap || ((k / q) % q) == gap { j.scalars[k] = 0 }
    let model = ModelArchive(kind: .potts, alphabet: .protein, fields: h, couplings: j, focusName: "toy",
                         focusSequence: "ACDEF", residueNumbers: [10, 11, 12, 13, 14], metadata: [("gaps_as_missing", .integer(1))])
    let alnPath = temporary("toyg.fa"), path = temporary("toyg.params")
    try toyAlignment.write(toFile: alnPath, atomically: false, encoding: .utf8)
    defer { remove(path, alnPath) }
    try PlmcParameters.write(model, alignment: try AlignmentReader().read(alnPath), to: path, overwrite: false)
    let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
    #expect(bytes[4] == 20 && String(decoding: bytes[40..<60], as: UTF8.self) == "ACDEFGHIKLMNPQRSTVWY")
    #expect(bytes.count == 20 + 20 + 20 + 4 * 4 + 5 + 4 * 5 + 4 * 2 * 5 * 20 + 4 * 2 * 10 * 400)
    let back = try PlmcParameters.read(path)
    #expect(back.fields.scalars == model.fields.scalars && back.couplings!.scalars == model.couplings!.scalars)
    #expect(back.meta("gaps_as_missing") == 1)
}

/// plmc numbers every column by a focus residue: a model whose focus has a gap is refused, not
/// written with a negative residue number and a '-' in the target sequence.
@Test func plmcRefusesAFocusWithAGap() throws {
    let random = randomModel()
    let model = ModelArchive(kind: .potts, alphabet: .protein, fields: random.fields, couplings: random.couplings, focusName: "toy",
                             focusSequence: "AC-EF", residueNumbers: [10, 11, -12, 12, 13], metadata: [])
    let alnPath = temporary("toyf.fa")
    try toyAlignment.write(toFile: alnPath, atomically: false, encoding: .utf8)
    defer { remove(alnPath) }
    let error = #expect(throws: ModelFormatError.self) {
        try PlmcParameters.write(model, alignment: try AlignmentReader().read(alnPath), to: temporary("toyf.params"), overwrite: false)
    }
    #expect(error?.problem.hasPrefix("the focus has a gap in 1 of the model's columns (first: column 3)") == true)
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

/// plmc writes the alphabet `-a` gave it (its RNA example: `.ACGU`, the gap first): such a file reads
/// as an RNA model, and an RNA model written as plmc (`-ACGU`) reads back exactly.
@Test func plmcFilesOfOtherAlphabetsKeepTheirAlphabet() throws {
    // Hand-made, L = 2, q = 5, `.ACGU`: h_1(G) = 0.5, e_12(A, U) = 2, e_12(., C) = −1.
    var w = ByteWriter()
    for v in [2, 5, 1, 0, 5] { w.int32(Int32(v)) }
    for v: Float in [0.2, 0.01, 20, 0, 1] { w.float32(v) }
    w.bytes(Array(".ACGU".utf8))
    w.float32(1)
    w.bytes(Array("GU".utf8)); w.int32(1); w.int32(2)
    for _ in 0..<10 { w.float32(0) }                              // f_i
    for k in 0..<10 { w.float32(k == 3 ? 0.5 : 0) }               // h_i (site 1, state G)
    for _ in 0..<25 { w.float32(0) }                              // f_ij
    for k in 0..<25 { w.float32(k == 1 * 5 + 4 ? 2 : (k == 0 * 5 + 2 ? -1 : 0)) }
    let path = temporary("rna.params"), back = temporary("rna-back.params"), alnPath = temporary("rna.fa")
    defer { remove(path, back, alnPath) }
    try AtomicFile_write(w.data, path)
    let m = try PlmcParameters.read(path)
    let r = Alphabet.rna
    let code = { (c: Character) in Int(r.code(of: c)!) }
    #expect(m.alphabet == .rna && m.fields.shape == [2, 5])
    #expect(m.fields.scalars[code("G")] == 0.5)
    #expect(m.couplings!.scalars[((0 * 2 + 1) * 5 + code("A")) * 5 + code("U")] == 2)
    #expect(m.couplings!.scalars[((1 * 2 + 0) * 5 + code("C")) * 5 + Int(r.gap)] == -1)
    #expect(m.meta("gaps_as_missing") == 0)
    // Written as plmc with its own gap-first order, and read back.
    try ">s/1-2\nGU\n>t\nAC\n".write(toFile: alnPath, atomically: false, encoding: .utf8)
    let msa = try AlignmentReader(alphabet: .rna).read(alnPath)
    try PlmcParameters.write(m, alignment: msa, to: back, overwrite: false)
    let again = try PlmcParameters.read(back)
    #expect(again.alphabet == .rna && again.fields.scalars == m.fields.scalars && again.couplings!.scalars == m.couplings!.scalars)
    #expect(Array([UInt8](FileManager.default.contents(atPath: back)!)[40..<45]) == Array("-ACGU".utf8))
    // The alignment must be read in the model's alphabet.
    #expect(throws: ModelFormatError.self) { try PlmcParameters.write(m, alignment: try AlignmentReader().read(alnPath), to: temporary("x.params"), overwrite: false) }
}

/// Without a focus (`-f`) plmc writes its alphabet's first letter at every site (`plm.c`, "target
/// sequence"): such a file reads as a model without a focus sequence, which `convert --alignment` fills.
@Test func plmcWithoutAFocusReadsAsNoSequence() throws {
    for (states, focus, expected) in [(".ACGU", "..", "--"), ("-ACDEFGHIKLMNPQRSTVWY", "--", "--"), (".ACGU", "GU", "GU")] {
        let q = states.count
        var w = ByteWriter()
        for v in [2, q, 1, 0, 5] { w.int32(Int32(v)) }
        for v: Float in [0.2, 0.01, 20, 0, 1] { w.float32(v) }
        w.bytes(Array(states.utf8))
        w.float32(1)
        w.bytes(Array(focus.utf8)); w.int32(1); w.int32(2)
        for _ in 0..<(4 * q + 2 * q * q) { w.float32(0) }             // f_i, h_i, f_ij, e_ij
        let path = temporary("nofocus.params")
        defer { remove(path) }
        try AtomicFile_write(w.data, path)
        #expect(try PlmcParameters.read(path).focusSequence == expected)
    }
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

/// CCMpred built with JSON support ends its raw file (and its .mat) with `#>META> {json}`, no newline.
@Test func ccmpredRawWithItsMetaRecordIsRead() throws {
    var model = randomModel()
    for i in 0..<5 { model.fields.scalars[i * 21 + 20] = 0 }
    let path = temporary("meta.raw")
    defer { remove(path) }
    try CCMpredRaw.write(model, to: path, overwrite: false)
    let text = try String(contentsOfFile: path, encoding: .utf8) + "#>META> {\"version\":\"0.3.2\"}"
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    #expect(try CCMpredRaw.read(path).couplings!.scalars == model.couplings!.scalars)
    try (text + "\n0 1 2\n").write(toFile: path, atomically: false, encoding: .utf8)
    #expect(throws: ModelFormatError.self) { try CCMpredRaw.read(path) }
}

@Test func ccmpredRawErrorsNameTheLine() throws {
    let path = temporary("bad.raw")
    defer { remove(path) }
    let fields = (0..<2).map { _ in Array(repeating: "0", count: 20).joined(separator: "\t") }.joined(separator: "\n")
    try (fields + "\n# 0 2\n").write(toFile: path, atomically: false, encoding: .utf8)
    do { _ = try CCMpredRaw.read(path); Issue.record("no error") } catch {
        #expect("\(error)".contains("bad.raw:3: expected '# 0 1'"))
    }
}

private func AtomicFile_write(_ bytes: [UInt8], _ path: String) throws {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

// MARK: MessagePack, CCMpred MessagePack, GREMLIN MRF

/// Encodings from the MessagePack specification, written out by hand.
@Test func messagePackEncodesTheSmallestFormsOfTheSpecification() {
    func bytes(_ v: MessagePackValue) -> [UInt8] { var w = MessagePackWriter(); w.pack(v); return w.bytes }
    #expect(bytes(.int(0)) == [0x00] && bytes(.int(127)) == [0x7f] && bytes(.int(128)) == [0xcc, 0x80])
    #expect(bytes(.int(256)) == [0xcd, 0x01, 0x00] && bytes(.int(65_536)) == [0xce, 0x00, 0x01, 0x00, 0x00])
    #expect(bytes(.int(-1)) == [0xff] && bytes(.int(-32)) == [0xe0] && bytes(.int(-33)) == [0xd0, 0xdf])
    #expect(bytes(.float(1.5)) == [0xca, 0x3f, 0xc0, 0x00, 0x00])                 // 1.5f = 0x3FC00000
    #expect(bytes(.double(-2)) == [0xcb, 0xc0, 0, 0, 0, 0, 0, 0, 0])
    #expect(bytes(.string("x")) == [0xa1, 0x78])
    #expect(bytes(.string(String(repeating: "a", count: 32))) == [0xd9, 0x20] + [UInt8](repeating: 0x61, count: 32))
    #expect(bytes(.array([.none, .bool(true)])) == [0x92, 0xc0, 0xc3])
    #expect(bytes(.array([MessagePackValue](repeating: .int(1), count: 16))) == [0xdc, 0x00, 0x10] + [UInt8](repeating: 1, count: 16))
    #expect(bytes(.map([(.string("a"), .int(1))])) == [0x81, 0xa1, 0x61, 0x01])
}

@Test func messagePackDecodesWhatItEncodesAndNamesTruncation() throws {
    let value = MessagePackValue.map([(.string("k"), .array([.int(-70_000), .int(300), .float(-0.25), .double(1e300), .binary([1, 2]), .string("é")])),
                                      (.int(5), .none)])
    var w = MessagePackWriter(); w.pack(value)
    var r = MessagePackReader(w.bytes, path: "v.msgpack")
    #expect(try r.read() == value && r.atEnd)
    var short = MessagePackReader(Array(w.bytes.dropLast(3)), path: "v.msgpack")
    do { _ = try short.read(); Issue.record("read truncated data") }
    catch { #expect("\(error)".hasPrefix("v.msgpack: MessagePack data ends"), "\(error)") }
}

@Test func messagePackRejectsAStringThatIsNotUTF8() throws {
    var good = MessagePackReader([0xa2, 0xc3, 0xa9], path: "s.msgpack")          // fixstr "é"
    #expect(try good.read() == .string("é"))
    var bad = MessagePackReader([0xa2, 0xc3, 0x28], path: "s.msgpack")           // 0xc3 needs a continuation byte
    do { _ = try bad.read(); Issue.record("read a string that is not UTF-8") }
    catch { #expect("\(error)" == "s.msgpack: MessagePack string at byte 1 is not UTF-8", "\(error)") }
}

@Test func ccmpredMsgpackRoundTripIsExactWithCCMpredsLayout() throws {
    var model = randomModel()
    for i in 0..<5 { model.fields.scalars[i * 21 + 20] = 0 }      // CCMpred has no gap field
    let path = temporary("toy.braw")
    defer { remove(path) }
    try CCMpredMsgpack.write(model, to: path, overwrite: false)
    let back = try CCMpredMsgpack.read(path)
    #expect(back.fields.scalars == model.fields.scalars)
    #expect(back.couplings!.scalars == model.couplings!.scalars)
    // The layout CCMpred's write_raw_msgpack gives: a 4-key map, format "ccm-1", ncol, x_single in
    // ARNDC… order (its 2nd value is v_0(R)), x_pair keyed "0/1" with x[a·21 + b].
    let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
    var r = MessagePackReader(bytes, path: path)
    let root = try r.read()
    #expect(bytes.prefix(1) == [0x84] && root["format"] == .string("ccm-1") && root["ncol"] == .int(5))
    guard case .array(let single)? = root["x_single"], case .map(let pairs)? = root["x_pair"] else { Issue.record("layout"); return }
    #expect(single.count == 100 && single[1] == .float(model.fields.scalars[14]))          // R is seqgen's code 14
    #expect(pairs.count == 10 && pairs[0].0 == .string("0/1") && pairs[9].0 == .string("3/4"))
    guard case .array(let x)? = pairs[0].1["x"] else { Issue.record("x"); return }
    // x[1·21 + 20] = w_01(R, gap): seqgen (0, 1, 14, 20).
    #expect(x[1 * 21 + 20] == .float(model.couplings!.scalars[((0 * 5 + 1) * 21 + 14) * 21 + 20]))
    #expect(pairs[0].1["i"] == .int(0) && pairs[0].1["j"] == .int(1))
}

@Test func ccmpredMsgpackRefusesOtherFiles() throws {
    let path = temporary("bad.braw")
    defer { remove(path) }
    var w = MessagePackWriter(); w.pack(.map([(.string("format"), .string("ccm-2")), (.string("ncol"), .int(3))]))
    try Data(w.bytes).write(to: URL(fileURLWithPath: path))
    do { _ = try CCMpredMsgpack.read(path); Issue.record("no error") } catch {
        #expect("\(error)".contains("bad.braw: not a CCMpred MessagePack file: 'format'"), "\(error)")
    }
}

@Test func gremlinMRFRoundTripIsExactForProteinAndRNA() throws {
    let model = randomModel()
    let path = temporary("toy.mrf")
    defer { remove(path) }
    try GremlinMRF.write(model, to: path, overwrite: false)
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = text.split(separator: "\n")
    #expect(lines.count == 5 + 10 && lines[0].hasPrefix("V[0] ") && lines[5].hasPrefix("W[0][1] ") && lines[14].hasPrefix("W[3][4] "))
    #expect(lines[0].split(separator: " ").count == 22 && lines[5].split(separator: " ").count == 442)
    // GREMLIN's order ARNDC…: the 2nd value of V[0] is v_0(R).
    #expect(Float(lines[0].split(separator: " ")[2])! == model.fields.scalars[14])
    let back = try GremlinMRF.read(path)
    #expect(back.fields.scalars == model.fields.scalars && back.couplings!.scalars == model.couplings!.scalars)
    // RNA, 5 states in GREMLIN's order AUCG-.
    let (l, q) = (3, 5)
    var h = Tensor(zeros: [l, q]), j = Tensor(zeros: [l, l, q, q])
    for k in h.scalars.indices { h.scalars[k] = Float(k) * 0.37 - 1 }
    for i in 0..<l { for k in (i + 1)..<l { for a in 0..<q { for b in 0..<q {
        let v = Float(i * 100 + k * 10 + a * 5 + b) / 7
        j.scalars[((i * l + k) * q + a) * q + b] = v; j.scalars[((k * l + i) * q + b) * q + a] = v
    } } } }
    let rna = ModelArchive(kind: .potts, alphabet: .rna, fields: h, couplings: j, focusName: "r", focusSequence: "ACG",
                           residueNumbers: [1, 2, 3], metadata: [])
    try GremlinMRF.write(rna, to: path, overwrite: true)
    let first = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")[0].split(separator: " ")
    #expect(first.count == 6 && Float(first[2])! == h.scalars[3])      // GREMLIN's 2nd state U is seqgen's code 3
    let rnaBack = try GremlinMRF.read(path)
    #expect(rnaBack.alphabet == .rna && rnaBack.fields.scalars == h.scalars && rnaBack.couplings!.scalars == j.scalars)
}

@Test func gremlinMRFSkippedColumnsGetNoParametersAndBadLinesAreNamed() throws {
    let path = temporary("cut.mrf")
    defer { remove(path) }
    let v = (0..<21).map { _ in "0.5" }.joined(separator: " "), w = (0..<441).map { _ in "0.25" }.joined(separator: " ")
    try "V[0] \(v)\nV[2] \(v)\nW[0][2] \(w)\n".write(toFile: path, atomically: false, encoding: .utf8)
    let m = try GremlinMRF.read(path)
    #expect(m.length == 3 && m.fields.scalars[21] == 0 && m.fields.scalars[0] == 0.5)
    #expect(m.couplings!.scalars[((0 * 3 + 2) * 21 + 0) * 21 + 0] == 0.25 && m.couplings!.scalars[((0 * 3 + 1) * 21) * 21] == 0)
    // Trailing columns GREMLIN dropped come back from the alignment's width; a column beyond it is named.
    let wide = try GremlinMRF.read(path, columns: 5)
    #expect(wide.length == 5 && wide.fields.scalars[4 * 21] == 0 && wide.fields.scalars[2 * 21] == 0.5)
    #expect(wide.couplings!.scalars[((0 * 5 + 2) * 21 + 0) * 21 + 0] == 0.25)
    do { _ = try GremlinMRF.read(path, columns: 2); Issue.record("no error") } catch {
        #expect("\(error)".contains("V[2] names column 3, beyond the alignment's 2 columns"), "\(error)")
    }
    try "V[0] \(v)\nW[0][1] 1 2\n".write(toFile: path, atomically: false, encoding: .utf8)
    do { _ = try GremlinMRF.read(path); Issue.record("no error") } catch {
        #expect("\(error)".contains("cut.mrf:2: 2 couplings, expected q² = 441"), "\(error)")
    }
}
