import Testing
@testable import Potts
#if canImport(Glibc)
import Glibc
#endif

/// The vectorised exponential of the pseudolikelihood's softmax against `expf`.
@Suite struct LanesExpTests {
    /// Relative error ≤ 2 ulp (2·2⁻²³) on a dense grid of [−87.3, 88.3] in every lane; below −87.3
    /// (−∞ included) the clamp's e^{−87.3} ≈ 1.2·10⁻³⁸, above 88.3 e^{88.3}; NaN stays NaN. The tree
    /// reductions agree with the plain ones.
    @Test func matchesExpfWithinTwoUlp() {
        var worst: Float = 0, at: Float = 0
        var x: Float = -87.3
        while x <= 88.3 {
            var lanes = Lanes(repeating: 0)
            for a in 0..<Lanes.count { lanes[a] = x + Float(a) * 1e-3 }
            let e = lanes.exp()
            for a in 0..<Lanes.count where lanes[a] <= 88.3 {
                let reference = expf(lanes[a])
                let error = Swift.abs(e[a] - reference) / reference
                if error > worst { worst = error; at = lanes[a] }
            }
            x += 0.0371
        }
        #expect(worst <= 2 * Float.ulpOfOne, "worst relative error \(worst) at \(at)")
        var edge = Lanes(repeating: 0)
        edge[0] = -.infinity; edge[1] = -88; edge[2] = -1000; edge[3] = .nan; edge[17] = 89; edge[20] = .infinity; edge[23] = -.infinity
        let e = edge.exp()
        for a in [0, 1, 2, 23] { #expect(e[a] > 0 && e[a] < 1.3e-38, "lane \(a): \(e[a])") }
        #expect(e[3].isNaN && e[17] == e[20] && e[17] > 2e38 && e[17].isFinite)
        #expect(e[5] == 1)
        var v = Lanes(repeating: 0)
        for a in 0..<Lanes.count { v[a] = Float((a * 7) % 11) - 3.5 }
        #expect(v.laneMax() == v.max() && v.laneSum() == (0..<Lanes.count).reduce(Float(0)) { $0 + v[$1] })
    }
}
