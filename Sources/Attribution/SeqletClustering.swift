/// Seqlets grouped into motifs, and each group's contribution-weight and probability matrices.
///
/// Similarity of a seqlet s to a cluster core C (w × 4 hypothetical contributions): the largest
/// cosine ⟨C, h_s(o, ±)⟩ / (‖C‖ ‖h_s(o, ±)‖) over the hypothetical-contribution windows h_s(o, ±)
/// of the seqlet's core shifted by o ∈ −maxShift…maxShift bases, read on either strand — the
/// column-by-column alignment over offsets and strands of Tomtom's method, with the column score
/// the (uncentred) inner product of signed contribution columns, so that columns of near-zero
/// contribution (the flanks, background) weigh little. Hypothetical contributions are compared
/// because they show the network's response to every base, so two sampled instances of one PWM
/// agree even where their bases differ (TF-MoDISco compares them too).
///
/// Clustering (greedy, deterministic):
/// 1. seqlets by decreasing |S|: each joins the most similar existing cluster when that
///    similarity ≥ `similarity` (placed at the best shift and strand; the cluster core is the mean
///    hypothetical window of its members in the first member's frame), else founds a new one;
/// 2. clusters with fewer than `minimumSeqlets` members are dropped, and a cluster whose core is
///    ≥ `similarity` to a larger cluster's core (over shifts up to w/2, zero-padded, and both
///    strands: two clusters of one motif founded at different offsets) is merged into it;
/// 3. every seqlet is reassigned to the most similar surviving core (if ≥ `similarity`), with the
///    cores held fixed, and clusters left with fewer than `minimumSeqlets` members are dropped.
/// Each cluster's frame is its core plus `flank` bases each side. Per frame column J:
/// CWM[J][b] = mean over members of the actual contribution h·x at the aligned position (the
/// contribution-weight matrix), PPM[J][b] = base frequencies there (members whose sequence ends
/// before J do not count). Trimming keeps the span from the first to the last column whose
/// Σ_b |CWM[J][b]| is at least `trim` × the largest.
public struct SeqletClustering: Sendable {
    public var similarity: Float
    public var maxShift: Int
    public var minimumSeqlets: Int
    public var trim: Double

    public init(similarity: Float = 0.7, maxShift: Int = 5, minimumSeqlets: Int = 20, trim: Double = 0.3) {
        self.similarity = similarity; self.maxShift = maxShift; self.minimumSeqlets = minimumSeqlets; self.trim = trim
    }

    /// Where one seqlet sits in a cluster's frame: the frame's first column is sequence position
    /// `origin` (forward) or the frame is read from the reverse strand (its last column at
    /// position `origin`).
    public struct Placement: Sendable, Equatable {
        public var seqlet: Int
        public var origin: Int
        public var reverse: Bool
        public var similarity: Float
    }

    public struct Cluster: Sendable {
        public var members: [Placement]
        /// Frame width × 4.
        public var cwm: [[Double]]
        /// Base counts per frame column.
        public var counts: [[Double]]
        /// The trimmed span of frame columns.
        public var trimmed: Range<Int>
        /// Mean seqlet score S (its sign: the motif raises or lowers the output).
        public var meanScore: Double

        public var trimmedCWM: [[Double]] { Array(cwm[trimmed]) }
        public var trimmedCounts: [[Double]] { Array(counts[trimmed]) }
    }

    /// A seqlet's hypothetical-contribution windows at every shift o ∈ −maxShift…maxShift on either
    /// strand (forward shifts first), each with its norm: read once per seqlet, then compared with
    /// every core.
    struct Candidates {
        let width: Int, shifts: Int
        var windows: [Float] = [], norms: [Float] = []
        init(_ s: SeqletCaller.Seqlet, maps: ContributionMaps, window w: Int, maxShift: Int) {
            width = w * 4; shifts = 2 * maxShift + 1
            windows.reserveCapacity(2 * shifts * width)
            for reverse in [false, true] {
                for o in -maxShift...maxShift {
                    let h = maps.hypotheticalWindow(s.sequence, origin: s.start + o, width: w, reverse: reverse)
                    windows += h
                    norms.append(SeqletClustering.norm(h))
                }
            }
        }
    }

    /// Best (similarity, shift, reverse) of a core (with its norm) against a seqlet's candidate
    /// windows; the first of equal similarities wins.
    func align(core: [Float], norm coreNorm: Float, to c: Candidates) -> (Float, Int, Bool) {
        var best: (Float, Int, Bool) = (-.infinity, 0, false)
        guard coreNorm > 0 else { return (0, 0, false) }
        core.withUnsafeBufferPointer { cb in
            c.windows.withUnsafeBufferPointer { wb in
                for k in 0..<(2 * c.shifts) {
                    let hn = c.norms[k]
                    guard hn > 0 else { continue }
                    let h = wb.baseAddress! + k * c.width
                    var dot: Float = 0
                    for e in 0..<c.width { dot += cb[e] * h[e] }
                    let sim = dot / (coreNorm * hn)
                    if sim > best.0 { best = (sim, k % c.shifts - maxShift, k >= c.shifts) }
                }
            }
        }
        return best
    }

