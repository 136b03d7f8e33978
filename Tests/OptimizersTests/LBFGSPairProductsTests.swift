import Testing
import Tensors
@testable import Optimizers

/// The coefficient-space direction (`PairProducts`, one pass over the vectors) against the
/// textbook two-loop recursion over the vectors themselves, in double precision.
@Suite struct LBFGSPairProductsTests {
    /// d = −H·g by Nocedal & Wright's Alg. 7.4 with H₀ = γ·M, γ = sᵀy / yᵀMy of the newest pair.
    static func twoLoop(g: [Float], s: [[Float]], y: [[Float]], weight: [Float]?) -> [Double] {
        let n = g.count
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        let (sd, yd) = (s.map { $0.map(Double.init) }, y.map { $0.map(Double.init) })
        let w = weight.map { $0.map(Double.init) } ?? [Double](repeating: 1, count: n)
        var q = g.map(Double.init)
        var alpha = [Double](repeating: 0, count: s.count)
        for k in stride(from: s.count - 1, through: 0, by: -1) {
            alpha[k] = dot(sd[k], q) / dot(sd[k], yd[k])
            for i in 0..<n { q[i] -= alpha[k] * yd[k][i] }
        }
        let gamma = s.isEmpty ? 1 : dot(sd.last!, yd.last!) / dot(yd.last!, zip(w, yd.last!).map { $0 * $1 })
        var r = (0..<n).map { gamma * w[$0] * q[$0] }
        for k in 0..<s.count {
            let beta = dot(yd[k], r) / dot(sd[k], yd[k])
            for i in 0..<n { r[i] += (alpha[k] - beta) * sd[k][i] }
        }
        return r.map { -$0 }
    }

    static func problem(n: Int, pairs m: Int, seed: UInt64) -> (x: [Float], g: [Float], s: [[Float]], y: [[Float]], w: [Float]) {
        var rng = RandomGenerator(seed: seed)
        let curvature = (0..<n).map { _ in 0.1 + 10 * rng.uniform() }            // y = A·s, A diagonal positive
        let s = (0..<m).map { _ in (0..<n).map { _ in rng.normal() } }
        let y = s.map { v in zip(v, curvature).map { $0 * $1 + 0.01 * rng.normal() } }
        return ((0..<n).map { _ in rng.normal() }, (0..<n).map { _ in rng.normal() }, s, y, (0..<n).map { _ in 0.5 + rng.uniform() })
    }

    @Test(arguments: [0, 1, 5], [false, true])
    func directionEqualsTheTwoLoopRecursion(pairs m: Int, preconditioned: Bool) {
        let n = 70_001                                    // more than one chunk, a ragged last block
        let p = Self.problem(n: n, pairs: m, seed: UInt64(m + 1))
        let w = preconditioned ? p.w : nil
        let products = PairProducts(x: p.x, g: p.g, s: p.s, y: p.y, weight: w)
        let c = products.direction()
        var d = [Float](repeating: 0, count: n)
        VectorOps.combination(into: &d, weight: w, alpha: c.gamma, g: p.g, ys: p.y, a: c.yCoefficients, ss: p.s, c: c.sCoefficients)
        let reference = Self.twoLoop(g: p.g, s: p.s, y: p.y, weight: w)
        let scale = reference.map { Swift.abs($0) }.max()!
        let error = zip(d, reference).map { Swift.abs(Double($0) - $1) }.max()!
        #expect(error <= 1e-5 * scale, "max |d − d_ref| = \(error), max |d_ref| = \(scale)")
        let slope = zip(reference, p.g).reduce(0.0) { $0 + $1.0 * Double($1.1) }
        #expect(Swift.abs(c.slope - slope) <= 1e-5 * Swift.abs(slope), "slope \(c.slope) vs \(slope)")
    }

    /// Products built pair by pair (`accept`, dropping the oldest when full) are the bits a fresh
    /// computation over the same vectors gives: what makes a resumed fit continue bit for bit.
    @Test(arguments: [false, true])
    func incrementalProductsEqualAFreshComputation(preconditioned: Bool) {
        let n = 70_001, memory = 3
        let w = preconditioned ? Self.problem(n: n, pairs: 0, seed: 9).w : nil
        var rng = RandomGenerator(seed: 4)
        var x = (0..<n).map { _ in rng.normal() }, g = x.map { 2 * $0 }
        var products = PairProducts(x: x, g: g, s: [], y: [], weight: w)
        var s: [[Float]] = [], y: [[Float]] = []
        for _ in 0..<5 {
            var oldX = x, oldG = g
            x = x.map { $0 + 0.1 * rng.normal() }; g = x.map { 2 * $0 + 0.01 * rng.normal() }
            if s.count == memory { s.removeFirst(); y.removeFirst(); products.removeOldestPair() }
            if products.accept(x: x, g: g, newS: &oldX, newY: &oldG, s: s, y: y, weight: w) { s.append(oldX); y.append(oldG) }
        }
        #expect(s.count == memory)
        let fresh = PairProducts(x: x, g: g, s: s, y: y, weight: w)
        #expect(products.sy == fresh.sy && products.yMy == fresh.yMy && products.sg == fresh.sg && products.yMg == fresh.yMg)
        #expect(products.gMg == fresh.gMg && products.gg == fresh.gg && products.xx == fresh.xx)
    }
}
