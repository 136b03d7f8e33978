import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file that may be gzip-compressed (detected by its magic bytes 1f 8b),
/// streaming through zlib's `gzread`, which passes plain files through unchanged.
/// A truncated or corrupt gzip stream is an error, never silently short data.
///
/// Every text reader gets its lines here, so line-ending and encoding quirks are handled once:
/// a line ends at "\n"; any "\r" before it (CRLF, or the "\r\r\n" of a file converted twice)
/// is dropped, and a UTF-8 byte-order mark (EF BB BF) at the start of the file is skipped.
/// The path `-` reads standard input.
public final class CompressedReader {
    public let path: String
    private let file: gzFile
    private var buffer: [UInt8]
    private var start = 0, end = 0
    private var finished = false
    /// 1-based number of the last line returned by `readLine()`.
    public private(set) var lineNumber = 0
    /// The file's size in bytes (compressed, as stored); nil for standard input.
    public let fileSize: Int?
    /// How far into the file (compressed bytes, as stored) reading has gone: with `fileSize`, a
    /// progress bar over a long read.
    public var fileOffset: Int { Int(gzoffset(file)) }

    public init(path: String, bufferSize: Int = 1 << 20) throws {
        self.path = path
        buffer = [UInt8](repeating: 0, count: bufferSize)
        if path == "-" {
            guard let f = gzdopen(dup(STDIN_FILENO), "rb") else { throw FileIOError(path: "-", "cannot read standard input") }
            gzbuffer(f, 1 << 17)
            file = f
            fileSize = nil
            return
        }
        var st = stat()
        guard stat(path, &st) == 0 else { throw FileIOError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) != S_IFDIR else { throw FileIOError(path: path, "is a directory") }
        guard let f = gzopen(path, "rb") else { throw FileIOError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        gzbuffer(f, 1 << 17)
        file = f
        fileSize = Int(st.st_size)
    }

    /// The UTF-8 byte-order mark some editors (Excel, Notepad) put at the start of a text file.
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Drops a leading byte-order mark from the first line.
    private func skippingBOM(_ lineStart: Int, _ stop: Int) -> Int {
        guard lineNumber == 1, stop - lineStart >= 3,
              buffer[lineStart] == 0xEF, buffer[lineStart + 1] == 0xBB, buffer[lineStart + 2] == 0xBF else { return lineStart }
        return lineStart + 3
    }

    /// Up to `count` bytes from the start of the (decompressed) data, without consuming them;
    /// for sniffing a file's kind before reading it line by line. Call before the first line.
    public func peek(_ count: Int = 4096) throws -> [UInt8] {
        while end - start < count, try fill() {}
        return Array(buffer[start..<Swift.min(end, start + count)])
    }

    deinit { gzclose(file) }

    /// Refills the buffer, keeping unread bytes. Returns false at end of data.
    private func fill() throws -> Bool {
        if finished { return false }
        if start > 0 {
            buffer.withUnsafeMutableBytes { b in
                if end > start { memmove(b.baseAddress!, b.baseAddress! + start, end - start) }
            }
            end -= start; start = 0
        }
        if end == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
        let n = buffer.withUnsafeMutableBytes { b in gzread(file, b.baseAddress! + end, UInt32(b.count - end)) }
        if n < 0 {
            var code: Int32 = 0
            let message = String(cString: gzerror(file, &code))
            throw FileIOError(path: path, "corrupt or truncated compressed data (\(message))")
        }
        if n == 0 {
            // gzread returns 0 both at a clean end and when the stream stops mid-member.
            var code: Int32 = 0
            let message = gzerror(file, &code)
            if code != Z_OK && code != Z_STREAM_END {
                throw FileIOError(path: path, "corrupt or truncated compressed data (\(String(cString: message!)))")
            }
            finished = true
            return false
        }
        end += Int(n)
        return true
    }

    /// The next line without its terminator ("\n", "\r\n", "\r\r\n"), or nil at end of file.
    /// The closure form avoids building a String: `body` sees the line's bytes.
    public func withNextLine<T>(_ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
        while true {
            let found: Int? = buffer.withUnsafeBytes { b in
                guard end > start, let p = memchr(b.baseAddress! + start, 0x0A, end - start) else { return nil }
                return b.baseAddress!.distance(to: UnsafeRawPointer(p))
            }
            if let nl = found {
                lineNumber += 1
                var stop = nl
                while stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
                let lineStart = skippingBOM(start, stop)
                start = nl + 1
                return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<stop])) }
            }
            if try !fill() {
                guard end > start else { return nil }
                lineNumber += 1
                var stop = end
                while stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
                let lineStart = skippingBOM(start, stop)
                start = end
                return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<stop])) }
            }
        }
    }

    /// The next line as a String, or nil at end of file.
    public func readLine() throws -> String? {
        try withNextLine { String(decoding: $0, as: UTF8.self) }
    }

    /// All remaining bytes (decompressed).
    public func readAll() throws -> [UInt8] {
        while try fill() {}
        defer { start = end }
        return Array(buffer[start..<end])
    }

    /// The whole (decompressed) content of `path`.
    public static func readBytes(_ path: String) throws -> [UInt8] { try CompressedReader(path: path).readAll() }

    /// The whole (decompressed) content of `path` as text, with a leading byte-order mark dropped
    /// and line endings normalised to "\n" (CRLF and lone CR both become LF). A binary file
    /// (`BinaryContent`) is refused: "not a text WHAT: looks like …".
    public static func readText(_ path: String, what: String = "file") throws -> String {
        var bytes = try readBytes(path)
        if let kind = BinaryContent.kind(of: Array(bytes.prefix(4096))) { throw FileIOError(path: path, "not a text \(what): looks like \(kind)") }
        if bytes.starts(with: byteOrderMark) { bytes.removeFirst(3) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var k = 0
        while k < bytes.count {
            if bytes[k] == 0x0D {
                out.append(0x0A)
                while k + 1 < bytes.count && bytes[k + 1] == 0x0D { k += 1 }
                if k + 1 < bytes.count && bytes[k + 1] == 0x0A { k += 1 }
            } else {
                out.append(bytes[k])
            }
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
