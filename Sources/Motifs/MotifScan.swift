#if canImport(Glibc)
import Glibc
#endif
import Tensors

/// FIMO's scan (Grant, Bailey & Noble 2011): each motif becomes a log-odds matrix
///   S(j, a) = log₂(p′_ja / b_a),   p′ = (p·n + π·b_a) / (n + π)
/// (n the motif's sites, `Motif.defaultSites` when unknown; pseudocount π, FIMO's 0.1; background b:
/// `background`, else the one the motif's file states, else uniform), a window's score is
/// Σ_j S(j, x_{i+j}), on the given strand and on the reverse complement (unless `bothStrands` is
/// false or the motif's file describes the given strand only, MEME's `strands: +`), and its
/// p-value is P(S ≥ s) for a background sequence (on the − strand, whose letters are the complements
/// of background letters, under the complemented background) — exact on a grid of `bins` steps per bit (each
/// column's scores rounded down to the grid, their distributions convolved). Windows with an
/// ambiguous base are not scored. q-values: Benjamini–Hochberg over every window scored for the motif
/// (both strands), so they are conservative beside FIMO's Storey estimate.
public struct MotifScan: Sendable {
    /// The background frequencies of A, C, G, T for every motif; nil: each motif's own
    /// (`Motif.background`, uniform when its file states none).
    public var background: [Double]?
    public var pseudocount = 0.1
    public var bins = 100
    /// Report windows with p ≤ this (FIMO's --thresh).
    public var threshold = 1e-4
    /// Score the reverse complement too (FIMO's default; false is its --norc).
    public var bothStrands = true

    public init() {}

    public struct Hit: Sendable, Equatable {
        public var motif: Int, sequence: Int
        /// 0-based start of the window on the given strand; `minus`: the motif matched the reverse complement.
        public var start: Int, minus: Bool
        public var score: Double, pValue: Double, qValue: Double
    }

    /// The background b a motif is scored against.
    public func background(of motif: Motif) -> [Double] { background ?? motif.background ?? Motif.uniformBackground }

    /// The log-odds matrix S(j, a) of a motif.
    public func logOdds(_ motif: Motif) -> [[Double]] {
        let b = background(of: motif)
        precondition(pseudocount > 0 && b.allSatisfy { $0 > 0 }, "a positive pseudocount and background keep every score finite")
        let n = motif.sites ?? Motif.defaultSites
        return motif.probabilities().map { row in
            (0..<4).map { a in log2(((row[a] * n + pseudocount * b[a]) / (n + pseudocount)) / b[a]) }
        }
    }

    /// P(grid score ≥ k) for k from `offset` up, the grid score of a window being Σ_j ⌊S(j, x)·bins⌋.
    func survival(_ grid: [[Int]], background: [Double]) -> (offset: Int, tail: [Double]) {
        var offset = 0, mass: [Double] = [1]
        for column in grid {
            let lo = column.min()!
            var letters = [Double](repeating: 0, count: column.max()! - lo + 1)
            for a in 0..<4 { letters[column[a] - lo] += background[a] }
            offset += lo; mass = ColumnNull.convolve(mass, letters)
        }
        return (offset, ColumnNull.tail(mass))
    }

    /// `sequences`: bases coded 0–3 (A, C, G, T), anything else ambiguous. Hits ordered by motif,
    /// then p-value (ties: sequence, start, strand). Motifs are split over the threads; `progress`
    /// runs after each motif, one call at a time.
    public func scan(_ motifs: [Motif], sequences: [[UInt8]], progress: (@Sendable () -> Void)? = nil) -> [Hit] {
        var perMotif = [[Hit]](repeating: [], count: motifs.count)
        let lock = Lock()
        perMotif.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            Parallel.forEachChunk(motifs.count, minimumPerThread: 1) { range in
                for mi in range {
                    out[mi] = self.hits(motifs[mi], index: mi, sequences: sequences)
                    lock.locked { progress?() }
                }
            }
        }
        return perMotif.flatMap { $0 }
    }

    /// One motif's hits, by p-value, with their q-values.
    func hits(_ motif: Motif, index mi: Int, sequences: [[UInt8]]) -> [Hit] {
        let s = logOdds(motif), w = s.count
        let grid = s.map { $0.map { Int(($0 * Double(bins)).rounded(.down)) } }
        let reverse = grid.reversed().map { [$0[3], $0[2], $0[1], $0[0]] }
        // A window x of background letters scores S on the − strand as its reverse complement, whose
        // letters follow the complemented background, scores on the +: each strand has its own null
        // (the same one when b_A = b_T and b_C = b_G).
        let b = background(of: motif), complemented = [b[3], b[2], b[1], b[0]]
        let plus = survival(grid, background: b)
        let minusNull = complemented == b ? plus : survival(grid, background: complemented)
        let strands = bothStrands && motif.bothStrands ? 2 : 1
        func pValue(_ k: Int, _ null: (offset: Int, tail: [Double])) -> Double {
            k - null.offset < 0 ? 1 : k - null.offset >= null.tail.count ? 0 : Swift.min(1, null.tail[k - null.offset])
        }
        // Flat tables (column j, base b at 4j + b) read through pointers: no reference counting in
        // the loop, which threads scanning other motifs would contend on.
        let forward = grid.flatMap { $0 }, backward = reverse.flatMap { $0 }
        var found: [Hit] = [], tests = 0
        forward.withUnsafeBufferPointer { fw in
            backward.withUnsafeBufferPointer { bw in
                for (si, sequence) in sequences.enumerated() where sequence.count >= w {
                    sequence.withUnsafeBufferPointer { x in
                        for start in 0...(x.count - w) {
                            var k = 0, kr = 0, clean = true
                            for j in 0..<w {
                                let b = Int(x[start + j])
                                if b >= 4 { clean = false; break }
                                k += fw[4 * j + b]; kr += bw[4 * j + b]
                            }
                            guard clean else { continue }
                            tests += strands
                            for side in 0..<strands {
                                let minus = side == 1, p = minus ? pValue(kr, minusNull) : pValue(k, plus)
                                guard p <= threshold else { continue }
                                var bits = 0.0
                                for j in 0..<w {
                                    let b = Int(x[start + j])
                                    bits += minus ? s[w - 1 - j][3 - b] : s[j][b]
                                }
                                found.append(Hit(motif: mi, sequence: si, start: start, minus: minus, score: bits, pValue: p, qValue: 1))
                            }
                        }
                    }
                }
            }
        }
        found.sort { ($0.pValue, $0.sequence, $0.start, $0.minus ? 1 : 0) < ($1.pValue, $1.sequence, $1.start, $1.minus ? 1 : 0) }
        // Benjamini–Hochberg over all `tests` windows scored, not only the hits reported.
        let q = MotifComparison.benjaminiHochberg(found.map(\.pValue), tests: tests)
        for r in found.indices { found[r].qValue = q[r] }
        return found
    }
}
