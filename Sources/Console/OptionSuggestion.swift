/// The option a mistyped one most likely meant: `--arch` → `--architecture`, `--quite` → `--quiet`.
///
/// A known option that starts with what was typed wins (the shortest such one, as shells complete);
/// then the one at the smallest Levenshtein distance, if that distance is at most a third of the
/// typed name's length (at least 2), so unrelated names are not offered.
public enum OptionSuggestion {
    public static func closest(to typed: String, among options: [String]) -> String? {
        let typedName = strip(typed)
        guard !typedName.isEmpty else { return nil }
        let candidates = Array(Set(options.filter { $0.hasPrefix("--") }))
        let prefixed = candidates.filter { strip($0).hasPrefix(typedName) && strip($0) != typedName }
        if let best = prefixed.min(by: { ($0.count, $0) < ($1.count, $1) }) { return best }
        let scored = candidates.map { ($0, editDistance(typedName, strip($0))) }
        guard let best = scored.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return nil }
        return best.1 <= max(2, typedName.count / 3) ? best.0 : nil
    }

    static func strip(_ s: String) -> String { String(s.drop { $0 == "-" }.prefix { $0 != "=" }) }

    /// Levenshtein distance (insertions, deletions, substitutions each cost 1).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count), current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
