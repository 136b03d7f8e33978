import Tensors

/// Shuffles a sequence while keeping its dinucleotide counts exactly (Altschul & Erickson 1985):
/// treat each base as a vertex and each adjacent pair as an edge, pick a random last edge out of
/// every vertex that forms an arborescence into the final base, shuffle the other edges, and walk.
public enum DinucleotideShuffle {
    public static func shuffle(_ seq: [Int], using rng: inout RandomGenerator) -> [Int] {
        guard seq.count > 2 else { return seq }
        let last = seq[seq.count - 1]
        var edges = [[Int]](repeating: [], count: 4)
        for (a, b) in zip(seq, seq.dropFirst()) { edges[a].append(b) }
        // Random arborescence: a last exit edge for every vertex (but the final one) leading to `last`.
        var lastEdge = [Int?](repeating: nil, count: 4)
        while true {
            var inTree = [Bool](repeating: false, count: 4)
            inTree[last] = true
            var ok = true
            for v in 0..<4 where !edges[v].isEmpty && v != last {
                lastEdge[v] = edges[v][rng.int(below: edges[v].count)]
            }
            // Check every vertex with edges reaches `last` following its last edges.
            for v in 0..<4 where !edges[v].isEmpty {
                var u = v, steps = 0
                while !inTree[u] && steps < 5 { guard let next = lastEdge[u] else { ok = false; break }; u = next; steps += 1 }
                if !inTree[u] { ok = false }
                if !ok { break }
            }
            if ok { break }
        }
        // Shuffle each vertex's other edges and put its chosen last edge at the end.
        var lists = [[Int]](repeating: [], count: 4)
        for v in 0..<4 where !edges[v].isEmpty {
            var rest = edges[v]
            if v != last, let e = lastEdge[v], let k = rest.firstIndex(of: e) { rest.remove(at: k) }
            for k in stride(from: rest.count - 1, to: 0, by: -1) { rest.swapAt(k, rng.int(below: k + 1)) }
            if v != last, let e = lastEdge[v] { rest.append(e) }
            lists[v] = rest
        }
        var out = [seq[0]]
        var cursor = [Int](repeating: 0, count: 4)
        var v = seq[0]
        while out.count < seq.count {
            let next = lists[v][cursor[v]]; cursor[v] += 1
            out.append(next); v = next
        }
        return out
    }
}
