import FileIO

/// The MEME suite's XML outputs, read only: `meme.xml` (each `<motif>`'s `<probabilities>`, one
/// `<alphabet_array>` of `<value letter_id=…>` per position, the letter ids resolved by the file's
/// `<alphabet>`: `A` in MEME 5, `letter_A` in MEME 4), `streme.xml` and `dreme.xml` (one
/// `<pos A=… C=… G=… T=…/>` per position). Each motif is named as the suite's text output names it
/// (`MOTIF ID ALT`): ID is MEME's `name` (its consensus), DREME's `seq`, else the `id` (STREME's
/// `1-GGGCGG`); name is `alt` (`MEME-1`). Sites: `sites`, `nsites` or `total_sites`; E-value:
/// `e_value`, `test_evalue` or `evalue`; the background of `<background_frequencies>` (normalised,
/// none when uniform, as MEME's text format reads); `<strands>
/// forward</strands>` marks given-strand motifs. RNA's U is read as T; other alphabets are refused.
public enum MEMEXMLFormat {
    /// Whether the root element (after the XML declaration, comments and the DOCTYPE) is `<MEME`,
    /// `<STREME` or `<dreme`.
    public static func sniff(_ text: String) -> Bool {
        var rest = Substring(text).drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        while rest.hasPrefix("<?") || rest.hasPrefix("<!") {
            let end = rest.hasPrefix("<!--") ? "-->" : rest.hasPrefix("<!DOCTYPE") && rest.prefix { $0 != ">" }.contains("[") ? "]>" : ">"
            guard let r = rest.firstRange(of: end) else { return false }
            rest = rest[r.upperBound...].drop { $0.isWhitespace }
        }
        return ["<MEME", "<STREME", "<dreme"].contains { root in
            rest.hasPrefix(root) && rest.dropFirst(root.count).first.map { $0.isWhitespace || $0 == ">" } == true
        }
    }

