import Tensors
import Sequences
import Statistics
#if canImport(Glibc)
import Glibc
#endif

/// How well sampled sequences reproduce a family's statistics (the bmDCA / ArDCA standard):
///
/// - one-site frequencies f_i(a) and pair frequencies f_ij(a,b) (all q states, i < j);
/// - connected correlations C_ij(a,b) = f_ij(a,b) − f_i(a) f_j(b);
/// - three-site connected correlations
///   C_ijk(a,b,c) = f_ijk − f_ij f_k − f_ik f_j − f_jk f_i + 2 f_i f_j f_k on `tripletCount` random
///   column triplets (seeded), all q³ states;
///
/// each as the Pearson r between the reference alignment (weighted, w_n = 1/#neighbours above the
/// fitting identity) and the samples (unweighted: they are independent model draws). Plus
/// - the normalised Hamming distance of samples to their nearest reference sequence (≤ `distanceSamples`
///   samples, seeded subset), beside the same for reference sequences to their nearest *other*
///   reference sequence (copies of training sequences show up as distance 0);
/// - both sets projected on the reference's first two principal components (weighted one-hot,
///   centred; subspace iteration).
public struct GenerativeEvaluation: Sendable {
    public var singlePearson: Double?
    public var pairPearson: Double?
    public var connectedPearson: Double?
    public var threeSitePearson: Double?
    public var triplets: Int
    /// Sorted nearest-reference distances of (a subset of) the samples, and of reference sequences.
    public var sampleDistances: [Double]
    public var referenceDistances: [Double]
    /// Principal-component coordinates (PC1, PC2) of reference and sample sequences.
    public var referenceProjection: [(Double, Double)]
    public var sampleProjection: [(Double, Double)]
    /// A seeded subset of (reference, sample) connected correlations, for a scatter plot.
    public var connectedPoints: [(Double, Double)]

    public init(samples: MultipleSequenceAlignment, reference: MultipleSequenceAlignment, referenceWeights: [Float],
                tripletCount: Int = 1000, distanceSamples: Int = 1000, plotPoints: Int = 20000, seed: UInt64 = 1) throws {
        guard samples.length == reference.length else {
            throw SamplingError("samples have \(samples.length) columns but the reference has \(reference.length)")
        }
        guard samples.alphabet == reference.alphabet else { throw SamplingError("samples and reference use different alphabets") }
        let (l, q) = (reference.length, reference.alphabet.size)
        let ref = ColumnStatistics(reference, weights: referenceWeights)
        let smp = ColumnStatistics(samples, weights: [Float](repeating: 1, count: samples.count))
        singlePearson = pearson(ref.single, smp.single)

        // Pairs: streamed Pearson sums, one q×q table pair at a time (threaded over i).
        let keep = Swift.max(1, (l * (l - 1) / 2 * q * q) / Swift.max(plotPoints, 1))
        let sums = ColumnStatistics.comparePairs(ref, smp, keepEvery: keep)
        pairPearson = sums.pair.r
        connectedPearson = sums.connected.r
        let points = sums.points
        connectedPoints = points.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }

        // Three-site connected correlations on random triplets.
        var rng = RandomGenerator(seed: seed)
        var three = StreamingPearson()
        var count = 0
        if l >= 3 {
            var tr = [Double](repeating: 0, count: q * q * q), ts = tr
            for _ in 0..<tripletCount {
                var idx = Set<Int>()
                while idx.count < 3 { idx.insert(rng.int(below: l)) }
                let t = idx.sorted()
                ref.connectedTriplet(t[0], t[1], t[2], into: &tr)
                smp.connectedTriplet(t[0], t[1], t[2], into: &ts)
                for k in 0..<(q * q * q) { three.add(tr[k], ts[k]) }
                count += 1
            }
        }
        threeSitePearson = three.r
        triplets = count

        // Nearest-reference Hamming distances.
        let chosen = Array(rng.permutation(samples.count).prefix(distanceSamples)).sorted()
        sampleDistances = NearestSequence.distances(of: samples, rows: chosen, to: reference, excludingSelf: false).sorted()
        let refChosen = Array(rng.permutation(reference.count).prefix(distanceSamples)).sorted()
        referenceDistances = NearestSequence.distances(of: reference, rows: refChosen, to: reference, excludingSelf: true).sorted()

