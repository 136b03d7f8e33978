import Tensors

/// Communities of a weighted undirected graph by modularity maximisation (Louvain: Blondel et al.
/// 2008), the clustering TF-MoDISco runs on its seqlet graph (it runs Leiden, Louvain with a
/// refinement step that also keeps every community connected).
///
/// Modularity of a partition c: Q = Σ_c [Σ_in(c)/2m − (Σ_tot(c)/2m)²], with A the weighted adjacency
/// (self-loops A_ii on the diagonal), k_i = Σ_j A_ij, 2m = Σ_i k_i, Σ_in(c) = Σ_{i,j ∈ c} A_ij and
/// Σ_tot(c) = Σ_{i ∈ c} k_i. One level: every node, in a random order, moves to the neighbouring
/// community with the largest gain k_{i,c} − Σ_tot(c)·k_i/2m (k_{i,c}: its weight into c), a node
/// that moves sending its neighbours outside its new community back into the queue (Leiden's fast
/// local moving), until none moves; then each community becomes one node (its internal weight a self-loop) and
/// the next level starts, until a level merges nothing. `runs` random orders (seeded by `seed`,
/// over the threads); the partition of the largest Q wins (the first run among equals).
enum Louvain {
    /// Community of each node, numbered 0… by first appearance; and the winning Q.
    static func communities(_ graph: Graph, runs: Int, seed: UInt64) -> (membership: [Int], modularity: Double) {
        let results = [(membership: [Int], modularity: Double)](unsafeUninitializedCapacity: runs) { buffer, count in
            nonisolated(unsafe) let out = buffer.baseAddress!
            Parallel.forEachWorker(runs) { _, range in
                for r in range { (out + r).initialize(to: run(graph, seed: seed &+ UInt64(r) &* 0x9E37_79B9_7F4A_7C15)) }
            }
            count = runs
        }
        var best = 0
        for r in results.indices where results[r].modularity > results[best].modularity { best = r }
        return results[best]
    }

    /// One Louvain run from a random node order.
    static func run(_ graph: Graph, seed: UInt64) -> (membership: [Int], modularity: Double) {
        var rng = RandomGenerator(seed: seed)
        var level = graph
        var membership = Array(0..<graph.count)       // original node → current level's node
        while true {
            let moved = level.moveNodes(&rng)
            let (next, map) = level.aggregated(moved)
            for i in membership.indices { membership[i] = map[membership[i]] }
            if next.count == level.count { break }
            level = next
        }
        return (membership, graph.modularity(membership))
    }

    /// A weighted undirected graph (the seqlets' graph, or one level's): compressed rows — node i's
    /// neighbours are `targets[offsets[i]..<offsets[i + 1]]` with `weights` alongside, symmetric,
    /// no self entries — and each node's self-loop.
    struct Graph {
        var offsets: [Int], targets: [Int32], weights: [Double], selfLoops: [Double]
        var count: Int { selfLoops.count }

        var degrees: [Double] {
            (0..<count).map { i in weights[offsets[i]..<offsets[i + 1]].reduce(selfLoops[i], +) }
        }

        /// Q of a partition of the nodes.
        func modularity(_ community: [Int]) -> Double {
            let k = degrees, twoM = k.reduce(0, +)
            guard twoM > 0 else { return 0 }
            let c = (community.max() ?? -1) + 1
            var inside = [Double](repeating: 0, count: c), total = inside
            for i in 0..<count {
                total[community[i]] += k[i]; inside[community[i]] += selfLoops[i]
                for e in offsets[i]..<offsets[i + 1] where community[Int(targets[e])] == community[i] { inside[community[i]] += weights[e] }
            }
            return (0..<c).reduce(0) { $0 + inside[$1] / twoM - (total[$1] / twoM) * (total[$1] / twoM) }
        }

