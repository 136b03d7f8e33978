import DNAData
import FileIO
import ModelFormats
import Motifs
import Mutations
import NumPyIO
import Potts
import Sequences
import Structures
#if canImport(Glibc)
import Glibc
#endif

/// One entry point per parser for coverage-guided fuzzing (libFuzzer, through `seqgen-fuzz`) and
/// for replaying saved inputs in tests. Each target feeds the bytes to a parser the way a user's
/// file would reach it; the contract is "parses or throws": a trap, hang or crash is a bug.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case alignment, gzip, pdb, mmcif, csv, npy, npz, motif, modelfile, bed

    /// Runs the parser on `bytes` through a scratch file in `directory`.
    public func run(_ bytes: [UInt8], directory: String) {
        switch self {
        case .alignment:
            // The first byte picks the format, so one corpus covers every alignment reader.
            let formats = ["a3m", "a2m", "fasta", "sto", "aln"]
            let choice = formats[Int(bytes.first ?? 0) % formats.count]
            let path = write(Array(bytes.dropFirst()), directory, "input." + choice)
            _ = try? AlignmentReader().read(path)
        case .gzip:
            _ = try? AlignmentReader(format: .a3m).read(write(bytes, directory, "input.a3m.gz"))
        case .pdb:
            let path = write(bytes, directory, "input.pdb")
            _ = try? StructureReader().read(path); _ = try? StructureReader().readChains(path)
        case .mmcif:
            let path = write(bytes, directory, "input.cif")
            _ = try? StructureReader().read(path); _ = try? StructureReader(chain: "A").read(path)
        case .csv:
            _ = try? MutationTable.read(write(bytes, directory, "input.csv"))
        case .npy:
            if let array = try? NPYFormat.read(write(bytes, directory, "input.npy")) { _ = try? array.tensor() }
        case .npz:
            let path = write(bytes, directory, "input.npz")
            _ = try? NPZArchive.read(path)
            _ = try? ModelArchive.read(path)
        case .motif:
            _ = try? MotifFile.parse(String(decoding: bytes, as: UTF8.self), path: "input")
        case .bed:
            // The first byte picks the parser: BED/narrowPeak rows, a genome FASTA cut into windows, VCF
            // rows, or a DNA label table (for three fixed sequences) read as classification or regression labels.
            let path = write(Array(bytes.dropFirst()), directory, "input.bed")
            switch Int(bytes.first ?? 0) % 5 {
            case 0: _ = try? BEDFile.read(path)
            case 1: _ = try? GenomeWindows.extract(path, windows: [("chr1", 0), ("chr1", 5), ("chr2", -3)], length: 4)
            case 2: _ = try? VCFFile.read(path)
            default:
                let fasta = write(Array(">a\nACGT\n>b\nACGA\n>c\nACGC\n".utf8), directory, "input.fa")
                _ = try? LabeledFASTA.read(fasta: fasta, labels: path, objective: Int(bytes.first ?? 0) % 5 == 3 ? .classification : .regression)
            }
        case .modelfile:
            // The first byte picks the format: plmc parameters, CCMpred raw text or MessagePack, GREMLIN MRF.
            let path = write(Array(bytes.dropFirst()), directory, "input.model")
            switch Int(bytes.first ?? 0) % 4 {
            case 0: _ = try? PlmcParameters.read(path)
            case 1: _ = try? CCMpredRaw.read(path)
            case 2: _ = try? CCMpredMsgpack.read(path)
            default: _ = try? GremlinMRF.read(path)
            }
        }
    }

    func write(_ bytes: [UInt8], _ directory: String, _ name: String) -> String {
        let path = directory + "/" + name
        guard let f = fopen(path, "wb") else { return path }
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        return path
    }
}
