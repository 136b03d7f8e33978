/// The inner products L-BFGS's two-loop recursion reads (Nocedal & Wright 2006, Alg. 7.4), kept
/// from one iteration to the next so that the direction is worked out on a few numbers and then
/// formed in one pass over the vectors ("vector-free" L-BFGS, Chen, Wang & Zhou 2014). For the
/// pairs (s_i, y_i), oldest first, the gradient g and the diagonal preconditioner M (M = I
/// without one):
///   sy[i][j] = s_iᵀy_j,   yMy[i][j] = y_iᵀM y_j,   sg[i] = s_iᵀg,   yMg[i] = y_iᵀM g,   gMg = gᵀM g,
/// with gᵀg and xᵀx for the stopping test. Each iteration adds the new pair's row and column and
/// the new gradient's products in one blocked pass (`accept`), in place of the recursion's 4m
/// passes. Every product is taken with the newer vector first and the same kernel, so the products
/// of a resumed run (`init`) are the bits an uninterrupted run holds.
struct PairProducts {
    var sy: [[Double]] = [], yMy: [[Double]] = [], sg: [Double] = [], yMg: [Double] = []
    var gMg = 0.0, gg = 0.0, xx = 0.0

    var gradientNorm: Float { Float(gg.squareRoot()) }

    /// All the products of a state: at the start, or on resuming with its pairs.
    init(x: [Float], g: [Float], s: [[Float]], y: [[Float]], weight: [Float]?) {
        let m = s.count
        let values = VectorOps.withPointers([x, g] + s + y + (weight.map { [$0] } ?? [])) { p -> [Double] in
            let (xp, gp, wp) = (p[0], p[1], weight == nil ? nil : p[2 + 2 * m])
            let sp = Array(p[2..<(2 + m)]), yp = Array(p[(2 + m)..<(2 + 2 * m)])
            var list: [VectorOps.Product] = []
            for i in 0..<m { for j in 0..<m { list.append(.init(a: sp[i], b: yp[j], w: nil)) } }
            for i in 0..<m { for j in 0...i { list.append(.init(a: yp[i], b: yp[j], w: wp)) } }
            for i in 0..<m { list.append(.init(a: sp[i], b: gp, w: nil)) }
            for i in 0..<m { list.append(.init(a: yp[i], b: gp, w: wp)) }
            list += [.init(a: gp, b: gp, w: wp), .init(a: gp, b: gp, w: nil), .init(a: xp, b: xp, w: nil)]
            return VectorOps.innerProducts(count: x.count, list)
        }
        var k = 0
        func next() -> Double { defer { k += 1 }; return values[k] }
        sy = (0..<m).map { _ in (0..<m).map { _ in next() } }
        yMy = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for i in 0..<m { for j in 0...i { let v = next(); yMy[i][j] = v; yMy[j][i] = v } }
        sg = (0..<m).map { _ in next() }
        yMg = (0..<m).map { _ in next() }
        (gMg, gg, xx) = (next(), next(), next())
    }