    /// Cosine of two cores over shifts (−shifts…shifts, zero-padded) and both strands.
    func coreSimilarity(_ a: [Float], _ b: [Float], window w: Int, shifts: Int) -> Float {
        let na = Self.norm(a), nb = Self.norm(b)
        guard na > 0, nb > 0 else { return 0 }
        var best: Float = -.infinity
        for reverse in [false, true] {
            let t = reverse ? (0..<w).reversed().flatMap { j in (0..<4).map { b[j * 4 + 3 - $0] } } : b
            for o in -shifts...shifts {
                var dot: Float = 0
                for j in 0..<w where j + o >= 0 && j + o < w { for c in 0..<4 { dot += a[j * 4 + c] * t[(j + o) * 4 + c] } }
                best = Swift.max(best, dot / (na * nb))
            }
        }
        return best
    }

    static func norm(_ v: [Float]) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// `progress(done, 2 · seqlets)` after each seqlet of the leader and the reassignment passes.
    public func cluster(_ seqlets: [SeqletCaller.Seqlet], maps: ContributionMaps, window w: Int, flank: Int,
                        progress: ((Int, Int) -> Void)? = nil) -> [Cluster] {
        let order = seqlets.indices.sorted {
            Swift.abs(seqlets[$0].score) > Swift.abs(seqlets[$1].score) || (Swift.abs(seqlets[$0].score) == Swift.abs(seqlets[$1].score) && $0 < $1)
        }
        // 1. Leader pass: running core sums, and each cluster's core (mean) and its norm.
        var sums: [[Float]] = [], sizes: [Int] = [], means: [[Float]] = [], meanNorms: [Float] = []
        for (done, k) in order.enumerated() {
            let s = seqlets[k]
            let candidates = Candidates(s, maps: maps, window: w, maxShift: maxShift)
            var best: (sim: Float, cluster: Int, shift: Int, reverse: Bool) = (-.infinity, -1, 0, false)
            for c in sums.indices {
                let (sim, o, r) = align(core: means[c], norm: meanNorms[c], to: candidates)
                if sim > best.sim { best = (sim, c, o, r) }
            }
            let joined: Int
            if best.cluster >= 0 && best.sim >= similarity {
                let h = maps.hypotheticalWindow(s.sequence, origin: s.start + best.shift, width: w, reverse: best.reverse)
                for i in h.indices { sums[best.cluster][i] += h[i] }
                sizes[best.cluster] += 1
                joined = best.cluster
            } else {
                sums.append(maps.hypotheticalWindow(s.sequence, origin: s.start, width: w, reverse: false))
                sizes.append(1); means.append([]); meanNorms.append(0)
                joined = sums.count - 1
            }
            means[joined] = sums[joined].map { $0 / Float(sizes[joined]) }
            meanNorms[joined] = Self.norm(means[joined])
            progress?(done + 1, 2 * order.count)
        }
        // 2. Drop small clusters; merge cores similar to a larger one.
        let bySize = sums.indices.filter { sizes[$0] >= minimumSeqlets }.sorted { sizes[$0] > sizes[$1] || (sizes[$0] == sizes[$1] && $0 < $1) }
        var cores: [[Float]] = []
        for c in bySize {
            let core = sums[c].map { $0 / Float(sizes[c]) }
            if !cores.contains(where: { coreSimilarity($0, core, window: w, shifts: w / 2) >= similarity }) { cores.append(core) }
        }
        // 3. Reassign every seqlet to the fixed cores.
        var members = [[Placement]](repeating: [], count: cores.count)
        let coreNorms = cores.map(Self.norm)
        for (done, k) in order.enumerated() {
            let s = seqlets[k]
            let candidates = Candidates(s, maps: maps, window: w, maxShift: maxShift)
            var best: (sim: Float, cluster: Int, shift: Int, reverse: Bool) = (-.infinity, -1, 0, false)
            for (c, core) in cores.enumerated() {
                let (sim, o, r) = align(core: core, norm: coreNorms[c], to: candidates)
                if sim > best.sim { best = (sim, c, o, r) }
            }
            progress?(order.count + done + 1, 2 * order.count)
            guard best.cluster >= 0, best.sim >= similarity else { continue }
            let origin = s.start + best.shift - flank
            members[best.cluster].append(Placement(seqlet: k, origin: origin, reverse: best.reverse, similarity: best.sim))
        }
        let frame = w + 2 * flank
        var clusters: [Cluster] = []
        for m in members where m.count >= minimumSeqlets {
            var cwm = [[Double]](repeating: [0, 0, 0, 0], count: frame), counts = cwm
            var score = 0.0
            for p in m {
                let n = seqlets[p.seqlet].sequence
                let h = maps.hypotheticalWindow(n, origin: p.origin, width: frame, reverse: p.reverse)
                let x = maps.onehotWindow(n, origin: p.origin, width: frame, reverse: p.reverse)
                for j in 0..<frame { for b in 0..<4 {
                    cwm[j][b] += Double(h[j * 4 + b] * x[j * 4 + b]); counts[j][b] += Double(x[j * 4 + b])
                } }
                score += Double(seqlets[p.seqlet].score)
            }
            cwm = cwm.map { $0.map { $0 / Double(m.count) } }
            clusters.append(Cluster(members: m, cwm: cwm, counts: counts, trimmed: trimmedSpan(cwm), meanScore: score / Double(m.count)))
        }
        return clusters.sorted { $0.members.count > $1.members.count }
    }

    /// First…last column whose Σ_b |CWM| ≥ trim × the largest.
    func trimmedSpan(_ cwm: [[Double]]) -> Range<Int> {
        let importance = cwm.map { $0.reduce(0) { $0 + Swift.abs($1) } }
        guard let top = importance.max(), top > 0 else { return 0..<cwm.count }
        let keep = importance.indices.filter { importance[$0] >= trim * top }
        return keep.first!..<(keep.last! + 1)
    }
}
