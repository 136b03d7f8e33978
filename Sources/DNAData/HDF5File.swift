import CHDF5
import FileIO
import Tensors

/// Reads numeric datasets from an HDF5 file (through libhdf5) as Float tensors, whatever their
/// stored type (float32, int8, …): the library converts on read.
public final class HDF5File {
    public let path: String
    private let file: hid_t

    public init(_ path: String) throws {
        seqgen_h5_quiet()
        self.path = path
        guard H5Fis_hdf5(path) > 0 else { throw FileIOError(path: path, "not an HDF5 file (or cannot be read)") }
        file = H5Fopen(path, seqgen_h5_read_only(), seqgen_h5_default())
        guard file >= 0 else { throw FileIOError(path: path, "cannot open as HDF5") }
    }

    deinit { H5Fclose(file) }

    public func contains(_ name: String) -> Bool { H5Lexists(file, name, seqgen_h5_default()) > 0 }

    /// The dataset `name` as a Float tensor of its stored shape.
    public func tensor(_ name: String) throws -> Tensor {
        guard contains(name) else { throw FileIOError(path: path, "no dataset '\(name)'") }
        let dataset = H5Dopen2(file, name, seqgen_h5_default())
        guard dataset >= 0 else { throw FileIOError(path: path, "cannot open dataset '\(name)'") }
        defer { H5Dclose(dataset) }
        let space = H5Dget_space(dataset)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0, rank <= 8 else { throw FileIOError(path: path, "dataset '\(name)' has an unsupported rank") }
        var dims = [hsize_t](repeating: 0, count: Swift.max(rank, 1))
        H5Sget_simple_extent_dims(space, &dims, nil)
        let shape = dims.prefix(rank).map { Int($0) }
        let count = shape.reduce(1, *)
        guard count < 1 << 34 else { throw FileIOError(path: path, "dataset '\(name)' is too large (\(shape))") }
        var values = [Float](repeating: 0, count: count)
        let status = values.withUnsafeMutableBytes { H5Dread(dataset, seqgen_h5_native_float(), seqgen_h5_all(), seqgen_h5_all(), seqgen_h5_default(), $0.baseAddress) }
        guard status >= 0 else { throw FileIOError(path: path, "cannot read dataset '\(name)' as numbers") }
        return Tensor(shape: shape, scalars: values)
    }
}
