import Testing
@testable import Potts
#if canImport(Glibc)
import Glibc
#endif

/// The vectorised exponential of the pseudolikelihood's softmax against `expf`.
@Suite struct LanesExpTests {
    /// Relative error ≤ 2 ulp (2·2⁻²³) on a dense grid of [−87.3, 88.3] in every lane; below −87.3
    /// (−∞ included) exactly 0, above 88.72 +∞, NaN stays NaN.
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
        #expect(e[0] == 0 && e[1] == 0 && e[2] == 0 && e[23] == 0)
        #expect(e[3].isNaN && e[17] == .infinity && e[20] == .infinity)
        #expect(e[5] == 1)
    }
}
