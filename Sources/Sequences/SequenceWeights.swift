import Tensors

/// Sequence reweighting against redundancy: w_n = 1 / #{m : identity(n, m) > t} (m = n included),
/// Neff = Σ_n w_n. t = 0.8 by default (θ = 1 − t = 0.2 in EVcouplings/DeepSequence notation).
public enum SequenceWeights {
    public enum Identity: String, Sendable, CaseIterable {
        /// plmc/CCMpred: matches over all L columns, a gap–gap column counting as a match;
        /// neighbours have more than ⌈t·L⌉ matches (CCMpred's integer rule, which reproduces its Neff).
        case plmc
        /// plmc's own comparison (weights.c): the same matches, neighbours have at least t·L of
        /// them (`id >= (1 − θ)·L`), one match fewer than CCMpred's rule (which needs more than ⌈t·L⌉).
        /// EVmutation's weights; the `evmutation` preset uses it.
        case plmcInclusive = "plmc-inclusive"
        /// DeepSequence/EVE: matching non-gap residues divided by sequence n's non-gap length
        /// (not symmetric); a sequence with no residue has weight 0 (EVE's `compute_weight`).
        case deepsequence

        /// The neighbour rule at identity threshold t, as `info` prints it.
        public func rule(threshold t: Double) -> String {
            switch self {
            case .plmc: return "matches > ⌈\(t)·L⌉ over all columns, CCMpred's rule"
            case .plmcInclusive: return "matches ≥ \(t)·L over all columns, plmc's rule"
            case .deepsequence: return "shared residues > \(t) × own residues, DeepSequence's rule"
            }
        }
    }

    /// Weights of every sequence. Exact O(N²·L) byte comparisons, blocked in 64-row tiles,
    /// 8 columns per 64-bit word (SWAR), split over threads with per-thread neighbour counts (memory O(N)).
    /// `progress` is called with the fraction done (0…1) from one worker, about every 64-row tile.
    public static func compute(_ msa: MultipleSequenceAlignment, identity threshold: Double = 0.8,
                               definition: Identity = .plmc, progress: (@Sendable (Double) -> Void)? = nil) -> [Float] {
        neighbourPass(msa, identity: threshold, definition: definition, linking: false, progress: progress).weights
    }

    /// `compute` and `clusters` from one pass over the pairs (each worker also keeps a union–find
    /// forest of the linked pairs), for a fit that needs both: the same weights and clusters.
    public static func computeWithClusters(_ msa: MultipleSequenceAlignment, identity threshold: Double = 0.8,
                                           definition: Identity = .plmc, progress: (@Sendable (Double) -> Void)? = nil)
        -> (weights: [Float], clusters: [Int]) {
        let pass = neighbourPass(msa, identity: threshold, definition: definition, linking: true, progress: progress)
        return (pass.weights, pass.clusters!)
    }

