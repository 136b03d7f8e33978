import CHDF5
import FileIO
import Tensors

/// Reads numeric datasets from an HDF5 file (through libhdf5) as Float tensors, whatever their
/// stored type (float32, int8, …): the library converts on read. libhdf5 is opened on the first
/// file read (`seqgen_h5_load`), so the commands that never read HDF5 do not load it.
public final class HDF5File {
    public let path: String
    private let file: hid_t
    private let h5: seqgen_h5_api

    public init(_ path: String) throws {
        self.path = path
        h5 = try HDF5Library.api(path)
        guard h5.is_hdf5(path) > 0 else { throw FileIOError(path: path, "not an HDF5 file (or cannot be read)") }
        file = h5.file_open(path, seqgen_h5_read_only(), seqgen_h5_default())
        guard file >= 0 else { throw FileIOError(path: path, "cannot open as HDF5") }
    }

    deinit { _ = h5.file_close(file) }

    public func contains(_ name: String) -> Bool { h5.link_exists(file, name, seqgen_h5_default()) > 0 }

    /// The dataset `name` as a Float tensor of its stored shape.
    public func tensor(_ name: String) throws -> Tensor {
        guard contains(name) else { throw FileIOError(path: path, "no dataset '\(name)'") }
        let dataset = h5.dataset_open(file, name, seqgen_h5_default())
        guard dataset >= 0 else { throw FileIOError(path: path, "cannot open dataset '\(name)'") }
        defer { _ = h5.dataset_close(dataset) }
        let space = h5.dataset_space(dataset)
        defer { _ = h5.space_close(space) }
        let rank = Int(h5.space_rank(space))
        guard rank >= 0, rank <= 8 else { throw FileIOError(path: path, "dataset '\(name)' has an unsupported rank") }
        var dims = [hsize_t](repeating: 0, count: Swift.max(rank, 1))
        _ = h5.space_dims(space, &dims, nil)
        let shape = dims.prefix(rank).map { Int($0) }
        let count = shape.reduce(1, *)
        guard count < 1 << 34 else { throw FileIOError(path: path, "dataset '\(name)' is too large (\(shape))") }
        var values = [Float](repeating: 0, count: count)
        let status = values.withUnsafeMutableBytes { h5.dataset_read(dataset, h5.native_float, seqgen_h5_all(), seqgen_h5_all(), seqgen_h5_default(), $0.baseAddress) }
        guard status >= 0 else { throw FileIOError(path: path, "cannot read dataset '\(name)' as numbers") }
        return Tensor(shape: shape, scalars: values)
    }
}

/// libhdf5, opened once per process on first use.
enum HDF5Library {
    /// The loaded table, or why it could not be loaded.
    private static let loaded: Result<seqgen_h5_api, LoadError> = {
        var api = seqgen_h5_api()
        if let message = seqgen_h5_load(&api) { return .failure(LoadError(message: String(cString: message))) }
        return .success(api)
    }()

    struct LoadError: Error { let message: String }

    /// The table, or an error naming the file that needed it.
    static func api(_ path: String) throws -> seqgen_h5_api {
        switch loaded {
        case .success(let api): return api
        case .failure(let error): throw FileIOError(path: path, error.message)
        }
    }
}
