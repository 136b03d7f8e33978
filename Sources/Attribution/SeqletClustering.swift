/// Seqlets grouped into motifs, and each group's contribution-weight and probability matrices.
///
/// Similarity of a seqlet s to a window C (w × 4 hypothetical contributions): the largest cosine
/// ⟨C, h_s(o, ±)⟩ / (‖C‖ ‖h_s(o, ±)‖) over the hypothetical-contribution windows h_s(o, ±) of the
/// seqlet's core shifted by o ∈ −maxShift…maxShift bases, read on either strand — the
/// column-by-column alignment over offsets and strands of Tomtom's method, with the column score
/// the (uncentred) inner product of signed contribution columns, so that columns of near-zero
/// contribution (the flanks, background) weigh little. Hypothetical contributions are compared
/// because they show the network's response to every base, so two sampled instances of one PWM
/// agree even where their bases differ (TF-MoDISco compares them too).
///
/// Clustering (TF-MoDISco's, deterministic for a seed):
/// 1. positive and negative seqlets (the sign of S) apart, at most `maximumPerSign` of each (the
///    largest |S|): the graph of each seqlet's
///    `neighbours` most similar seqlets, density-adapted to perplexity `perplexity` (at most a
///    third of the neighbours kept, as t-SNE's implementations require: a few seqlets still make
///    a graph) (`SeqletGraph`), cut into communities by modularity (`Leiden`, the best of `runs`
///    seeded runs from `seed`);
/// 2. per community of at least `minimumSeqlets`, a core: its members by decreasing |S|, the first
///    one's window the frame, each next one added at its best shift and strand against the running
///    mean; a core ≥ `similarity` to a larger community's core (over shifts up to w/2, zero-padded,
///    and both strands: one motif cut in two) is merged into it;
/// 3. every seqlet is assigned to the most similar core (if ≥ `similarity`), and cores left with
///    fewer than `minimumSeqlets` members are dropped.
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
    /// Nearest seqlets kept per seqlet, the graph's perplexity, Leiden's runs and seed, and the
    /// most seqlets of one sign in the graph (TF-MoDISco's 500 neighbours, perplexity 10, 50 runs
    /// and 20,000 seqlets per sign, the largest |S|; the rest are still assigned to the cores).
    public var neighbours: Int, perplexity: Double, runs: Int, seed: UInt64, maximumPerSign: Int
    /// Leiden iterations per run: leidenalg's default 2; −1 runs until no node moves, as
    /// TF-MoDISco-lite asks (on the README's maps: 1.7–2.6× the command's time, modularity
    /// higher by < 3·10⁻⁴, the same motifs or fewer).
    public var leidenIterations: Int

    public init(similarity: Float = 0.7, maxShift: Int = 5, minimumSeqlets: Int = 20, trim: Double = 0.3,
                neighbours: Int = 500, perplexity: Double = 10, runs: Int = 50, seed: UInt64 = 0, maximumPerSign: Int = 20_000,
                leidenIterations: Int = 2) {
        self.similarity = similarity; self.maxShift = maxShift; self.minimumSeqlets = minimumSeqlets; self.trim = trim
        self.neighbours = neighbours; self.perplexity = perplexity; self.runs = runs; self.seed = seed
        self.maximumPerSign = maximumPerSign; self.leidenIterations = leidenIterations
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

    /// Seqlet i's unshifted forward window and all its candidate windows, each scaled to unit norm
    /// (zero where the norm is): the rows `SeqletGraph.nearest` compares.
    static func unitWindows(_ candidates: [Candidates], _ indices: [Int], maxShift: Int) -> (centred: [Float], shifted: [Float]) {
        var centred: [Float] = [], shifted: [Float] = []
        for i in indices {
            let c = candidates[i]
            for k in 0..<(2 * c.shifts) {
                let scale: Float = c.norms[k] > 0 ? 1 / c.norms[k] : 0
                let window = c.windows[(k * c.width)..<((k + 1) * c.width)].map { $0 * scale }
                shifted += window
                if k == maxShift { centred += window }
            }
        }
        return (centred, shifted)
    }

    /// Communities of the seqlets `indices` (one sign), as lists of indices into `seqlets`.
    func communities(_ indices: [Int], _ candidates: [Candidates], progress: (@Sendable (Int) -> Void)?) -> [[Int]] {
        guard indices.count >= 2 else { return indices.isEmpty ? [] : [indices] }
        let (centred, shifted) = Self.unitWindows(candidates, indices, maxShift: maxShift)
        let nearest = SeqletGraph.nearest(centred: centred, shifted: shifted, width: candidates[indices[0]].width,
                                          shifts: 2 * candidates[indices[0]].shifts, neighbours: neighbours, progress: progress)
        let graph = SeqletGraph.densityAdapted(targets: nearest.targets, affinities: nearest.affinities, k: nearest.k,
                                count: indices.count, perplexity: Swift.min(perplexity, Double(nearest.k) / 3))
        let membership = Leiden.communities(graph, runs: runs, iterations: leidenIterations, seed: seed).membership
        var groups = [[Int]](repeating: [], count: (membership.max() ?? -1) + 1)
        for (e, c) in membership.enumerated() { groups[c].append(indices[e]) }
        return groups
    }

    /// `progress(done, total)` as the graph's rows and then the assignment pass (every seqlet) advance.
    public func cluster(_ seqlets: [SeqletCaller.Seqlet], maps: ContributionMaps, window w: Int, flank: Int,
                        progress: (@Sendable (Int, Int) -> Void)? = nil) -> [Cluster] {
        let n = seqlets.count
        let candidates = seqlets.map { Candidates($0, maps: maps, window: w, maxShift: maxShift) }
        let strength = { (k: Int) in Swift.abs(seqlets[k].score) }
        // 1. Communities of each sign, of its `maximumPerSign` strongest seqlets.
        let byStrength = seqlets.indices.sorted { strength($0) > strength($1) || (strength($0) == strength($1) && $0 < $1) }
        let positive = byStrength.filter { seqlets[$0].score >= 0 }.prefix(maximumPerSign).sorted()
        let negative = byStrength.filter { seqlets[$0].score < 0 }.prefix(maximumPerSign).sorted()
        let offset = positive.count, total = positive.count + negative.count + n
        var first: (@Sendable (Int) -> Void)?, second: (@Sendable (Int) -> Void)?
        if let progress {
            first = { progress($0, total) }
            second = { progress(offset + $0, total) }
        }
        let groups = communities(positive, candidates, progress: first) + communities(negative, candidates, progress: second)
        // 2. A core per large community, merged into a larger one's when they agree.
        let large = groups.filter { $0.count >= minimumSeqlets }
            .sorted { $0.count > $1.count || ($0.count == $1.count && $0.min()! < $1.min()!) }
        var cores: [[Float]] = []
        for group in large {
            let members = group.sorted { strength($0) > strength($1) || (strength($0) == strength($1) && $0 < $1) }
            var sum = maps.hypotheticalWindow(seqlets[members[0]].sequence, origin: seqlets[members[0]].start, width: w, reverse: false)
            for (count, k) in members.dropFirst().enumerated() {
                let mean = sum.map { $0 / Float(count + 1) }
                let (_, o, r) = align(core: mean, norm: Self.norm(mean), to: candidates[k])
                let h = maps.hypotheticalWindow(seqlets[k].sequence, origin: seqlets[k].start + o, width: w, reverse: r)
                for i in h.indices { sum[i] += h[i] }
            }
            let core = sum.map { $0 / Float(members.count) }
            if !cores.contains(where: { coreSimilarity($0, core, window: w, shifts: w / 2) >= similarity }) { cores.append(core) }
        }
        // 3. Assign every seqlet to the most similar core.
        var members = [[Placement]](repeating: [], count: cores.count)
        let coreNorms = cores.map(Self.norm)
        for k in 0..<n {
            let s = seqlets[k]
            var best: (sim: Float, cluster: Int, shift: Int, reverse: Bool) = (-.infinity, -1, 0, false)
            for (c, core) in cores.enumerated() {
                let (sim, o, r) = align(core: core, norm: coreNorms[c], to: candidates[k])
                if sim > best.sim { best = (sim, c, o, r) }
            }
            progress?(total - n + k + 1, total)
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
