import ArgumentParser
import Console
import FileIO
import NumPyIO
import RegulatoryCNN
import Tensors

extension Seqgen.CNN {
    struct Attention: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attention",
            abstract: "Attention maps of a CNN + attention hybrid (layers posenc mhaH) per sequence.",
            discussion: """
            Runs the model in inference mode on the first --count sequences of --split and writes an .npz \
            with `attention` (N, heads, P, P): A[n, h, i, j] = how much pooled position i reads position j \
            in attention layer --layer (0-based among the mha layers), `index` (N,) the sequences' indices \
            in the split, and `window` (stride, offset, receptive field): position p covers input bases \
            stride·p + offset … + receptive field − 1.
            """
        )

        @Argument(help: "Model (.npz from `seqgen cnn train` with an mha layer).")
        var model: String

        @Argument(help: "Dataset (.npz or HDF5, or FASTA with --labels).")
        var dataset: String

        @OptionGroup var input: DNADatasetOptions

        @Option(name: .shortAndLong, help: "Output .npz (attention, index, window).")
        var output: String

        @OptionGroup var selection: AttentionSelection

        @Flag(help: "Overwrite existing outputs.")
        var force = false

        @OptionGroup var runtime: RuntimeOptions

        func run() throws {
            try requireExtension(output, ["npz"], holding: "an NPZ archive (the maps, their sequences' indices and the window)")
            let outputs = try declareOutputs(force: force, output)
            try runtime.apply(ownThreading: true)
            let clock = Stopwatch()
            let result = try selection.compute(model: model, dataset: dataset, input: input)
            let w = result.window
            try outputs.write {
                var archive = NPZArchive()
                archive["attention"] = NumPyArray(result.maps)
                archive["index"] = NumPyArray(ints: result.index, shape: [result.index.count])
                archive["window"] = NumPyArray(ints: [w.stride, w.offset, w.receptiveField], shape: [3])
                try archive.write(to: output, overwrite: force)
            }
            let s = result.maps.shape
            log("attention layer \(selection.layer): \(s[0]) sequences × \(s[1]) heads × \(s[2])×\(s[3]) positions (window: stride \(w.stride), offset \(w.offset), receptive field \(w.receptiveField)) → \(output) (\(fixed(clock.seconds, 2)) s)")
        }
    }
}

/// Which sequences and which attention layer (shared by `cnn attention` and `cnn interactions`).
struct AttentionSelection: ParsableArguments {
    @Option(help: "Split: train, valid or test.")
    var split = "test"

    @Option(parsing: .unconditional, help: "Number of sequences (the first ones of the split; default all).")
    var count: Int?

    @Option(parsing: .unconditional, help: "Attention layer, 0-based among the model's mha layers.")
    var layer = 0

    func validate() throws {
        if let count { guard count >= 1 else { throw ValidationError("--count must be at least 1") } }
        guard layer >= 0 else { throw ValidationError("--layer must not be negative") }
    }

    struct Result {
        var maps: Tensor, index: [Int], window: AttentionMaps.Window, x: Tensor, length: Int
    }

    func compute(model: String, dataset: String, input: DNADatasetOptions) throws -> Result {
        let m = try CNNModel.read(model)
        let attention: AttentionMaps
        let window: AttentionMaps.Window
        do { attention = try AttentionMaps(model: m); window = try attention.window(layer: layer) }
        catch let e as AttentionMaps.AttentionError { throw FileIOError(path: model, e.description) }
        let (_, set) = try input.read(dataset, split: split, objective: m.objective)
        guard set.length == m.length else { throw FileIOError(path: dataset, "sequences of \(set.length) bp; the model expects \(m.length)") }
        let n = Swift.min(count ?? set.count, set.count)
        guard n >= 1 else { throw FileIOError(path: dataset, "the \(split) split is empty") }
        let x = set.x.rows(0..<n)
        let maps = try attention.maps(x, layer: layer)
        return Result(maps: maps, index: Array(0..<n), window: window, x: x, length: set.length)
    }
}
