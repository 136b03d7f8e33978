import Testing
import TestSupport
import Foundation
import Archive
import NumPyIO
import Potts
import Sequences
import FileIO

@Suite struct ModelArchiveTests {
    @Test func roundTripsFieldsCouplingsFocusAndMetadata() throws {
        let model = PlantedPotts.model(length: 4, pairs: [(0, 2)], seed: 2)
        let archive = ModelArchive(kind: .potts, alphabet: .protein, fields: model.fields, couplings: model.couplings,
                                   focusName: "Q/5-8", focusSequence: "ACD-", residueNumbers: [5, 6, 7, -8],
                                   metadata: [("neff", 12.5), ("iterations", 7)])
        let path = temporaryDirectory() + "/archive.npz"
        defer { unlink(path) }
        try archive.write(to: path, overwrite: true)
        let back = try ModelArchive.read(path)
        #expect(back.couplings == model.couplings && back.fields == model.fields)
        #expect(back.focusSequence == "ACD-" && back.residueNumbers == [5, 6, 7, -8] && back.meta("neff") == 12.5)
        #expect(throws: (any Error).self) { try archive.write(to: path, overwrite: false) }
        // Strings are unicode arrays, counts int64, real values float64.
        let raw = try NPZArchive.read(path)
        #expect(raw["focus_name"]?.dtype == .unicode(5) && raw["model_type"]?.dtype == .unicode(5))
        #expect(raw["meta_iterations"]?.dtype == .int64 && raw["meta_neff"]?.dtype == .float64)
        #expect(back.metadata.first { $0.0 == "iterations" }?.1 == .integer(7))
    }

    @Test func carriesTheAlignmentsBasePairs() throws {
        let model = PlantedPotts.model(length: 4, pairs: [(0, 3)], seed: 2)
        let msa = MultipleSequenceAlignment(alphabet: .protein, names: ["q"], codes: [0, 1, 2, 3], length: 4)
        var withPairs = msa
        withPairs.basePairs = [BasePair(0, 3), BasePair(1, 2)]
        let archive = ModelArchive(kind: .potts, msa: withPairs, fields: model.fields, couplings: model.couplings, metadata: [])
        let path = temporaryDirectory() + "/archive.npz"
        defer { unlink(path) }
        try archive.write(to: path, overwrite: true)
        #expect(try ModelArchive.read(path).basePairs == [BasePair(0, 3), BasePair(1, 2)])
        #expect(try NPZArchive.read(path)["base_pairs"]?.shape == [2, 2])
        // Without pairs there is no array; a malformed one is refused by name.
        try ModelArchive(kind: .potts, msa: msa, fields: model.fields, couplings: model.couplings, metadata: []).write(to: path, overwrite: true)
        #expect(try NPZArchive.read(path)["base_pairs"] == nil && ModelArchive.read(path).basePairs.isEmpty)
        var bad = archive
        bad.extras = [("base_pairs", NumPyArray(ints: [0, 3, 3, 1], shape: [2, 2]))]
        try bad.write(to: path, overwrite: true)
        #expect(throws: FileIOError.self) { try ModelArchive.read(path) }
    }

    @Test func readsTheOldByteStringAndFloatEncoding() throws {
        let model = PlantedPotts.model(length: 3, pairs: [(0, 2)], seed: 2)
        // The layout seqgen wrote before: |S strings and every metadata value as float64.
        let old = NPZArchive([("model_type", NumPyArray(byteString: "potts")), ("alphabet", NumPyArray(byteString: "ACDEFGHIKLMNPQRSTVWY-")),
                              ("h", NumPyArray(model.fields)), ("J", NumPyArray(model.couplings)),
                              ("focus_name", NumPyArray(byteString: "seq2635")), ("focus_sequence", NumPyArray(byteString: "ACD")),
                              ("residue_numbers", NumPyArray(ints: [1, 2, 3], shape: [3])),
                              ("meta_iterations", NumPyArray(doubles: [32], shape: [])), ("meta_neff", NumPyArray(doubles: [1.5], shape: []))])
        let path = temporaryDirectory() + "/archive-old.npz"
        defer { unlink(path) }
        try old.write(to: path)
        let back = try ModelArchive.read(path)
        #expect(back.modelType == "potts" && back.focusName == "seq2635" && back.focusSequence == "ACD" && back.alphabet.string == "ACDEFGHIKLMNPQRSTVWY-")
        #expect(back.meta("iterations") == 32 && back.meta("neff") == 1.5 && back.couplings == model.couplings)
    }
}
