/// Local alignment (Smith–Waterman) of two sequences to map residue positions across numbering
/// mismatches, missing residues, tags and extra termini: identity +2, mismatch −1, gap −2
/// (linear). Only the best-scoring aligned stretch maps, so unrelated ends (a His tag beside a
/// focus's own C-terminus) stay unmapped instead of being aligned as mismatches, as a global
/// alignment would; an isolated mismatch or a missing loop inside still bridges. Ties prefer the
/// diagonal. Returns, for each position of `a`, the aligned position of `b` or nil.
public func localAlignment(_ a: [Character], _ b: [Character], match: Int = 2, mismatch: Int = -1, gap: Int = -2) -> [Int?] {
    let (n, m) = (a.count, b.count)
    var mapping = [Int?](repeating: nil, count: n)
    guard n > 0 && m > 0 else { return mapping }
    let w = m + 1
    var score = [Int](repeating: 0, count: (n + 1) * w)
    var move = [UInt8](repeating: 3, count: (n + 1) * w)     // 0 diag, 1 up (gap in b), 2 left (gap in a), 3 start
    var best = (score: 0, i: 0, j: 0)
    for i in 1...n {
        for j in 1...m {
            let d = score[(i - 1) * w + j - 1] + (a[i - 1] == b[j - 1] ? match : mismatch)
            let u = score[(i - 1) * w + j] + gap
            let l = score[i * w + j - 1] + gap
            let k = i * w + j
            if d >= u && d >= l && d > 0 { score[k] = d; move[k] = 0 }
            else if u >= l && u > 0 { score[k] = u; move[k] = 1 }
            else if l > 0 { score[k] = l; move[k] = 2 }
            if score[k] > best.score { best = (score[k], i, j) }
        }
    }
    var (i, j) = (best.i, best.j)
    while i > 0 && j > 0 {
        switch move[i * w + j] {
        case 0: mapping[i - 1] = j - 1; i -= 1; j -= 1
        case 1: i -= 1
        case 2: j -= 1
        default: return mapping
        }
    }
    return mapping
}

/// Global alignment (Needleman–Wunsch) of two sequences to map residue positions across
/// numbering mismatches and missing residues, used where `localAlignment` does not find one
/// sequence in the other. Scores: identity +2, mismatch −1, gap −2 (linear);
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
