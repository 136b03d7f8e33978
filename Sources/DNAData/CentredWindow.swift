/// A sequence brought to a model's input length L around its centre: a longer one cropped to its
/// central L bases (⌊(n − L)/2⌋ dropped on the left), a shorter one padded with N on both ends
/// (⌊(L − n)/2⌋ on the left) — how regions of any width meet a fixed-window CNN (the window a
/// summit-centred peak dataset takes, with N where the region ends).
public enum CentredWindow {
    public static func fit(_ sequence: String, length: Int) -> String {
        let bases = Array(sequence.utf8), n = bases.count
        if n == length { return sequence }
        if n > length {
            let left = (n - length) / 2
            return String(decoding: bases[left..<(left + length)], as: UTF8.self)
        }
        let left = (length - n) / 2
        return String(repeating: "N", count: left) + sequence + String(repeating: "N", count: length - n - left)
    }
}