    /// The weights' pass: per row the neighbours it counts, and with `linking` the single-linkage
    /// clusters of "either counts the other" as well.
    private static func neighbourPass(_ msa: MultipleSequenceAlignment, identity threshold: Double, definition: Identity,
                                      linking: Bool, progress: (@Sendable (Double) -> Void)?) -> (weights: [Float], clusters: [Int]?) {
        let n = msa.count, gap = msa.alphabet.gap
        guard n > 0 else { return ([], linking ? [] : nil) }
        if threshold >= 1 { return ([Float](repeating: 1, count: n), linking ? Array(0..<n) : nil) }
        let (a, b, need, stride) = comparisonRows(msa, identity: threshold, definition: definition)
        let threads = Swift.max(1, Parallel.availableThreads)
        let partial = UnsafeMutablePointer<Int32>.allocate(capacity: threads * n)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0, count: threads * n)
        let forests = Forests(n: linking ? n : 0, threads: threads)
        nonisolated(unsafe) let out = partial
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in need.withUnsafeBufferPointer { np in
            nonisolated(unsafe) let pa = ap.baseAddress!, pb = bp.baseAddress!, pn = np.baseAddress!
            forEachPairTile(n, threads: threads, progress: progress) { t, i, js in
                let mine = out + t * n, ra = pa + i * stride, rb = pb + i * stride
                for j in js {
                    let m = Int32(matches(ra, pb + j * stride, stride))
                    let iCounts = m >= pn[i]
                    let jCounts = (definition != .deepsequence ? m : Int32(matches(pa + j * stride, rb, stride))) >= pn[j]
                    if iCounts { mine[i] += 1 }
                    if jCounts { mine[j] += 1 }
                    if linking && (iCounts || jCounts) { forests.link(i, j, in: t) }
                }
            }
        } } }
        let empty = definition == .deepsequence ? (0..<n).map { r in !msa.row(r).contains { $0 != gap } } : []
        let weights = (0..<n).map { r in
            let count = (0..<threads).reduce(0) { $0 + Int(partial[$1 * n + r]) }
            return empty.isEmpty || !empty[r] ? 1 / Float(1 + count) : 0
        }
        return (weights, linking ? forests.labels() : nil)
    }

    /// Single-linkage clusters at the weights' neighbour rule: two sequences are linked when either
    /// counts the other as a neighbour (identity > t), and a cluster is a connected set of links, so no
    /// sequence of one cluster is a neighbour of any sequence of another. Returns each row's cluster,
    /// numbered 0, 1, … in order of the cluster's first row. O(N²·L) comparisons in the weights'
    /// tiles over the threads, each worker keeping its own union–find forest (pairs it has already
    /// joined are skipped) and the forests merged at the end. `progress` as `compute`'s.
    public static func clusters(_ msa: MultipleSequenceAlignment, identity threshold: Double = 0.8, definition: Identity = .plmc,
                                progress: (@Sendable (Double) -> Void)? = nil) -> [Int] {
        let n = msa.count
        guard n > 0 else { return [] }
        let threads = threshold < 1 ? Swift.max(1, Parallel.availableThreads) : 1
        let forests = Forests(n: n, threads: threads)
        if threshold < 1 {
            let (a, b, need, stride) = comparisonRows(msa, identity: threshold, definition: definition)
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in need.withUnsafeBufferPointer { np in
                nonisolated(unsafe) let pa = ap.baseAddress!, pb = bp.baseAddress!, pn = np.baseAddress!
                forEachPairTile(n, threads: threads, progress: progress) { t, i, js in
                    for j in js {
                        if forests.joined(i, j, in: t) { continue }
                        let m = Int32(matches(pa + i * stride, pb + j * stride, stride))
                        let linked = m >= pn[i] || (definition == .deepsequence
                            ? Int32(matches(pa + j * stride, pb + i * stride, stride)) : m) >= pn[j]
                        if linked { forests.link(i, j, in: t) }
                    }
                }
            } } }
        }
        return forests.labels()
    }

    /// One union–find forest over n rows per worker (no two workers touch one forest), merged into
    /// the first at the end; roots are the least row of their tree.
    private final class Forests: @unchecked Sendable {
        let n: Int, threads: Int
        let parent: UnsafeMutablePointer<Int>

        init(n: Int, threads: Int) {
            self.n = n; self.threads = threads
            parent = .allocate(capacity: Swift.max(1, threads * n))
            for t in 0..<threads { for r in 0..<n { parent[t * n + r] = r } }
        }
        deinit { parent.deallocate() }

        /// The root of x in worker t's forest (path halving).
        func root(_ x: Int, in t: Int) -> Int {
            let p = parent + t * n
            var x = x
            while p[x] != x { p[x] = p[p[x]]; x = p[x] }
            return x
        }
        func joined(_ x: Int, _ y: Int, in t: Int) -> Bool { root(x, in: t) == root(y, in: t) }
        func link(_ x: Int, _ y: Int, in t: Int) {
            let (rx, ry) = (root(x, in: t), root(y, in: t))
            if rx != ry { parent[t * n + Swift.max(rx, ry)] = Swift.min(rx, ry) }
        }

        /// Every worker's forest links x to its root there: the same pairs joined in the first
        /// forest; then each row's tree numbered 0, 1, … by its first row.
        func labels() -> [Int] {
            for t in 1..<Swift.max(1, threads) { for x in 0..<n { link(x, root(x, in: t), in: 0) } }
            var label = [Int](repeating: -1, count: n), next = 0
            return (0..<n).map { r in
                let c = root(r, in: 0)
                if label[c] < 0 { label[c] = next; next += 1 }
                return label[c]
            }
        }
    }

    /// The pairs i < j of n rows in 64 × 64 tiles dealt round-robin to `threads` workers:
    /// `body(worker, i, js)` for each row i of a tile with its partners js in that tile. Worker 0
    /// reports the fraction of tiles done to `progress` every 8·threads tiles.
    private static func forEachPairTile(_ n: Int, threads: Int, progress: (@Sendable (Double) -> Void)?,
                                        _ body: @Sendable (Int, Int, Range<Int>) -> Void) {
        let block = 64
        let blocks = (n + block - 1) / block, tiles = blocks * (blocks + 1) / 2
        Parallel.forEachChunk(threads, minimumPerThread: 1) { range in
            for t in range {
                var tile = 0
                for bi in 0..<blocks {
                    for bj in bi..<blocks {
                        defer { tile += 1 }
                        if tile % threads != t { continue }
                        if t == 0, let progress, tile % (8 * threads) == 0 { progress(Double(tile) / Double(tiles)) }
                        let i0 = bi * block, i1 = Swift.min(n, i0 + block)
                        let j0 = bj * block, j1 = Swift.min(n, j0 + block)
                        for i in i0..<i1 where Swift.max(j0, i + 1) < j1 { body(t, i, Swift.max(j0, i + 1)..<j1) }
                    }
                }
            }
        }
    }

    /// The rows `compute` and `clusters` compare: each padded to a multiple of 8 bytes (`stride`), the
    /// padding different in the two copies (0xFE in `a`, 0xFD in `b`) so it never matches, gaps in `b`
    /// made unmatchable for DeepSequence's rule; and per row the least match count m_n with
    /// identity > t ⇔ matches ≥ m_n.
    private static func comparisonRows(_ msa: MultipleSequenceAlignment, identity threshold: Double, definition: Identity)
        -> (a: [UInt8], b: [UInt8], need: [Int32], stride: Int) {
        let n = msa.count, l = msa.length
        let stride = (l + 7) / 8 * 8
        var a = [UInt8](repeating: 0xFE, count: n * stride)
        var b = [UInt8](repeating: 0xFD, count: n * stride)
        let gap = msa.alphabet.gap
        msa.codes.withUnsafeBufferPointer { src in
            for r in 0..<n {
                for i in 0..<l {
                    let c = src[r * l + i]
                    a[r * stride + i] = c
                    // DeepSequence counts only non-gap matches: gaps in b never match a.
                    b[r * stride + i] = definition == .deepsequence && c == gap ? 0xFC : c
                }
            }
        }
        // Per-row minimum match count m_n such that identity > t ⇔ matches ≥ m_n.
        var need = [Int32](repeating: 0, count: n)
        for r in 0..<n {
            if definition == .plmcInclusive {
                need[r] = Int32(Swift.min(l, Int((threshold * Double(l) - 1e-9).rounded(.up))))
            } else if definition == .plmc {
                // Clamped to L so identical rows are always neighbours (⌈t·L⌉ = L when L < 1/(1−t)).
                need[r] = Int32(Swift.min(l, Int((threshold * Double(l)).rounded(.up)) + 1))
            } else {
                let residues = msa.row(r).filter { $0 != gap }.count
                need[r] = Int32(Swift.max(1, Swift.min(residues, Int((threshold * Double(residues)).rounded(.down)) + 1)))
            }
        }
        return (a, b, need, stride)
    }

    /// Number of equal bytes in two rows of `stride` bytes (a multiple of 8): for t = x ⊕ y, the
    /// high bit of each byte of ((t & 0x7f…) + 0x7f…) | t is set exactly when that byte of t ≠ 0.
    /// Those bits, shifted to the low bit, accumulate in 8 byte-lanes (flushed before a lane can
    /// overflow) and are summed once at the end — no popcount in the loop.
    @inline(__always)
    static func matches(_ x: UnsafePointer<UInt8>, _ y: UnsafePointer<UInt8>, _ stride: Int) -> Int {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var different = 0
        var k = 0
        while k < stride {
            var lanes: UInt64 = 0
            let end = Swift.min(stride, k + 8 * 255)
            while k < end {
                let t = UnsafeRawPointer(x + k).loadUnaligned(as: UInt64.self) ^ UnsafeRawPointer(y + k).loadUnaligned(as: UInt64.self)
                lanes &+= ((((t & low) &+ low) | t) & ~low) >> 7
                k += 8
            }
            let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes >> 8) & 0x00FF_00FF_00FF_00FF)
            different += Int((pairs &* 0x0001_0001_0001_0001) >> 48)
        }
        return stride - different
    }

    /// GaussDCA/plmDCA's automatic θ: θ = min(0.5, 0.38 · 0.32 / ī), ī the mean pairwise identity —
    /// the fraction of the L columns (gap = gap counting as a match) at which two sequences agree,
    /// averaged over all N(N−1)/2 pairs. Weights then use identity threshold 1 − θ. Exact O(N²·L)
    /// byte comparisons (the same SWAR kernel as `compute`). A single sequence, or ī = 0, gives 0.5.
    public static func automaticTheta(_ msa: MultipleSequenceAlignment) -> (theta: Double, meanIdentity: Double) {
        let n = msa.count, l = msa.length
        guard n > 1, l > 0 else { return (0.5, n == 1 ? 1 : 0) }
        let stride = (l + 7) / 8 * 8
        var a = [UInt8](repeating: 0xFE, count: n * stride), b = [UInt8](repeating: 0xFD, count: n * stride)
        for r in 0..<n { for i in 0..<l { a[r * stride + i] = msa.codes[r * l + i]; b[r * stride + i] = msa.codes[r * l + i] } }
        var total = 0
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
            for i in 0..<n { for j in (i + 1)..<n { total += matches(ap.baseAddress! + i * stride, bp.baseAddress! + j * stride, stride) } }
        } }
        let mean = Double(total) / (Double(n) * Double(n - 1) / 2 * Double(l))
        return (mean > 0 ? Swift.min(0.5, 0.38 * 0.32 / mean) : 0.5, mean)
    }

    /// Σ w.
    public static func effectiveCount(_ weights: [Float]) -> Double { weights.reduce(0.0) { $0 + Double($1) } }
}

