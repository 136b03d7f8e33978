import Testing
import Tensors
@testable import Attribution
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SeqletGraphTests {
    /// An undirected graph from weighted edge pairs (each stored in both rows).
    static func graph(_ n: Int, _ edges: [(Int, Int, Double)], selfLoops: [Double]? = nil) -> Leiden.Graph {
        var rows = [[(Int32, Double)]](repeating: [], count: n)
        for (i, j, w) in edges { rows[i].append((Int32(j), w)); rows[j].append((Int32(i), w)) }
        var offsets = [0], targets: [Int32] = [], weights: [Double] = []
        for row in rows {
            for (j, w) in row.sorted(by: { $0.0 < $1.0 }) { targets.append(j); weights.append(w) }
            offsets.append(targets.count)
        }
        return Leiden.Graph(offsets: offsets, targets: targets, weights: weights, selfLoops: selfLoops ?? Array(repeating: 0, count: n))
    }

    static func cliques(_ size: Int, _ count: Int) -> [(Int, Int, Double)] {
        var edges: [(Int, Int, Double)] = []
        for c in 0..<count { for i in 0..<size { for j in (i + 1)..<size { edges.append((c * size + i, c * size + j, 1)) } } }
        for c in 1..<count { edges.append(((c - 1) * size, c * size, 1)) }     // a chain of bridges
        return edges
    }

    @Test func leidenSplitsCliquesJoinedByBridges() {
        // Two K6 and one bridge: m = 31; each half Σ_in = 30, Σ_tot = 31: Q = 2 (30/62 − (31/62)²).
        let g = Self.graph(12, Self.cliques(6, 2))
        let (membership, q) = Leiden.communities(g, runs: 5, iterations: 2, seed: 3)
        #expect(Set(membership[0..<6]).count == 1 && Set(membership[6..<12]).count == 1 && membership[0] != membership[6])
        #expect(Swift.abs(q - 2 * (30.0 / 62 - (31.0 / 62) * (31.0 / 62))) < 1e-12)
        // Five K5 in a chain: five communities, whatever the order of the nodes.
        let five = Leiden.communities(Self.graph(25, Self.cliques(5, 5)), runs: 3, iterations: 2, seed: 1).membership
        #expect(five == (0..<25).map { $0 / 5 })
    }

    @Test func edgesOfWeightZeroChangeNothing() {
        // Density-adapted weights underflow to 0 for far neighbours: every cross pair of two K6
        // joined at weight 0, the same two communities and Q.
        var edges = Self.cliques(6, 2)
        for i in 1..<6 { for j in 7..<12 { edges.append((i, j, 0)) } }
        let plain = Leiden.communities(Self.graph(12, Self.cliques(6, 2)), runs: 4, iterations: 2, seed: 1)
        let padded = Leiden.communities(Self.graph(12, edges), runs: 4, iterations: 2, seed: 1)
        #expect(padded.membership == plain.membership && padded.modularity == plain.modularity)
    }

    @Test func modularityCountsSelfLoopsInsideTheirCommunity() {
        // Nodes 0–1 (weight 2) and 2 alone, self-loops 1 each: k = (3, 3, 1), 2m = 7.
        let g = Self.graph(3, [(0, 1, 2)], selfLoops: [1, 1, 1])
        let q = g.modularity([0, 0, 1])
        #expect(Swift.abs(q - ((6.0 / 7 - (6.0 / 7) * (6.0 / 7)) + (1.0 / 7 - (1.0 / 7) * (1.0 / 7)))) < 1e-12)
    }

    @Test func leidenIsTheSameAtAnyThreadCount() {
        var rng = RandomGenerator(seed: 9)
        var edges: [(Int, Int, Double)] = []
        for i in 0..<60 { for j in (i + 1)..<60 where rng.uniform() < (i / 20 == j / 20 ? 0.5 : 0.05) { edges.append((i, j, Double(0.5 + rng.uniform()))) } }
        let g = Self.graph(60, edges)
        let one = Parallel.withThreads(1) { Leiden.communities(g, runs: 8, iterations: 2, seed: 2) }
        let two = Parallel.withThreads(2) { Leiden.communities(g, runs: 8, iterations: 2, seed: 2) }
        #expect(one.membership == two.membership && one.modularity == two.modularity)
        #expect(Set(one.membership).count >= 3)
    }

    /// A planted partition: `groups` blocks of `size` nodes, edges inside with probability 0.4 and
    /// across with 0.08, weights in [0.5, 1.5).
    static func planted(groups: Int, size: Int, seed: UInt64) -> Leiden.Graph {
        var rng = RandomGenerator(seed: seed)
        let n = groups * size
        var edges: [(Int, Int, Double)] = []
        for i in 0..<n { for j in (i + 1)..<n where rng.uniform() < (i / size == j / size ? 0.4 : 0.08) { edges.append((i, j, Double(0.5 + rng.uniform()))) } }
        return graph(n, edges)
    }

    /// Whether the nodes of each community form one connected piece of the graph.
    static func connected(_ g: Leiden.Graph, _ community: [Int]) -> Bool {
        var reached = [Bool](repeating: false, count: g.count)
        for start in 0..<g.count where !reached[start] {
            // Flood the start's community from it; any member left unreached is a second piece.
            var stack = [start]
            reached[start] = true
            while let i = stack.popLast() {
                for e in g.offsets[i]..<g.offsets[i + 1] {
                    let j = Int(g.targets[e])
                    if !reached[j] && community[j] == community[start] { reached[j] = true; stack.append(j) }
                }
            }
            for i in 0..<g.count where community[i] == community[start] && !reached[i] { return false }
        }
        return true
    }

    @Test func leidenEndsConnectedAndLocallyOptimal() {
        for seed in UInt64(1)...4 {
            let g = Self.planted(groups: 5, size: 16, seed: seed)
            // Until no node moves: a partition no single move improves.
            let (membership, q) = Leiden.communities(g, runs: 3, iterations: -1, seed: seed)
            #expect(Swift.abs(q - g.modularity(membership)) < 1e-12)
            #expect(Self.connected(g, membership))
            // No single node gains by moving to another community or to one of its own (brute force).
            let base = g.modularity(membership)
            let labels = Set(membership)
            for i in 0..<g.count {
                for c in labels.union([labels.count]) where c != membership[i] {
                    var moved = membership
                    moved[i] = c
                    #expect(g.modularity(moved) <= base + 1e-9, "node \(i) to \(c)")
                }
            }
            // At least the planted blocks' modularity.
            #expect(q >= g.modularity((0..<g.count).map { $0 / 16 }) - 1e-12)
        }
    }

    @Test func refinementSplitsEachCommunityIntoConnectedPieces() {
        // Two K5 in one community with no edge between them: the refinement must split it.
        var edges = Self.cliques(5, 2).filter { $0.0 / 5 == $0.1 / 5 }
        edges.append((10, 11, 1))
        let g = Self.graph(12, edges)
        let community = (0..<12).map { $0 < 10 ? 0 : 1 }
        var rng = RandomGenerator(seed: 1)
        let refined = g.refined(within: community, &rng)
        #expect(Set(refined[0..<5]).count == 1 && Set(refined[5..<10]).count == 1 && refined[0] != refined[5])
        #expect(refined[10] == refined[11] && refined[10] != refined[0] && refined[10] != refined[5])
        // On a random graph and partition: pieces inside one community each, each connected.
        let h = Self.planted(groups: 4, size: 15, seed: 7)
        let coarse = (0..<h.count).map { ($0 * 7) % 3 }
        let pieces = h.refined(within: coarse, &rng)
        for r in Set(pieces) { #expect(Set((0..<h.count).filter { pieces[$0] == r }.map { coarse[$0] }).count == 1) }
        #expect(Self.connected(h, pieces))
    }

    @Test func topKKeepsTheLargestAndTheLowerIndexAmongEquals() {
        var rng = RandomGenerator(seed: 4)
        let values = (0..<200).map { _ in Float(rng.int(below: 30)) }
        var top = TopK(17)
        for (i, v) in values.enumerated() { top.offer(v, i) }
        var targets = [Int32](repeating: 0, count: 17), kept = [Float](repeating: 0, count: 17)
        top.drain(into: &targets, &kept)
        let expected = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(17)
        #expect(targets.map(Int.init) == Array(expected))
        #expect(kept == expected.map { values[$0] })
    }

    @Test func nearestAffinitiesAreTheBestShiftedCosines() {
        var rng = RandomGenerator(seed: 7)
        let (n, d, shifts, k) = (70, 12, 5, 9)
        func unit(_ v: [Float]) -> [Float] { let s = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / s } }
        var shifted: [Float] = [], centred: [Float] = []
        for _ in 0..<(n * shifts) { shifted += unit((0..<d).map { _ in rng.normal() }) }
        for i in 0..<n { centred += shifted[((i * shifts + 2) * d)..<((i * shifts + 3) * d)] }
        let (targets, affinities, kk) = Parallel.withThreads(2) {
            SeqletGraph.nearest(centred: centred, shifted: shifted, width: d, shifts: shifts, neighbours: k)
        }
        #expect(kk == k)
        func dot(_ i: Int, _ j: Int, _ s: Int) -> Float {
            var sum: Float = 0
            for e in 0..<d { sum += centred[i * d + e] * shifted[(j * shifts + s) * d + e] }
            return sum
        }
        for i in 0..<n {
            var a = [Float](repeating: -.infinity, count: n)
            for j in 0..<n where j != i { a[j] = (0..<shifts).map { dot(i, j, $0) }.max()! }
            let best = Array(a.indices.sorted { a[$0] > a[$1] || (a[$0] == a[$1] && $0 < $1) }.prefix(k))
            let kept: [Int] = targets[(i * k)..<((i + 1) * k)].map { Int($0) }
            #expect(kept == best)
            for (e, j) in best.enumerated() { #expect(Swift.abs(affinities[i * k + e] - a[j]) < 1e-5) }
        }
        let single = Parallel.withThreads(1) { SeqletGraph.nearest(centred: centred, shifted: shifted, width: d, shifts: shifts, neighbours: k) }
        #expect(single.targets == targets && single.affinities == affinities)
    }

    @Test func precisionGivesTheAskedPerplexity() {
        var rng = RandomGenerator(seed: 5)
        let distances = (0..<300).map { _ in Double(3 * rng.uniform()) }
        let beta = SeqletGraph.precision(distances, perplexity: 10)
        let p = [1.0] + distances.map { exp(-beta * $0) }, z = p.reduce(0, +)
        let entropy = -p.reduce(0) { $0 + $1 / z * log($1 / z) }
        #expect(Swift.abs(exp(entropy) - 10) < 1e-3)
    }

    @Test func densityAdaptedWeightsAreSymmetricAndFollowTheKernel() {
        // Affinities of 30 nodes, 6 kept each; by hand for one pair kept both ways.
        var rng = RandomGenerator(seed: 8)
        let (n, k) = (30, 6)
        var targets: [Int32] = [], affinities: [Float] = []
        for i in 0..<n {
            let others = rng.permutation(n).filter { $0 != i }.prefix(k)
            for j in others { targets.append(Int32(j)); affinities.append(Float(0.2 + 0.8 * rng.uniform())) }
        }
        let g = SeqletGraph.densityAdapted(targets: targets, affinities: affinities, k: k, count: n, perplexity: 4)
        func weight(_ i: Int, _ j: Int) -> Double? {
            (g.offsets[i]..<g.offsets[i + 1]).first { g.targets[$0] == Int32(j) }.map { g.weights[$0] }
        }
        for i in 0..<n {
            for e in g.offsets[i]..<g.offsets[i + 1] { #expect(weight(Int(g.targets[e]), i) == g.weights[e]) }
            #expect(g.selfLoops[i] > 0 && g.selfLoops[i] < 1)
        }
        // Row 0's kernel: the mean distance where both directions were kept, β from its row.
        func distance(_ i: Int, _ j: Int) -> Double? {
            let e = (0..<k).first { targets[i * k + $0] == Int32(j) }
            return e.map { Swift.max(log(2 / Double(affinities[i * k + $0]) - 1), 0) }
        }
        func rowDistances(_ i: Int) -> [Double] {
            (g.offsets[i]..<g.offsets[i + 1]).map { e in
                let j = Int(g.targets[e]), both = [distance(i, j), distance(j, i)].compactMap { $0 }
                return both.reduce(0, +) / Double(both.count)
            }
        }
        let j = Int(g.targets[g.offsets[0]])
        let (d0, dj) = (rowDistances(0), rowDistances(j))
        let (b0, bj) = (SeqletGraph.precision(d0, perplexity: 4), SeqletGraph.precision(dj, perplexity: 4))
        let z0 = 1 + d0.reduce(0) { $0 + exp(-b0 * $1) }, zj = 1 + dj.reduce(0) { $0 + exp(-bj * $1) }
        let dist = d0[0]
        #expect(Swift.abs(g.selfLoops[0] - 1 / z0) < 1e-12)
        #expect(Swift.abs(weight(0, j)! - (exp(-b0 * dist) / z0 * (exp(-bj * dist) / zj)).squareRoot()) < 1e-12)
    }
}
