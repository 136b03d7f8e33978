import Tensors

/// Communities of a weighted undirected graph by modularity maximisation with the Leiden algorithm
/// (Traag, Waltman & van Eck 2019) as leidenalg implements it (`find_partition` with
/// `ModularityVertexPartition`; TF-MoDISco-lite takes the best of 50 seeds).
///
/// Modularity of a partition c: Q = Σ_c [Σ_in(c)/2m − (Σ_tot(c)/2m)²], with A the weighted adjacency
/// (self-loops A_ii on the diagonal), k_i = Σ_j A_ij, 2m = Σ_i k_i, Σ_in(c) = Σ_{i,j ∈ c} A_ij and
/// Σ_tot(c) = Σ_{i ∈ c} k_i. One pass over a level of the graph:
/// 1. local moving: nodes from a queue, first in a random order, each moving to the neighbouring
///    (or an empty) community of the largest gain k_{i,c} − Σ_tot(c)·k_i/2m (k_{i,c}: its weight
///    into c) when that beats staying; a node that moves re-queues its neighbours outside its new
///    community; until the queue is empty;
/// 2. refinement: from singletons, each node still alone (in a random order) merges into the
///    neighbouring refined community *inside its own community* of the largest gain ≥ 0
///    (leidenalg's constrained merge), so refined communities are connected;
/// 3. aggregation: each refined community becomes one node (its internal weight a self-loop), which
///    starts the next level in the community of step 1 that holds it;
/// levels follow while aggregation shrinks the graph and it has more nodes than communities. Such
/// a pass over the levels is one iteration; `iterations` of them (leidenalg's default 2; −1: until
/// no node moves, TF-MoDISco-lite's setting), each from the partition the last one reached
/// (Louvain is one iteration without the refinement, and can leave communities badly connected or
/// split). `runs` seeds (`seed` onwards, over the threads); the partition of the largest Q wins (the
/// first run among equals).
enum Leiden {
    /// Community of each node, numbered 0… by first appearance; and the winning Q.
    static func communities(_ graph: Graph, runs: Int, iterations: Int, seed: UInt64) -> (membership: [Int], modularity: Double) {
        let results = [(membership: [Int], modularity: Double)](unsafeUninitializedCapacity: runs) { buffer, count in
            nonisolated(unsafe) let out = buffer.baseAddress!
            Parallel.forEachWorker(runs) { _, range in
                for r in range { (out + r).initialize(to: run(graph, iterations: iterations, seed: seed &+ UInt64(r) &* 0x9E37_79B9_7F4A_7C15)) }
            }
            count = runs
        }
        var best = 0
        for r in results.indices where results[r].modularity > results[best].modularity { best = r }
        return results[best]
    }

    /// One Leiden run from a seed: `iterations` passes over the levels (−1: until no node moves).
    static func run(_ graph: Graph, iterations: Int, seed: UInt64) -> (membership: [Int], modularity: Double) {
        var rng = RandomGenerator(seed: seed)
        var partition = Array(0..<graph.count)
        var moved = true, iteration = 0
        while moved && (iterations < 0 || iteration < iterations) {
            moved = false; iteration += 1
            var level = graph, community = partition
            var node = Array(0..<graph.count)         // original node → current level's node
            while true {
                let step = level.moveNodes(from: community, &rng)
                moved = moved || step.moved
                for i in node.indices { partition[i] = step.community[node[i]] }
                let (next, map) = level.aggregated(level.refined(within: step.community, &rng))
                for i in node.indices { node[i] = map[node[i]] }
                community = [Int](repeating: 0, count: next.count)
                for v in 0..<level.count { community[map[v]] = step.community[v] }
                let further = next.count < level.count && level.count > step.communities
                level = next
                if !further { break }
            }
        }
        let membership = Graph.renumbered(partition).labels
        return (membership, graph.modularity(membership))
    }

    /// A weighted undirected graph (the seqlets' graph, or one level's): compressed rows — node i's
    /// neighbours are `targets[offsets[i]..<offsets[i + 1]]` with `weights` alongside, symmetric,
    /// no self entries — and each node's self-loop.
    struct Graph {
        let offsets: [Int], targets: [Int32], weights: [Double], selfLoops: [Double]
        /// k_i = A_ii + Σ_j A_ij.
        let degrees: [Double]
        var count: Int { selfLoops.count }