        let pca = PrincipalComponents(reference, weights: referenceWeights, seed: seed)
        referenceProjection = pca.project(reference)
        sampleProjection = pca.project(samples)
    }

    /// Quantile of sorted values (linear interpolation).
    public static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let x = p * Double(sorted.count - 1)
        let lo = Int(x.rounded(.down)), hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - Double(lo))
    }
}

/// Pearson sums of pair frequencies f_ij(a,b) and connected correlations C_ij(a,b), and the kept
/// (index, reference C, sample C) points.
struct PairSums: Sendable {
    var pair = StreamingPearson(), connected = StreamingPearson()
    var points: [(Int, Double, Double)] = []
    mutating func merge(_ o: PairSums) { pair.merge(o.pair); connected.merge(o.connected); points += o.points }
}

extension ColumnStatistics {
    /// Compares the pair statistics of `ref` and `smp` (same L and q) over all pairs i < j and all
    /// q² states: Pearson sums of f_ij(a,b) and of C_ij(a,b) = f_ij(a,b) − f_i(a) f_j(b), keeping
    /// every `keepEvery`-th (ref, sample) C point (nil: none). Threaded over rows i; the per-row
    /// sums are merged in row order, so the result does not depend on the thread count.
    /// `visit(i, j, f_ij^ref, f_ij^smp)` sees each pair's two q×q tables (row-major in (a, b)) once,
    /// from a worker thread: pairs are disjoint, so it may write per-pair state without locks.
    /// Cost: O(L²/2 · (N_ref + N_smp + q²)).
    static func comparePairs(_ ref: ColumnStatistics, _ smp: ColumnStatistics, keepEvery: Int? = nil,
                             visit: (@Sendable (Int, Int, UnsafePointer<Double>, UnsafePointer<Double>) -> Void)? = nil) -> PairSums {
        let (l, q) = (ref.length, ref.states)
        precondition(smp.length == l && smp.states == q)
        var rows = [PairSums](repeating: PairSums(), count: l)
        rows.withUnsafeMutableBufferPointer { rb in
            nonisolated(unsafe) let rp = rb.baseAddress!
            let workers = Parallel.workers(for: l)
            Parallel.forEachWorker(workers) { worker, _ in
                var tr = [Double](repeating: 0, count: q * q), ts = tr
                var i = worker
                while i < l {
                    var sums = PairSums()
                    for j in (i + 1)..<Swift.max(l, i + 1) {
                        ref.pairTable(i, j, into: &tr)
                        smp.pairTable(i, j, into: &ts)
                        let index = Couplings.blockOffset(i, j, length: l, states: q)
                        for a in 0..<q { for b in 0..<q {
                            let (x, y) = (tr[a * q + b], ts[a * q + b])
                            sums.pair.add(x, y)
                            let cx = x - ref.single[i * q + a] * ref.single[j * q + b]
                            let cy = y - smp.single[i * q + a] * smp.single[j * q + b]
                            sums.connected.add(cx, cy)
                            if let keep = keepEvery, (index + a * q + b) % keep == 0 { sums.points.append((index + a * q + b, cx, cy)) }
                        } }
                        if let visit { tr.withUnsafeBufferPointer { r in ts.withUnsafeBufferPointer { s in visit(i, j, r.baseAddress!, s.baseAddress!) } } }
                    }
                    rp[i] = sums
                    i += workers
                }
            }
        }
        var total = PairSums()
        for r in rows { total.merge(r) }
        return total
    }
}

/// Pearson r from running sums (no storage of the values); nil where either side does not vary.
public struct StreamingPearson: Sendable {
    var n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
    public init() {}
    @inline(__always) public mutating func add(_ x: Double, _ y: Double) {
        n += 1; sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y
    }
    public mutating func merge(_ o: StreamingPearson) {
        n += o.n; sx += o.sx; sy += o.sy; sxx += o.sxx; syy += o.syy; sxy += o.sxy
    }
    public var r: Double? {
        guard n >= 2 else { return nil }
        // The running sums cancel: a spread below 10⁻¹² of the second moment is round-off of none.
        let vx = sxx - sx * sx / n, vy = syy - sy * sy / n
        guard vx > 1e-12 * sxx && vy > 1e-12 * syy else { return nil }
        return (sxy - sx * sy / n) / (vx * vy).squareRoot()
    }
}

