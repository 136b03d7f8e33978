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

    /// "1.23 GB".
    public static func describe(_ bytes: Int) -> String {
        let gb = Double(bytes) / 1e9
        let r = (gb * 100).rounded() / 100
        return "\(r) GB"
    }
}