        init(offsets: [Int], targets: [Int32], weights: [Double], selfLoops: [Double]) {
            self.offsets = offsets; self.targets = targets; self.weights = weights; self.selfLoops = selfLoops
            degrees = (0..<selfLoops.count).map { i in weights[offsets[i]..<offsets[i + 1]].reduce(selfLoops[i], +) }
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

        /// Labels renumbered 0… by first appearance, and how many there are.
        static func renumbered(_ labels: [Int]) -> (labels: [Int], count: Int) {
            var number = [Int](repeating: -1, count: (labels.max() ?? -1) + 1), next = 0
            let out = labels.map { c in
                if number[c] < 0 { number[c] = next; next += 1 }
                return number[c]
            }
            return (out, next)
        }

        /// Local moving (Leiden's fast form) from a partition: nodes from a queue, first in a random
        /// order; each goes to the neighbouring or an empty community of the largest gain if that
        /// beats staying; a node that moves queues its neighbours outside its new community; until
        /// the queue is empty. Returns the communities (numbered below `count`), how many, and
        /// whether any node moved.
        func moveNodes(from start: [Int], _ rng: inout RandomGenerator) -> (community: [Int], communities: Int, moved: Bool) {
            let k = degrees, twoM = k.reduce(0, +), n = count
            var (community, used) = Self.renumbered(start)
            guard twoM > 0 else { return (community, used, false) }
            var total = [Double](repeating: 0, count: n), size = [Int](repeating: 0, count: n)
            for i in 0..<n { total[community[i]] += k[i]; size[community[i]] += 1 }
            var empty = Array((used..<n).reversed())        // unused labels, the lowest on top
            var moved = false
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
                    // An empty community gains 0 (leidenalg's consider_empty_community).
                    if size[own] > 1 && 0 > bestGain + 1e-12, let e = empty.last { best = e; bestGain = 0 }
                    total[best] += ki
                    for s in 0..<seenCount { into[seen[s]] = 0; listed[seen[s]] = false }
                    guard best != own else { continue }
                    if best == empty.last { empty.removeLast() }
                    size[own] -= 1; size[best] += 1
                    if size[own] == 0 { empty.append(own); used -= 1 } else if size[best] == 1 { used += 1 }
                    community[i] = best
                    moved = true
                    for e in offsets[i]..<offsets[i + 1] {
                        let j = Int(targets[e])
                        if !queued[j] && community[j] != best { queued[j] = true; queue.push(j) }
                    }
                }
            } } } } } } } }
            return (community, used, moved)
        }

        /// Leiden's refinement (leidenalg's constrained merge): from singletons, each node still
        /// alone, in a random order, joins the refined community inside its own `community` that
        /// neighbours it with the largest gain k_{i,r} − Σ_tot(r)·k_i/2m ≥ 0 (the later among
        /// equals). Refined communities are connected and each lies inside one community.
        func refined(within community: [Int], _ rng: inout RandomGenerator) -> [Int] {
            let k = degrees, twoM = k.reduce(0, +), n = count
            var refined = Array(0..<n), total = k, size = [Int](repeating: 1, count: n)
            guard twoM > 0 else { return refined }
            var into = [Double](repeating: 0, count: n), listed = [Bool](repeating: false, count: n), seen: [Int] = []
            for i in rng.permutation(n) where size[refined[i]] == 1 {
                let own = refined[i], ki = k[i]
                for e in offsets[i]..<offsets[i + 1] where community[Int(targets[e])] == community[i] {
                    let r = refined[Int(targets[e])]
                    if !listed[r] { listed[r] = true; seen.append(r) }
                    into[r] += weights[e]
                }
                var best = own, bestGain = 0.0
                for r in seen {
                    let gain = into[r] - total[r] * ki / twoM
                    if gain >= bestGain { best = r; bestGain = gain }
                    into[r] = 0; listed[r] = false
                }
                seen.removeAll(keepingCapacity: true)
                guard best != own else { continue }
                refined[i] = best; total[own] = 0; total[best] += ki; size[own] = 0; size[best] += 1
            }
            return refined
        }

        /// The communities as nodes (numbered by first appearance), and node → new node.
        func aggregated(_ community: [Int]) -> (Graph, [Int]) {
            let (map, next) = Self.renumbered(community)
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

