/// Recognises binary files by their first bytes, so that a text reader handed one says what it
/// is ("not a text alignment: looks like HDF5") instead of inventing a record name or reporting an
/// invalid character. The bytes are those after gzip decompression.
public enum BinaryContent {
    static let signatures: [([UInt8], String)] = [
        ([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A], "HDF5"),
        ([0x50, 0x4B, 0x03, 0x04], "a zip archive (.npz?)"),
        ([0x50, 0x4B, 0x05, 0x06], "an empty zip archive"),
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG"),
        ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59], "a NumPy .npy array"),
        ([0x25, 0x50, 0x44, 0x46, 0x2D], "PDF"),
        ([0x1F, 0x8B], "gzip data compressed twice"),
        ([0x42, 0x5A, 0x68], "bzip2 data (decompress it first)"),
        ([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz data (decompress it first)"),
        ([0x28, 0xB5, 0x2F, 0xFD], "zstd data (decompress it first)"),
        ([0xFF, 0xFE], "UTF-16 text (save it as UTF-8)"),
        ([0xFE, 0xFF], "UTF-16 text (save it as UTF-8)"),
    ]

    /// What `head` (a file's first bytes) looks like when it is not text, or nil for text.
    /// NUL bytes anywhere in the first 4 KiB mark binary data of an unknown kind — except, with
    /// `lineStartNULs`, NULs that open a line: MMseqs2 ends each entry of its A3M output (and so
    /// ColabFold's MSAs) with one.
    public static func kind(of head: [UInt8], lineStartNULs: Bool = false) -> String? {
        for (magic, name) in signatures where head.starts(with: magic) {
            if name.hasPrefix("bzip2") && !(head.count >= 10 && head[4...9].elementsEqual([0x31, 0x41, 0x59, 0x26, 0x53, 0x59])) { continue }
            return name
        }
        let window = head.prefix(4096)
        let binary = window.indices.contains { k in
            window[k] == 0 && !(lineStartNULs && (k == 0 || window[k - 1] == 0x0A || window[k - 1] == 0))
        }
        return binary ? "binary data (it contains NUL bytes)" : nil
    }

    /// What a file handed to a reader of another kind looks like, binary (`kind`) or text by its
    /// first line: an alignment or sequences, a motif file, a structure, a table.
    public static func describe(_ head: [UInt8]) -> String {
        if let kind = kind(of: head) { return kind }
        let line = String(decoding: head.prefix(4096).split(separator: 0x0A).first { !$0.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } } ?? [], as: UTF8.self)
        if line.hasPrefix(">") { return "FASTA/A2M/A3M text (sequences or an alignment)" }
        if line.hasPrefix("# STOCKHOLM") { return "a Stockholm alignment" }
        if line.hasPrefix("MEME version") { return "a MEME motif file" }
        if ["HEADER", "ATOM  ", "HETATM", "data_", "REMARK"].contains(where: line.hasPrefix) { return "a structure (PDB or mmCIF)" }
        if line.contains(",") || line.contains("\t") { return "a text table" }
        return "text"
    }
}

extension CompressedReader {
    /// Throws "not a text WHAT: looks like HDF5" when the file starts like a binary file.
    /// Call before reading the first line.
    public func requireText(_ what: String) throws {
        if let kind = BinaryContent.kind(of: try peek()) { throw FileIOError(path: path, "not a text \(what): looks like \(kind)") }
    }
}