    /// After a step from (x_old, g_old) to (x, g): forms s = x − x_old in `newS` (which holds x_old)
    /// and y = g − g_old in `newY` (which holds g_old) and takes, in the same pass, the new pair's
    /// products with every pair and the new gradient's. Keeps the pair and returns true when
    /// sᵀy > 10⁻¹⁰·yᵀy (curvature condition; otherwise the history stays as it was).
    mutating func accept(x: [Float], g: [Float], newS: inout [Float], newY: inout [Float],
                         s: [[Float]], y: [[Float]], weight: [Float]?) -> Bool {
        let m = s.count, n = x.count
        let values = VectorOps.withPointers([x, g] + s + y + (weight.map { [$0] } ?? [])) { p -> [Double] in
            let (xp, gp, wp) = (p[0], p[1], weight == nil ? nil : p[2 + 2 * m])
            let sp = Array(p[2..<(2 + m)]), yp = Array(p[(2 + m)..<(2 + 2 * m)])
            return newS.withUnsafeMutableBufferPointer { sb in
                newY.withUnsafeMutableBufferPointer { yb in
                    nonisolated(unsafe) let (ns, ny) = (sb.baseAddress!, yb.baseAddress!)
                    let (cs, cy) = (UnsafePointer(ns), UnsafePointer(ny))
                    var list: [VectorOps.Product] = []
                    for j in 0..<m { list += [.init(a: cs, b: yp[j], w: nil), .init(a: sp[j], b: cy, w: nil), .init(a: cy, b: yp[j], w: wp)] }
                    list += [.init(a: cs, b: cy, w: nil), .init(a: cy, b: cy, w: wp), .init(a: cy, b: cy, w: nil)]
                    for i in 0..<m { list += [.init(a: sp[i], b: gp, w: nil), .init(a: yp[i], b: gp, w: wp)] }
                    list += [.init(a: cs, b: gp, w: nil), .init(a: cy, b: gp, w: wp),
                             .init(a: gp, b: gp, w: wp), .init(a: gp, b: gp, w: nil), .init(a: xp, b: xp, w: nil)]
                    return VectorOps.innerProducts(count: n, list) { lo, hi in
                        for k in lo..<hi { ns[k] = xp[k] - ns[k]; ny[k] = gp[k] - ny[k] }
                    }
                }
            }
        }
        let row = (0..<m).map { values[3 * $0] }, column = (0..<m).map { values[3 * $0 + 1] }, curvature = (0..<m).map { values[3 * $0 + 2] }
        let (sNew, yMyNew, yyNew) = (values[3 * m], values[3 * m + 1], values[3 * m + 2])
        let base = 3 * m + 3
        sg = (0..<m).map { values[base + 2 * $0] }
        yMg = (0..<m).map { values[base + 2 * $0 + 1] }
        let tail = base + 2 * m
        (gMg, gg, xx) = (values[tail + 2], values[tail + 3], values[tail + 4])
        guard sNew > 1e-10 * yyNew else { return false }
        for i in 0..<m { sy[i].append(column[i]); yMy[i].append(curvature[i]) }
        sy.append(row + [sNew]); yMy.append(curvature + [yMyNew])
        sg.append(values[tail]); yMg.append(values[tail + 1])
        return true
    }

    mutating func removeOldestPair() {
        sy.removeFirst(); yMy.removeFirst(); sg.removeFirst(); yMg.removeFirst()
        for i in sy.indices { sy[i].removeFirst(); yMy[i].removeFirst() }
    }

    mutating func removeAllPairs() { sy = []; yMy = []; sg = []; yMg = [] }

    /// The direction d = −H·g of the two-loop recursion, with H₀ = γ·M, γ = sᵀy / yᵀMy from the
    /// newest pair (γ = 1 before the first pair), as coefficients:
    ///   d = −(M ⊙ (γ·g + Σ_j a_j·y_j) + Σ_i c_i·s_i),
    /// and its slope dᵀg, from the products alone. Loop 1 keeps q = g + Σ_j q_j·y_j and
    /// α_k = ρ_k·s_kᵀq; loop 2 keeps r = γ·M·q + Σ_i c_i·s_i and β_k = ρ_k·y_kᵀr (ρ_k = 1/s_kᵀy_k).
    func direction() -> (gamma: Float, yCoefficients: [Float], sCoefficients: [Float], slope: Double) {
        let m = sy.count
        var q = [Double](repeating: 0, count: m), alpha = [Double](repeating: 0, count: m)
        for k in stride(from: m - 1, through: 0, by: -1) {
            var sq = sg[k]
            for j in 0..<m { sq += q[j] * sy[k][j] }
            alpha[k] = sq / sy[k][k]
            q[k] -= alpha[k]
        }
        let gamma = m > 0 ? sy[m - 1][m - 1] / yMy[m - 1][m - 1] : 1
        var c = [Double](repeating: 0, count: m)
        for k in 0..<m {
            var yq = yMg[k]
            for j in 0..<m { yq += q[j] * yMy[k][j] }
            var yr = gamma * yq
            for i in 0..<k { yr += c[i] * sy[i][k] }
            c[k] = alpha[k] - yr / sy[k][k]
        }
        var gq = gMg
        for j in 0..<m { gq += q[j] * yMg[j] }
        var slope = gamma * gq
        for i in 0..<m { slope += c[i] * sg[i] }
        return (Float(gamma), q.map { Float(gamma * $0) }, c.map { Float($0) }, -slope)
    }
}
