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
    /// Where both strands of a window pass, report the higher-scoring one only (FIMO's --max-strand;
    /// a tie keeps the given strand). Both still count in the q-values: the dropped one was tested.
    public var maxStrand = false

    public init() {}

    public struct Hit: Sendable, Equatable {
        public var motif: Int, sequence: Int
        /// 0-based start of the window on the given strand; `minus`: the motif matched the reverse complement.
        public var start: Int, minus: Bool
        public var score: Double, pValue: Double, qValue: Double
        /// The window's bases (codes 0–3) read on the hit's strand: its reverse complement when `minus`.
        public var bases: [UInt8]
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
            let entries = letters.indices.filter { letters[$0] != 0 }.map { (index: $0, value: letters[$0]) }
            offset += lo; mass = ColumnNull.convolve(mass, sparse: entries, count: letters.count)
        }
        return (offset, ColumnNull.tail(mass))
    }

    /// `sequences`: bases coded 0–3 (A, C, G, T), anything else ambiguous. Hits ordered by motif,
    /// then p-value (ties: sequence, start, strand). The work is split over the threads in pieces
    /// of one motif over `piece` consecutive window starts of the sequences laid end to end, so
    /// one motif over one chromosome uses every core as a thousand motifs over short peaks do
    /// (default: whole motifs when there are 64 or more, else pieces of at least 65,536 starts,
    /// 64 items in all); `progress(bases)` runs after each piece, one call at a time (motifs ×
    /// Σ lengths in all).
    public func scan(_ motifs: [Motif], sequences: [[UInt8]], piece: Int? = nil, progress: (@Sendable (Int) -> Void)? = nil) -> [Hit] {
        var stream = Stream(self, motifs: motifs)
        stream.add(sequences, piece: piece, progress: progress)
        return stream.hits()
    }

    /// A scan of sequences that arrive in batches — a genome read one record at a time is held one
    /// batch at a time, not whole: `add` scans a batch as `scan` does, numbering its sequences on
    /// from the batches before; `hits()` orders them and computes q-values over the windows of every
    /// batch — the same hits `scan` gives for all the sequences at once.
    ///
    /// A kept hit costs 40 bytes and its window's bases one byte each (`Kept`, each motif's windows
    /// in one pool), not a `Hit` with its own array. With `maxStored` (FIMO's --max-stored-scores),
    /// once a batch leaves more hits kept than that, those with p ≥ t are dropped — t the p-value of
    /// the (maxStored/2 + 1)-th best, as FIMO halves its store — and later windows need p < t
    /// (`dropBound`). The hits kept are then the most significant of all, so their ranks are those
    /// the whole scan gives them; their q-values, Benjamini–Hochberg over the hits kept, are never
    /// below the whole scan's.
    public struct Stream: Sendable {
        public let settings: MotifScan
        let tables: [Table]
        var kept: [[Kept]], pools: [[UInt8]], tests: [Int]
        /// Sequences added so far.
        public private(set) var sequences = 0
        /// Keep at most this many hits (nil: all); see the type's note.
        public var maxStored: Int?
        /// Hits with p-values at or above this were dropped to keep `maxStored` (nil: none were).
        public private(set) var dropBound: Double?

        /// A hit as kept between batches: its window's bases are `width` bytes of its motif's pool.
        struct Kept: Sendable {
            var sequence: Int, start: Int, score: Double, pValue: Double, minus: Bool
        }

        /// Each motif's tables (its nulls' convolutions take as long as a short scan), over the threads.
        public init(_ settings: MotifScan, motifs: [Motif]) {
            var built = [Table?](repeating: nil, count: motifs.count)
            built.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out = out
                Parallel.forEachChunk(motifs.count, minimumPerThread: 1) { range in for mi in range { out[mi] = settings.table(motifs[mi]) } }
            }
            self.settings = settings
            tables = built.map { $0! }
            kept = Array(repeating: [], count: motifs.count)
            pools = Array(repeating: [], count: motifs.count)
            tests = Array(repeating: 0, count: motifs.count)
        }

        /// Hits kept so far.
        public var storedCount: Int { kept.reduce(0) { $0 + $1.count } }

        /// Scans a batch (`scan`'s `sequences`, `piece` and `progress`); its hits are kept for `hits()`.
        public mutating func add(_ batch: [[UInt8]], piece: Int? = nil, progress: (@Sendable (Int) -> Void)? = nil) {
            for (mi, found) in zip(tables.indices, scan(batch, motifs: tables.indices, piece: piece, progress: progress)) {
                kept[mi] += found.hits; pools[mi] += found.bases
            }
            sequences += batch.count
            if let maxStored, storedCount > maxStored { drop(keeping: maxStored / 2) }
        }

        /// Drops every kept hit with p ≥ t, t the p-value of the (n + 1)-th best, and scans on below t.
        mutating func drop(keeping n: Int) {
            var p = kept.flatMap { $0.map(\.pValue) }
            p.sort()
            let t = p[Swift.min(n, p.count - 1)]
            for mi in kept.indices {
                let w = tables[mi].width
                var hits: [Kept] = [], bases: [UInt8] = []
                for (r, h) in kept[mi].enumerated() where h.pValue < t { hits.append(h); bases += pools[mi][(r * w)..<((r + 1) * w)] }
                kept[mi] = hits; pools[mi] = bases
            }
            dropBound = Swift.min(dropBound ?? .infinity, t)
        }

        /// Scans a batch as `add` does, but hands its hits to `emit` instead of keeping them, in scan
        /// order — by motif, then sequence, start and strand; q-values unknown (1) — `passedMotifs`
        /// motifs at a time, so a scan that writes its hits as it goes holds only those motifs' hits
        /// of one batch. Their windows still count in the q-values of the hits that are kept.
        public mutating func pass(_ batch: [[UInt8]], piece: Int? = nil, progress: (@Sendable (Int) -> Void)? = nil,
                                  to emit: ([Hit]) throws -> Void) rethrows {
            for from in stride(from: 0, to: tables.count, by: Self.passedMotifs) {
                let group = from..<Swift.min(tables.count, from + Self.passedMotifs)
                let found = scan(batch, motifs: group, piece: piece, progress: progress)
                try emit(settings.strongerStrands(zip(group, found).flatMap { mi, f in
                    f.hits.indices.map { hit(f.hits[$0], motif: mi, bases: f.bases, at: $0, qValue: 1) }
                }))
            }
            sequences += batch.count
        }

        /// Motifs scanned at a time by `pass`.
        public static let passedMotifs = 16

        func hit(_ k: Kept, motif mi: Int, bases: [UInt8], at r: Int, qValue: Double) -> Hit {
            let w = tables[mi].width
            return Hit(motif: mi, sequence: k.sequence, start: k.start, minus: k.minus, score: k.score, pValue: k.pValue, qValue: qValue,
                       bases: Array(bases[(r * w)..<((r + 1) * w)]))
        }

        /// The hits of each of `motifs` in a batch (sequences numbered on from those before), in
        /// scan order, with their windows' bases end to end; their windows are added to the motifs' tests.
        mutating func scan(_ batch: [[UInt8]], motifs: Range<Int>, piece: Int?, progress: (@Sendable (Int) -> Void)?) -> [(hits: [Kept], bases: [UInt8])] {
            let (tables, first, settings, bound) = (tables, sequences, settings, dropBound ?? .infinity)
            let cuts = motifs.map { (plus: settings.leastPassingScore(tables[$0].plus, below: bound), minus: settings.leastPassingScore(tables[$0].minus, below: bound)) }
            var ends = [0]                                          // sequence k starts at offsets[k] end to end
            for x in batch { ends.append(ends.last! + x.count) }
            let offsets = ends, total = Swift.max(ends.last!, 1)
            let size = Swift.max(piece ?? Swift.max(1 << 16, total * motifs.count / 64), 1), pieces = (offsets.last! + size - 1) / size
            var results = [(hits: [Kept], bases: [UInt8], tests: Int)](repeating: ([], [], 0), count: motifs.count * pieces)
            let lock = Lock()
            results.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let out = out
                Parallel.forEachChunk(out.count, minimumPerThread: 1) { items in
                    for item in items {
                        let (mi, range) = (motifs.lowerBound + item / pieces, (item % pieces * size)..<Swift.min(offsets.last!, (item % pieces + 1) * size))
                        let table = tables[mi]
                        var hits: [Kept] = [], bases: [UInt8] = [], tests = 0
                        // The sequences this piece overlaps; each window belongs to the piece its start lies in.
                        var (si, hi) = (0, batch.count)                      // the last sequence starting at or before the piece
                        while si < hi { let mid = (si + hi + 1) / 2; if offsets[mid] <= range.lowerBound { si = mid } else { hi = mid - 1 } }
                        while si < batch.count && offsets[si] < range.upperBound {
                            let n = batch[si].count - table.width + 1, o = offsets[si]
                            let starts = Swift.max(0, range.lowerBound - o)..<Swift.max(Swift.max(0, range.lowerBound - o), Swift.min(n, range.upperBound - o))
                            if !starts.isEmpty {
                                tests += batch[si].withUnsafeBufferPointer {
                                    settings.windows(table, sequence: first + si, $0, starts: starts, passing: cuts[mi - motifs.lowerBound], into: &hits, bases: &bases)
                                }
                            }
                            si += 1
                        }
                        out[item] = (hits, bases, tests)
                        lock.locked { progress?(range.count) }
                    }
                }
            }
            return (0..<motifs.count).map { k in
                let mine = results[(k * pieces)..<((k + 1) * pieces)]
                tests[motifs.lowerBound + k] += mine.reduce(0) { $0 + $1.tests }
                return (mine.flatMap(\.hits), mine.flatMap(\.bases))
            }
        }

        /// The hits of every batch, ordered as `scan` orders them, with their q-values.
        public func hits() -> [Hit] {
            var all: [Hit] = []
            forEachMotif { all += $0 }
            return all
        }

        /// `hits()` a motif at a time (in motif order), so that only one motif's `Hit`s exist at once.
        public func forEachMotif(_ body: ([Hit]) throws -> Void) rethrows {
            for mi in tables.indices {
                let found = kept[mi]
                let order = found.indices.sorted {
                    let (a, b) = (found[$0], found[$1])
                    return (a.pValue, a.sequence, a.start, a.minus ? 1 : 0) < (b.pValue, b.sequence, b.start, b.minus ? 1 : 0)
                }
                // Benjamini–Hochberg over all windows scored, not only the hits reported.
                let q = MotifComparison.benjaminiHochberg(order.map { found[$0].pValue }, tests: tests[mi])
                try body(settings.strongerStrands(order.indices.map { hit(found[order[$0]], motif: mi, bases: pools[mi], at: order[$0], qValue: q[$0]) }))
            }
        }
    }

    /// The hits less, with `maxStrand`, each that lost to the other strand of its window (order kept).
    func strongerStrands(_ hits: [Hit]) -> [Hit] {
        guard maxStrand else { return hits }
        struct Window: Hashable { let motif: Int, sequence: Int, start: Int }
        var best: [Window: Hit] = [:]
        for h in hits {
            let w = Window(motif: h.motif, sequence: h.sequence, start: h.start)
            if let other = best[w], other.score > h.score || (other.score == h.score && !other.minus) { continue }
            best[w] = h
        }
        return hits.filter { best[Window(motif: $0.motif, sequence: $0.sequence, start: $0.start)]!.minus == $0.minus }
    }

    /// A motif's scoring tables: its log-odds matrix; the grid scores both ways in blocks of
    /// `qmer` columns, entry 625·b + c of `forward` the grid score of columns qb…qb+3 for the bases
    /// that code c spells (c = Σ_d x_d·5^(3−d), base 4 ambiguous; columns past the motif score 0);
    /// each strand's null and how many strands are scored.
    struct Table: Sendable {
        let logOdds: [[Double]], forward: [Int], backward: [Int]
        /// The grid score of an ambiguous base, −2⁶²/(w + 1): a window with one sums below half of
        /// it (the other columns add far less in magnitude), a clean one above — one test per window
        /// instead of a branch per base — and w of them do not overflow.
        let ambiguous: Int
        /// The most the blocks after the first two can add, per strand.
        let rest: (plus: Int, minus: Int)
        let plus: (offset: Int, tail: [Double]), minus: (offset: Int, tail: [Double])
        let strands: Int
        var width: Int { logOdds.count }
        var blocks: Int { (width + qmer - 1) / qmer }
    }

    /// Columns a table lookup scores at once, and the codes of that many bases (0–3, 4 ambiguous).
    static let qmer = 4, codes = 625

    /// The block tables of `Table` from one grid score per column and base (5 per column).
    static func blockTables(_ columns: [Int], width w: Int) -> [Int] {
        let blocks = (w + qmer - 1) / qmer
        var out = [Int](repeating: 0, count: blocks * codes)
        for b in 0..<blocks {
            for c in 0..<codes {
                var (rest, sum) = (c, 0)
                for d in stride(from: qmer - 1, through: 0, by: -1) {
                    let column = b * qmer + d
                    if column < w { sum += columns[5 * column + rest % 5] }
                    rest /= 5
                }
                out[b * codes + c] = sum
            }
        }
        return out
    }

    func table(_ motif: Motif) -> Table {
        let s = logOdds(motif)
        let grid = s.map { $0.map { Int(($0 * Double(bins)).rounded(.down)) } }
        let reverse = grid.reversed().map { [$0[3], $0[2], $0[1], $0[0]] }
        // A window x of background letters scores S on the − strand as its reverse complement, whose
        // letters follow the complemented background, scores on the +: each strand has its own null
        // (the same one when b_A = b_T and b_C = b_G).
        let b = background(of: motif), complemented = [b[3], b[2], b[1], b[0]]
        let plus = survival(grid, background: b)
        let ambiguous = -(1 << 62) / (s.count + 1)
        let forward = Self.blockTables(grid.flatMap { $0 + [ambiguous] }, width: s.count)
        let backward = Self.blockTables(reverse.flatMap { $0 + [ambiguous] }, width: s.count)
        func rest(_ blocks: [Int]) -> Int {
            stride(from: 2 * Self.codes, to: blocks.count, by: Self.codes).reduce(0) { $0 + blocks[$1..<($1 + Self.codes)].max()! }
        }
        return Table(logOdds: s, forward: forward, backward: backward, ambiguous: ambiguous, rest: (rest(forward), rest(backward)), plus: plus,
                     minus: complemented == b ? plus : survival(grid, background: complemented),
                     strands: bothStrands && motif.bothStrands ? 2 : 1)
    }

    /// The least grid score whose p-value passes — p ≤ `threshold` and p < `bound` — on a strand
    /// with this null (Int.max: none does): p is nonincreasing in the score, so a window passes
    /// exactly when its score reaches this one, and only hits need their p-values looked up.
    func leastPassingScore(_ null: (offset: Int, tail: [Double]), below bound: Double) -> Int {
        func passes(_ p: Double) -> Bool { p <= threshold && p < bound }
        if passes(1) { return .min }
        var (lo, hi) = (0, null.tail.count)
        while lo < hi { let mid = (lo + hi) / 2; if passes(Swift.min(1, null.tail[mid])) { hi = mid } else { lo = mid + 1 } }
        return lo == null.tail.count && !passes(0) ? .max : null.offset + lo
    }

    /// The windows i < n whose first two blocks (one when the motif has one) score at least `plus`
    /// on the + strand (`f`) or `minus` on the − (`r`), written to `out`; returns how many. Its own
    /// function, so that the loop keeps its few values in registers (`plus`, `minus`: the cuts less
    /// the most the other blocks add; Int.min passes every window, Int.max none).
    @inline(never)
    static func leadingBlocksPass(_ codes: UnsafePointer<UInt16>, _ n: Int, blocks: Int, _ f: UnsafePointer<Int>, _ r: UnsafePointer<Int>,
                                  plus: Int, minus: Int, into out: UnsafeMutablePointer<Int32>) -> Int {
        var count = 0
        if blocks == 1 {
            for i in 0..<n {
                let c = Int(codes[i])
                out[count] = Int32(truncatingIfNeeded: i)
                count &+= f[c] >= plus || r[c] >= minus ? 1 : 0
            }
        } else {
            let (f1, r1) = (f + Self.codes, r + Self.codes)
            for i in 0..<n {
                let (c, d) = (Int(codes[i]), Int(codes[i &+ qmer]))
                out[count] = Int32(truncatingIfNeeded: i)
                count &+= f[c] &+ f1[d] >= plus || r[c] &+ r1[d] >= minus ? 1 : 0
            }
        }
        return count
    }

    /// The hits among windows starting at `starts` of one sequence whose grid scores reach `cut`
    /// (`leastPassingScore` per strand; appended to `hits`, their windows' bases, read on the hit's
    /// strand, to `bases`); returns the number of tests (clean windows × strands).
    func windows(_ t: Table, sequence si: Int, _ x: UnsafeBufferPointer<UInt8>, starts: Range<Int>, passing cut: (plus: Int, minus: Int),
                 into hits: inout [Stream.Kept], bases: inout [UInt8]) -> Int {
        let (s, w, strands) = (t.logOdds, t.width, t.strands)
        func pValue(_ k: Int, _ null: (offset: Int, tail: [Double])) -> Double {
            k - null.offset < 0 ? 1 : k - null.offset >= null.tail.count ? 0 : Swift.min(1, null.tail[k - null.offset])
        }
        var tests = 0
        // The codes of the bases at each start (a base past the sequence's end reads as A: it only
        // meets columns past the motif, which score 0), a chunk of starts at a time; then a window
        // is w/4 lookups per strand. Flat tables through pointers: no reference counting in the
        // loop, which threads scanning other pieces would contend on; the integer sums wrap (they
        // are far from overflow) and are exact in any order.
        let (q, blocks, chunk) = (Self.qmer, t.blocks, 4096)
        let codes = UnsafeMutablePointer<UInt16>.allocate(capacity: chunk + (blocks - 1) * q)
        let passing = UnsafeMutablePointer<Int32>.allocate(capacity: chunk)
        defer { codes.deallocate(); passing.deallocate() }
        t.forward.withUnsafeBufferPointer { fw in
            t.backward.withUnsafeBufferPointer { bw in
                let (f, r, clean, xp) = (fw.baseAddress!, bw.baseAddress!, t.ambiguous / 2, x.baseAddress!)
                let cutMinus = strands == 2 ? cut.minus : .max
                func lowered(_ cut: Int, _ rest: Int) -> Int { cut == .min || cut == .max ? cut : cut - rest }
                for from in stride(from: starts.lowerBound, to: starts.upperBound, by: chunk) {
                    let to = Swift.min(from + chunk, starts.upperBound), span = to - from + (blocks - 1) * q
                    // c_i = 125·x_i + 25·x_{i+1} + 5·x_{i+2} + x_{i+3}: independent per i (vectorises).
                    let inside = Swift.max(0, Swift.min(span, x.count - q + 1 - from)), xs = xp + from
                    for i in 0..<inside {
                        let (a, b, c, d) = (UInt16(Swift.min(xs[i], 4)), UInt16(Swift.min(xs[i + 1], 4)), UInt16(Swift.min(xs[i + 2], 4)), UInt16(Swift.min(xs[i + 3], 4)))
                        codes[i] = a &* 125 &+ b &* 25 &+ c &* 5 &+ d
                    }
                    for i in inside..<span {
                        var c: UInt16 = 0
                        for d in 0..<q { let p = from + i + d; c = c &* 5 &+ (p < x.count ? UInt16(Swift.min(xp[p], 4)) : 0) }
                        codes[i] = c
                    }
                    // Tests: the windows without an ambiguous base — all of them when the chunk's
                    // bases have none (their maximum, which vectorises), else a count slid along it.
                    var largest: UInt8 = 0
                    for p in from..<(to + w - 1) { largest = Swift.max(largest, xp[p]) }
                    if largest < 4 {
                        tests &+= strands &* (to - from)
                    } else {
                        var ambiguous = 0
                        for j in 0..<w where xp[from + j] >= 4 { ambiguous &+= 1 }
                        for start in from..<to {
                            if ambiguous == 0 { tests &+= strands }
                            if start + 1 < to { ambiguous &+= (xp[start + w] >= 4 ? 1 : 0) &- (xp[start] >= 4 ? 1 : 0) }
                        }
                    }
                    // The leading blocks, and the most the others could add: most windows stop there.
                    let count = Self.leadingBlocksPass(codes, to - from, blocks: blocks, f, r, plus: lowered(cut.plus, t.rest.plus), minus: lowered(cutMinus, t.rest.minus), into: passing)
                    for index in 0..<count {
                        let start = from + Int(passing[index]), window = codes + (start - from)
                        var k = f[Int(window[0])], kr = r[Int(window[0])]
                        for b in 1..<Swift.max(blocks, 1) {
                            let e = b &* Self.codes &+ Int(window[b &* q])
                            k &+= f[e]; kr &+= r[e]
                        }
                        guard k > clean else { continue }
                        for side in 0..<strands {
                            let minus = side == 1
                            guard minus ? kr >= cut.minus : k >= cut.plus else { continue }
                            let p = minus ? pValue(kr, t.minus) : pValue(k, t.plus)
                            var bits = 0.0
                            for j in 0..<w {
                                let b = Int(x[start + j])
                                bits += minus ? s[w - 1 - j][3 - b] : s[j][b]
                            }
                            hits.append(Stream.Kept(sequence: si, start: start, score: bits, pValue: p, minus: minus))
                            if minus { for j in stride(from: w - 1, through: 0, by: -1) { bases.append(3 - x[start + j]) } }
                            else { for j in 0..<w { bases.append(x[start + j]) } }
                        }
                    }
                }
            }
        }
        return tests
    }
}
