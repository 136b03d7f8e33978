#if canImport(Glibc)
import Glibc
#endif

/// What the machine can give a fit.
public enum SystemMemory {
    /// Bytes the kernel reports as available to a new allocation (`MemAvailable` in
    /// /proc/meminfo), or nil where that is unknown.
    public static func available() -> Int? {
        guard let f = fopen("/proc/meminfo", "r") else { return nil }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, 256, f) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("MemAvailable:") {
                let digits = text.split(separator: " ").dropFirst().first.flatMap { Int($0) }
                return digits.map { $0 * 1024 }
            }
        }
        return nil
    }

    /// Bytes this process has resident now (`VmRSS`: the binary, its libraries, what it has read),
    /// or nil where that is unknown. A fit's peak is this plus what the fit allocates.
    public static func resident() -> Int? {
        guard let f = fopen("/proc/self/statm", "r") else { return nil }
        defer { fclose(f) }
        var size = 0, pages = 0
        guard fscanf_statm(f, &size, &pages) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func fscanf_statm(_ f: UnsafeMutablePointer<FILE>, _ size: inout Int, _ pages: inout Int) -> Bool {
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, 256, f) != nil else { return false }
        let fields = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: " ")
        guard fields.count >= 2, let s = Int(fields[0]), let r = Int(fields[1]) else { return false }
        (size, pages) = (s, r)
        return true
    }

    /// "1.23 GB".
    public static func describe(_ bytes: Int) -> String {
        let gb = Double(bytes) / 1e9
        let r = (gb * 100).rounded() / 100
        return "\(r) GB"
    }
}
