import Tensors

/// One-hot DNA in the (N, 4, L) layout of the field's datasets: channel order A, C, G, T;
/// N (or any other letter) is 0.25 in every channel.
public enum OneHot {
    public static let bases: [Character] = ["A", "C", "G", "T"]

    /// Channel of a base, or nil for N/unknown.
    public static func channel(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "A"), UInt8(ascii: "a"): return 0
        case UInt8(ascii: "C"), UInt8(ascii: "c"): return 1
        case UInt8(ascii: "G"), UInt8(ascii: "g"): return 2
        case UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: "U"), UInt8(ascii: "u"): return 3
        default: return nil
        }
    }

    /// (N, 4, L) from N sequences of equal length L.
    public static func encode(_ sequences: [String]) -> Tensor { encodeRows(sequences.map(\.utf8)) }

    /// (N, 4, L) from N sequences of equal length L given as ASCII bytes (a genome's windows).
    public static func encode(bytes sequences: [[UInt8]]) -> Tensor { encodeRows(sequences) }

    static func encodeRows<S: Collection>(_ sequences: [S]) -> Tensor where S.Element == UInt8 {
        let l = sequences.first?.count ?? 0
        precondition(sequences.allSatisfy { $0.count == l }, "one-hot encoding needs sequences of equal length")
        var x = Tensor(zeros: [sequences.count, 4, l])
        for (n, s) in sequences.enumerated() {
            for (i, c) in s.enumerated() {
                if let b = channel(c) { x.scalars[(n * 4 + b) * l + i] = 1 }
                else { for b in 0..<4 { x.scalars[(n * 4 + b) * l + i] = 0.25 } }
            }
        }
        return x
    }

    /// The arg-max channel at each position of sequence `n` of an (N, 4, L) tensor (the first of
    /// equal maxima: 0 = A for an N column of 0.25s).
    public static func channels(_ x: Tensor, sequence n: Int) -> [Int] {
        let l = x.shape[2]
        return (0..<l).map { i in (0..<4).max { x.scalars[(n * 4 + $0) * l + i] < x.scalars[(n * 4 + $1) * l + i] }! }
    }

    /// Sequence `n` of an (N, 4, L) tensor: the arg-max base, N where no channel exceeds 0.5.
    public static func decode(_ x: Tensor, sequence n: Int) -> String {
        let l = x.shape[2]
        return String(channels(x, sequence: n).enumerated().map { i, b in x.scalars[(n * 4 + b) * l + i] > 0.5 ? bases[b] : "N" })
    }

    /// The reverse complement of every sequence of an (N, 4, L) one-hot tensor. With channels in
    /// A, C, G, T order the complement reverses the channel axis, so x_rc[n, c, i] = x[n, 3 − c, L − 1 − i]:
    /// each sequence's 4·L block read backwards. Its own adjoint (used for gradients).
    public static func reverseComplement(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[1] == 4, "reverse complement needs (N, 4, L), got \(x.shape)")
        let width = 4 * x.shape[2]
        var out = [Float](uninitializedCount: x.count)
        x.scalars.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for n in 0..<x.shape[0] {
                    let base = n * width
                    for k in 0..<width { dst[base + k] = src[base + width - 1 - k] }
                }
            }
        }
        return Tensor(shape: x.shape, scalars: out)
    }
}
