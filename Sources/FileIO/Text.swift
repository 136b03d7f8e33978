/// Trimming text: the one helper every reader uses (inner characters are always kept).
extension StringProtocol {
    /// Without leading and trailing characters for which `drop` holds.
    public func trimming(while drop: (Character) -> Bool) -> Substring {
        var s = Substring(self)
        while let c = s.first, drop(c) { s.removeFirst() }
        while let c = s.last, drop(c) { s.removeLast() }
        return s
    }

    /// Without leading and trailing white space (spaces, tabs, line ends).
    public func trimmingWhitespace() -> Substring { trimming(while: \.isWhitespace) }

    /// Without trailing white space (a line's end: "\r", spaces); leading white space is kept.
    public func trimmingTrailingWhitespace() -> Substring {
        var s = Substring(self)
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return s
    }
}

extension String {
    /// The lower-cased extension of a path's last component ("a3m" of "dir/x.A3M"; "" of "x."), nil
    /// without a dot; `throughGzip` looks past a final ".gz" ("a3m" of "x.a3m.gz").
    public func pathExtension(throughGzip: Bool = false) -> String? {
        var name = Substring(split(separator: "/").last ?? "").lowercased()
        if throughGzip && name.hasSuffix(".gz") { name = String(name.dropLast(3)) }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count > 1 ? String(parts.last!) : nil
    }

    /// The UTF-8 text of a C buffer up to its first NUL (what `fgets` and `snprintf` fill).
    public init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension StringProtocol {
    /// The text as one CSV/TSV field (RFC 4180): in double quotes, inner quotes doubled, when it
    /// holds the separator, a quote or a line break; else as it is.
    public func csvField(separator: Character = ",") -> String {
        guard contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return String(self) }
        return "\"" + String(flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
    }
}
