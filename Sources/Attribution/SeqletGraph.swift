import Glibc
import Tensors

/// The seqlets' nearest-neighbour graph, built as TF-MoDISco builds it for clustering.
///
/// Affinity a_ij: the largest cosine between seqlet i's core window of hypothetical contributions
/// and seqlet j's windows shifted by o ∈ −maxShift…maxShift on either strand (the alignment
/// `SeqletClustering` uses throughout). Each seqlet keeps its `neighbours` largest affinities
/// (one sgemm per tile of seqlets against a block of the others' shifted windows).
///
/// Density adaptation (TF-MoDISco's `_density_adaptation`): distance d_ij = max(ln(2/a_ij − 1), 0)
/// (0 at a = 1, growing as a → 0; a below 10⁻⁷ counts as 10⁻⁷), the mean of d_ij and d_ji where both
/// were kept; per seqlet a precision β_i is set by bisection so that the kernel
/// p_j|i = e^{−β_i d_ij} / Z_i, Z_i = 1 + Σ_j e^{−β_i d_ij} (the seqlet itself at distance 0), has
/// perplexity `perplexity` (t-SNE's calibration); edge weight w_ij = √(p_j|i · p_i|j), and each
/// seqlet a self-loop 1/Z_i. Every seqlet spreads about one unit of weight over its ≈ perplexity
/// nearest, so a dense motif gets no more say than a sparse one. (TF-MoDISco-lite divides by the
/// β its search calibrated as a multiplier; the calibrated kernel is used here.)
enum SeqletGraph {
    /// Row i's k largest affinities a_ij (j ≠ i), k = min(neighbours, N − 1), as a flat N × k
    /// array of neighbours (largest first; the lower index first among equals) and affinities.
    /// `centred[i]` is seqlet i's unshifted forward window (d floats), `shifted[i]` its
    /// `shifts` candidate windows (shifts × d), each scaled to unit norm (or zero).
    static func nearest(centred: [Float], shifted: [Float], width d: Int, shifts: Int, neighbours: Int,
                        progress: (@Sendable (Int) -> Void)? = nil) -> (targets: [Int32], affinities: [Float], k: Int) {
        let n = centred.count / d, k = Swift.min(neighbours, n - 1)
        guard k > 0 else { return ([], [], 0) }
        let tile = 128, block = 128, tiles = (n + tile - 1) / tile
        var targets = [Int32](repeating: 0, count: n * k), affinities = [Float](repeating: 0, count: n * k)
        centred.withUnsafeBufferPointer { u in
            shifted.withUnsafeBufferPointer { v in
                targets.withUnsafeMutableBufferPointer { t in
                    affinities.withUnsafeMutableBufferPointer { a in
                        nonisolated(unsafe) let (up, vp, tp, ap) = (u.baseAddress!, v.baseAddress!, t.baseAddress!, a.baseAddress!)
                        Parallel.forEachWorker(tiles) { worker, range in
                            var products = [Float](repeating: 0, count: tile * block * shifts)
                            var row = [Float](repeating: 0, count: tile * n)
                            var heap = TopK(k)
                            for t in range {
                                let r0 = t * tile, rows = Swift.min(tile, n - r0)
                                for c0 in stride(from: 0, to: n, by: block) {
                                    let cols = Swift.min(block, n - c0)
                                    products.withUnsafeMutableBufferPointer { g in
                                        sgemm(false, true, rows, cols * shifts, d, 1, up + r0 * d, d,
                                              vp + c0 * shifts * d, d, 0, g.baseAddress!, cols * shifts)
                                        for r in 0..<rows { for j in 0..<cols {
                                            let p = g.baseAddress! + r * cols * shifts + j * shifts
                                            var best = p[0]
                                            for s in 1..<shifts where p[s] > best { best = p[s] }
                                            row[r * n + c0 + j] = best
                                        } }
                                    }
                                }
                                for r in 0..<rows {
                                    heap.reset()
                                    for j in 0..<n where j != r0 + r { heap.offer(row[r * n + j], j) }
                                    heap.drain(into: tp + (r0 + r) * k, ap + (r0 + r) * k)
                                }
                                if worker == 0, let progress {
                                    progress(Swift.min(n, (t - range.lowerBound + 1) * tile * Parallel.workers(for: tiles)))
                                }
                            }
                        }
                    }
                }
            }
        }
        return (targets, affinities, k)
    }