    public static func parse(_ text: String, path: String) throws -> [Motif] {
        let b = Array(text.utf8), n = b.count
        var line = 1, i = 0
        var symbols: [String: String] = [:]                     // <alphabet>'s letter id → symbol
        var motif: (attributes: [String: String], line: Int)?
        var rows: [[String: Double]] = [], row: [String: Double]?
        var inProbabilities = false, inBackground = false
        var background: [String: Double]?, backgroundLine = 0, strands: String?
        var valueLetter: String?, content = "", capturing = false      // the text of <value> and <strands>
        var motifs: [Motif] = []

        func letter(_ id: String) -> String {
            let s = (symbols[id] ?? (id.hasPrefix("letter_") ? String(id.dropFirst(7)) : id)).uppercased()
            return s == "U" ? "T" : s
        }
        func acgt(_ r: [String: Double], what: String, at l: Int) throws -> [Double] {
            var byLetter: [String: Double] = [:]
            for (k, v) in r { byLetter[letter(k)] = v }
            guard Set(byLetter.keys) == ["A", "C", "G", "T"] else {
                throw FileIOError(path: path, line: l, "\(what) has letters \(byLetter.keys.sorted().joined(separator: ", ")): motif commands read DNA motifs (A, C, G, T)")
            }
            let v = ["A", "C", "G", "T"].map { byLetter[$0]! }
            guard v.allSatisfy({ $0 >= 0 && $0.isFinite }) else { throw FileIOError(path: path, line: l, "\(what) holds a negative or non-finite probability") }
            return v
        }
        func count(_ range: Range<Int>) { for k in range where b[k] == 10 { line += 1 } }

        while i < n {
            guard b[i] == UInt8(ascii: "<") else {
                let start = i
                while i < n && b[i] != UInt8(ascii: "<") { i += 1 }
                if capturing { content += String(decoding: b[start..<i], as: UTF8.self) }
                count(start..<i)
                continue
            }
            let start = i
            let comment = b[i...].starts(with: Array("<!--".utf8))
            if comment || b[i...].starts(with: Array("<![CDATA[".utf8)) {
                let close = Array((comment ? "-->" : "]]>").utf8)
                while i < n && !b[i...].starts(with: close) { i += 1 }
                i = Swift.min(n, i + close.count)
                count(start..<i)
                continue
            }
            var quote: UInt8?                                   // '>' inside a quoted attribute does not end the tag
            i += 1
            while i < n && !(quote == nil && b[i] == UInt8(ascii: ">")) {
                if b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") { quote = quote == nil ? b[i] : (quote == b[i] ? nil : quote) }
                i += 1
            }
            guard i < n else { throw FileIOError(path: path, line: line, "an XML tag that is never closed with '>'") }
            let tagLine = line
            count(start..<i)
            let tag = Tag(b[(start + 1)..<i])
            i += 1
            if tag.closing {
                capturing = false
                switch tag.name {
                case "value":
                    if let l = valueLetter {
                        guard let v = Double(content.trimmingWhitespace()) else {
                            throw FileIOError(path: path, line: tagLine, "value of letter '\(l)' is '\(content.trimmingWhitespace())', not a number")
                        }
                        row?[l] = v
                    }
                    valueLetter = nil
                case "alphabet_array":
                    if let r = row {
                        if motif != nil && inProbabilities { rows.append(r) } else if motif == nil && inBackground { background = r }
                    }
                    row = nil
                case "probabilities": inProbabilities = false
                case "background_frequencies": inBackground = false
                case "strands": strands = String(content.trimmingWhitespace())
                case "motif":
                    guard let m = motif else { break }
                    let a = m.attributes
                    let id = a["name"] ?? a["seq"] ?? a["id"] ?? "motif\(motifs.count + 1)"
                    guard !rows.isEmpty else { throw FileIOError(path: path, line: m.line, "motif '\(id)' has no probability matrix (<probabilities> or <pos> rows)") }
                    let matrix = try rows.map { try MEMEFormat.summingToOne(try acgt($0, what: "motif '\(id)'", at: m.line), path: path, line: m.line) }
                    var motifValue = Motif(id: id, name: a["alt"] ?? "", matrix: matrix,
                                           sites: (a["sites"] ?? a["nsites"] ?? a["total_sites"]).flatMap(Double.init), probabilityRows: true)
                    motifValue.eValue = (a["e_value"] ?? a["test_evalue"] ?? a["evalue"]).flatMap(Double.init)
                    motifs.append(motifValue)
                    motif = nil; rows = []
                default: break
                }
                continue
            }
            switch tag.name {
            case "letter": if let id = tag.attributes["id"], let s = tag.attributes["symbol"] { symbols[id] = s }
            case "motif" where !tag.selfClosing: motif = (tag.attributes, tagLine); rows = []
            case "probabilities": inProbabilities = true
            case "background_frequencies": inBackground = true; backgroundLine = tagLine
            case "alphabet_array": row = [:]
            case "value": valueLetter = tag.attributes["letter_id"]; content = ""; capturing = true
            case "strands": content = ""; capturing = true
            case "pos" where motif != nil:
                var r = tag.attributes
                r["i"] = nil
                var values: [String: Double] = [:]
                for (k, v) in r {
                    guard let x = Double(v) else { throw FileIOError(path: path, line: tagLine, "<pos> \(k)=\"\(v)\" is not a number") }
                    values[k] = x
                }
                rows.append(values)
            default: break
            }
        }
        guard !motifs.isEmpty else { throw FileIOError(path: path, "no <motif> in this MEME suite XML file") }
        let given = strands == "forward"
        let bg = try background.flatMap { try MEMEFormat.background(try acgt($0, what: "the background", at: backgroundLine), path: path, line: backgroundLine) }
        return motifs.map { m in
            var m = m
            m.background = bg
            m.bothStrands = !given
            return m
        }
    }

    /// An XML tag's name and attributes (entities in values decoded).
    struct Tag {
        var name: Substring, closing: Bool, selfClosing: Bool
        var attributes: [String: String] = [:]

        init(_ bytes: ArraySlice<UInt8>) {
            let s = Substring(String(decoding: bytes, as: UTF8.self))
            closing = s.first == "/"
            selfClosing = s.last == "/"
            let body = s.drop { $0 == "/" }
            name = body.prefix { !$0.isWhitespace && $0 != "/" }
            var rest = body.dropFirst(name.count)
            while let eq = rest.firstIndex(of: "=") {
                let key = rest[..<eq].trimmingWhitespace()
                let after = rest[rest.index(after: eq)...].drop { $0.isWhitespace }
                guard let q = after.first, q == "\"" || q == "'", let end = after.dropFirst().firstIndex(of: q) else { break }
                attributes[String(key)] = Tag.decode(after[after.index(after: after.startIndex)..<end])
                rest = after[after.index(after: end)...]
            }
        }

        static let entities: [Substring: Character] = ["quot": "\"", "apos": "'", "lt": "<", "gt": ">", "amp": "&"]

        /// XML's five named entities decoded; any other `&…;` is kept as written.
        static func decode(_ s: Substring) -> String {
            var out = "", rest = s
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                let tail = rest[rest.index(after: amp)...]
                if let semi = tail.prefix(5).firstIndex(of: ";"), let c = entities[tail[..<semi]] {
                    out.append(c); rest = tail[tail.index(after: semi)...]
                } else {
                    out.append("&"); rest = tail
                }
            }
            return out + rest
        }
    }
}