/// Weighted frequencies of an alignment, with codes stored column-major for pair counting.
struct ColumnStatistics: Sendable {
    let length: Int, states: Int, count: Int
    /// L × N codes (column-major).
    let columns: [UInt8]
    /// Normalised weights.
    let weights: [Double]
    /// f_i(a), L × q.
    let single: [Double]

    init(_ msa: MultipleSequenceAlignment, weights w: [Float]) {
        self.init(codes: msa.codes, length: msa.length, states: msa.alphabet.size, weights: w)
    }

    /// From N × L row-major codes.
    init(codes: [UInt8], length l: Int, states q: Int, weights w: [Float]) {
        (length, states, count) = (l, q, w.count)
        let total = w.reduce(0.0) { $0 + Double($1) }
        weights = w.map { Double($0) / total }
        var c = [UInt8](repeating: 0, count: l * count)
        var f = [Double](repeating: 0, count: l * q)
        for n in 0..<count { for i in 0..<l {
            let a = codes[n * l + i]
            c[i * count + n] = a
            f[i * q + Int(a)] += weights[n]
        } }
        columns = c; single = f
    }

    func pairTable(_ i: Int, _ j: Int, into t: inout [Double]) {
        let q = states
        for k in t.indices { t[k] = 0 }
        columns.withUnsafeBufferPointer { c in
            weights.withUnsafeBufferPointer { w in
                let (ci, cj) = (c.baseAddress! + i * count, c.baseAddress! + j * count)
                for n in 0..<count { t[Int(ci[n]) * q + Int(cj[n])] += w[n] }
            }
        }
    }

    /// C_ijk(a,b,c) for i < j < k, written as t[(a·q + b)·q + c].
    func connectedTriplet(_ i: Int, _ j: Int, _ k: Int, into t: inout [Double]) {
        let q = states
        for x in t.indices { t[x] = 0 }
        var fij = [Double](repeating: 0, count: q * q), fik = fij, fjk = fij
        pairTable(i, j, into: &fij); pairTable(i, k, into: &fik); pairTable(j, k, into: &fjk)
        columns.withUnsafeBufferPointer { c in
            for n in 0..<count {
                t[(Int(c[i * count + n]) * q + Int(c[j * count + n])) * q + Int(c[k * count + n])] += weights[n]
            }
        }
        for a in 0..<q { for b in 0..<q { for cc in 0..<q {
            let (fi, fj, fk) = (single[i * q + a], single[j * q + b], single[k * q + cc])
            t[(a * q + b) * q + cc] += -fij[a * q + b] * fk - fik[a * q + cc] * fj - fjk[b * q + cc] * fi + 2 * fi * fj * fk
        } } }
    }
}

/// Normalised Hamming distance to the nearest sequence of another alignment.
enum NearestSequence {
    static func distances(of query: MultipleSequenceAlignment, rows: [Int], to target: MultipleSequenceAlignment, excludingSelf: Bool) -> [Double] {
        let l = query.length
        var out = [Double](repeating: 0, count: rows.count)
        query.codes.withUnsafeBufferPointer { qc in
            target.codes.withUnsafeBufferPointer { tc in
                out.withUnsafeMutableBufferPointer { ob in
                    nonisolated(unsafe) let (qp, tp, op) = (qc.baseAddress!, tc.baseAddress!, ob.baseAddress!)
                    Parallel.forEachWorker(rows.count) { _, range in
                        for k in range {
                            let r = rows[k]
                            var best = l
                            for m in 0..<target.count where !(excludingSelf && m == r) {
                                var d = 0
                                let (x, y) = (qp + r * l, tp + m * l)
                                for i in 0..<l where x[i] != y[i] { d += 1 }
                                if d < best { best = d; if d == 0 { break } }
                            }
                            op[k] = Double(best) / Double(Swift.max(l, 1))
                        }
                    }
                }
            }
        }
        return out
    }
}