    /// The density-adapted graph of the k-nearest affinities (`nearest`).
    static func densityAdapted(targets: [Int32], affinities: [Float], k: Int, count n: Int, perplexity: Double) -> Leiden.Graph {
        // d_ij per kept pair, each row sorted by neighbour; the transpose by a counting sort
        // (its rows come out sorted); then row by row the union of the two, the mean where both
        // directions were kept.
        let distance = { (a: Float) in Swift.max(log(2 / Swift.max(Double(a), 1e-7) - 1), 0) }
        var rowTargets = [Int32](repeating: 0, count: n * k), rowDistances = [Double](repeating: 0, count: n * k)
        var columnCounts = [Int](repeating: 0, count: n + 1)
        for i in 0..<n {
            let order = (0..<k).sorted { targets[i * k + $0] < targets[i * k + $1] }
            for (e, o) in order.enumerated() {
                rowTargets[i * k + e] = targets[i * k + o]; rowDistances[i * k + e] = distance(affinities[i * k + o])
                columnCounts[Int(targets[i * k + o]) + 1] += 1
            }
        }
        for j in 0..<n { columnCounts[j + 1] += columnCounts[j] }
        var fill = columnCounts, columnSources = [Int32](repeating: 0, count: n * k), columnDistances = [Double](repeating: 0, count: n * k)
        for i in 0..<n {
            for e in (i * k)..<((i + 1) * k) {
                let j = Int(rowTargets[e])
                columnSources[fill[j]] = Int32(i); columnDistances[fill[j]] = rowDistances[e]; fill[j] += 1
            }
        }
        var offsets = [0], distTargets: [Int32] = [], distances: [Double] = []
        distTargets.reserveCapacity(2 * n * k); distances.reserveCapacity(2 * n * k)
        for i in 0..<n {
            var r = i * k, c = columnCounts[i]
            let rEnd = (i + 1) * k, cEnd = columnCounts[i + 1]
            while r < rEnd || c < cEnd {
                if c == cEnd || (r < rEnd && rowTargets[r] < columnSources[c]) {
                    distTargets.append(rowTargets[r]); distances.append(rowDistances[r]); r += 1
                } else if r == rEnd || columnSources[c] < rowTargets[r] {
                    distTargets.append(columnSources[c]); distances.append(columnDistances[c]); c += 1
                } else {
                    distTargets.append(rowTargets[r]); distances.append((rowDistances[r] + columnDistances[c]) / 2); r += 1; c += 1
                }
            }
            offsets.append(distTargets.count)
        }
        let betas = (0..<n).map { i in Self.precision(Array(distances[offsets[i]..<offsets[i + 1]]), perplexity: perplexity) }
        let z = (0..<n).map { i in 1 + distances[offsets[i]..<offsets[i + 1]].reduce(0) { $0 + exp(-betas[i] * $1) } }
        var weights = [Double](repeating: 0, count: distances.count)
        for i in 0..<n {
            for e in offsets[i]..<offsets[i + 1] {
                let j = Int(distTargets[e]), dist = distances[e], (a, b) = i < j ? (i, j) : (j, i)   // one order: w_ij = w_ji exactly
                weights[e] = (exp(-betas[a] * dist) / z[a] * (exp(-betas[b] * dist) / z[b])).squareRoot()
            }
        }
        return Leiden.Graph(offsets: offsets, targets: distTargets, weights: weights, selfLoops: z.map { 1 / $0 })
    }

    /// β with perplexity exp(H) of p_j ∝ e^{−β d_j} (and the node itself, d = 0) equal to
    /// `perplexity`, by bisection (doubling or halving until bracketed; 100 steps, |ΔH| ≤ 10⁻⁵).
    static func precision(_ distances: [Double], perplexity: Double) -> Double {
        let target = log(perplexity)
        var beta = 1.0, low = -Double.infinity, high = Double.infinity
        for _ in 0..<100 {
            var sum = 1.0, weighted = 0.0
            for d in distances { let p = exp(-d * beta); sum += p; weighted += d * p }
            let entropy = log(sum) + beta * weighted / sum
            let diff = entropy - target
            if Swift.abs(diff) <= 1e-5 { break }
            if diff > 0 {
                low = beta; beta = high == .infinity ? beta * 2 : (beta + high) / 2
            } else {
                high = beta; beta = low == -.infinity ? beta / 2 : (beta + low) / 2
            }
        }
        return beta
    }
}

/// The k largest (value, index) pairs offered, the lower index first among equal values: a
/// min-heap whose root is the weakest kept pair.
struct TopK {
    let k: Int
    var values: [Float] = [], indices: [Int] = []
    init(_ k: Int) { self.k = k; values.reserveCapacity(k); indices.reserveCapacity(k) }

    mutating func reset() { values.removeAll(keepingCapacity: true); indices.removeAll(keepingCapacity: true) }

    /// a is weaker than b: a smaller value, or the same value at a higher index.
    @inline(__always) func weaker(_ a: Int, _ b: Int) -> Bool {
        values[a] < values[b] || (values[a] == values[b] && indices[a] > indices[b])
    }

    mutating func offer(_ value: Float, _ index: Int) {
        if values.count < k {
            values.append(value); indices.append(index)
            var c = values.count - 1
            while c > 0 { let p = (c - 1) / 2; if weaker(c, p) { swapAt(c, p); c = p } else { break } }
            return
        }
        guard value > values[0] || (value == values[0] && index < indices[0]) else { return }
        values[0] = value; indices[0] = index
        var p = 0
        while true {
            let l = 2 * p + 1, r = l + 1
            var m = p
            if l < k && weaker(l, m) { m = l }
            if r < k && weaker(r, m) { m = r }
            if m == p { break }
            swapAt(p, m); p = m
        }
    }

    mutating func swapAt(_ a: Int, _ b: Int) { values.swapAt(a, b); indices.swapAt(a, b) }

    /// Writes the kept pairs, strongest first.
    func drain(into targets: UnsafeMutablePointer<Int32>, _ affinities: UnsafeMutablePointer<Float>) {
        let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && indices[$0] < indices[$1]) }
        for (e, o) in order.enumerated() { targets[e] = Int32(indices[o]); affinities[e] = values[o] }
    }
}