        /// Local moving (Leiden's fast form): nodes from a queue, first in a random order; a node that
        /// moves queues its neighbours outside its new community; until the queue is empty.
        func moveNodes(_ rng: inout RandomGenerator) -> [Int] {
            let k = degrees, twoM = k.reduce(0, +), n = count
            var community = Array(0..<n), total = k
            guard twoM > 0 else { return community }
            let order = rng.permutation(n)
            var into = [Double](repeating: 0, count: n), seen = [Int](repeating: 0, count: n)
            offsets.withUnsafeBufferPointer { offsets in targets.withUnsafeBufferPointer { targets in
            weights.withUnsafeBufferPointer { weights in k.withUnsafeBufferPointer { k in
            community.withUnsafeMutableBufferPointer { community in total.withUnsafeMutableBufferPointer { total in
            into.withUnsafeMutableBufferPointer { into in seen.withUnsafeMutableBufferPointer { seen in
                var queue = Ring(order), queued = [Bool](repeating: true, count: n), listed = [Bool](repeating: false, count: n)
                while let i = queue.pop() {
                    queued[i] = false
                    let own = community[i], ki = k[i]
                    var seenCount = 0
                    for e in offsets[i]..<offsets[i + 1] {
                        let c = community[Int(targets[e])]
                        if !listed[c] { listed[c] = true; seen[seenCount] = c; seenCount += 1 }
                        into[c] += weights[e]
                    }
                    total[own] -= ki
                    var best = own, bestGain = into[own] - total[own] * ki / twoM
                    for s in 0..<seenCount {
                        let c = seen[s], gain = into[c] - total[c] * ki / twoM
                        if gain > bestGain + 1e-12 { best = c; bestGain = gain }
                    }
                    total[best] += ki
                    for s in 0..<seenCount { into[seen[s]] = 0; listed[seen[s]] = false }
                    guard best != own else { continue }
                    community[i] = best
                    for e in offsets[i]..<offsets[i + 1] {
                        let j = Int(targets[e])
                        if !queued[j] && community[j] != best { queued[j] = true; queue.push(j) }
                    }
                }
            } } } } } } } }
            return community
        }

        /// The communities as nodes (numbered by first appearance), and node → new node.
        func aggregated(_ community: [Int]) -> (Graph, [Int]) {
            var number = [Int](repeating: -1, count: count), next = 0
            for i in 0..<count where number[community[i]] < 0 { number[community[i]] = next; next += 1 }
            let map = (0..<count).map { number[community[$0]] }
            var members = [[Int]](repeating: [], count: next)
            for i in 0..<count { members[map[i]].append(i) }
            var loops = [Double](repeating: 0, count: next)
            var rowStarts = [0], neighbours: [Int32] = [], rowWeights: [Double] = []
            var into = [Double](repeating: 0, count: next), listed = [Bool](repeating: false, count: next), seen: [Int] = []
            for c in 0..<next {
                for i in members[c] {
                    loops[c] += selfLoops[i]
                    for e in offsets[i]..<offsets[i + 1] {
                        let j = map[Int(targets[e])]
                        if j == c { loops[c] += weights[e]; continue }
                        if !listed[j] { listed[j] = true; seen.append(j) }
                        into[j] += weights[e]
                    }
                }
                seen.sort()
                for j in seen { neighbours.append(Int32(j)); rowWeights.append(into[j]); into[j] = 0; listed[j] = false }
                seen.removeAll(keepingCapacity: true)
                rowStarts.append(neighbours.count)
            }
            return (Graph(offsets: rowStarts, targets: neighbours, weights: rowWeights, selfLoops: loops), map)
        }
    }
}

/// A first-in first-out queue of node indices over a ring buffer (at most one entry per node).
struct Ring {
    var slots: [Int], head = 0, count: Int
    init(_ initial: [Int]) { slots = initial; count = initial.count }
    mutating func pop() -> Int? {
        guard count > 0 else { return nil }
        defer { head = (head + 1) % slots.count; count -= 1 }
        return slots[head]
    }
    mutating func push(_ i: Int) { slots[(head + count) % slots.count] = i; count += 1 }
}
