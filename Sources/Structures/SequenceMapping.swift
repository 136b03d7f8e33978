/// Global alignment (Needleman–Wunsch) of two sequences to map residue positions across
/// numbering mismatches and missing residues. Scores: identity +2, mismatch −1, gap −2 (linear);
/// ties prefer the diagonal. Returns, for each position of `a`, the aligned position of `b` or nil.
public func needlemanWunsch(_ a: [Character], _ b: [Character], match: Int = 2, mismatch: Int = -1, gap: Int = -2) -> [Int?] {
    let (n, m) = (a.count, b.count)
    var score = [Int](repeating: 0, count: (n + 1) * (m + 1))
    var move = [UInt8](repeating: 0, count: (n + 1) * (m + 1))   // 0 diag, 1 up (gap in b), 2 left (gap in a)
    let w = m + 1
    for i in 1...Swift.max(n, 1) where i <= n { score[i * w] = i * gap; move[i * w] = 1 }
    for j in 1...Swift.max(m, 1) where j <= m { score[j] = j * gap; move[j] = 2 }
    if n > 0 && m > 0 {
        for i in 1...n {
            for j in 1...m {
                let d = score[(i - 1) * w + j - 1] + (a[i - 1] == b[j - 1] ? match : mismatch)
                let u = score[(i - 1) * w + j] + gap
                let l = score[i * w + j - 1] + gap
                if d >= u && d >= l { score[i * w + j] = d; move[i * w + j] = 0 }
                else if u >= l { score[i * w + j] = u; move[i * w + j] = 1 }
                else { score[i * w + j] = l; move[i * w + j] = 2 }
            }
        }
    }
    var mapping = [Int?](repeating: nil, count: n)
    var (i, j) = (n, m)
    while i > 0 || j > 0 {
        switch move[i * w + j] {
        case 0 where i > 0 && j > 0: mapping[i - 1] = j - 1; i -= 1; j -= 1
        case 1 where i > 0: i -= 1
        default: j -= 1
        }
    }
    return mapping
}
