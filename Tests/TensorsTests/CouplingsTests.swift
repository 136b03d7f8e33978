import Testing
import Tensors

/// The coupling tensor's layout, conversions, symmetrisation, gauge and norms — tested once, here.
@Suite struct CouplingsTests {
    func random(length l: Int, states q: Int, seed: UInt64) -> Couplings {
        var rng = RandomGenerator(seed: seed)
        return Couplings(length: l, states: q, scalars: (0..<(l * l * q * q)).map { _ in rng.normal() })
    }

    @Test func elementsSitWhereTheDocumentedLayoutSays() {
        let (l, q) = (4, 3)
        var c = Couplings(length: l, states: q)
        c[2, 1, 0, 2] = 7
        #expect(Couplings.index(2, 1, 0, 2, length: l, states: q) == ((2 * l + 1) * q + 0) * q + 2)
        #expect(c.scalars[((2 * l + 1) * q + 0) * q + 2] == 7)
        #expect(Couplings.blockOffset(2, 1, length: l, states: q) == (2 * l + 1) * q * q)
        #expect(c.tensor.shape == [l, l, q, q] && Couplings(c.tensor) == c)
    }

    @Test func packedAndFullRoundTrip() {
        let (l, q) = (5, 3)
        var rng = RandomGenerator(seed: 1)
        let packed = (0..<Couplings.packedCount(length: l, states: q)).map { _ in rng.normal() }
        let full = Couplings(packedUpperTriangle: packed, length: l, states: q)
        #expect(full.packedUpperTriangle() == packed)
        for i in 0..<l { for j in 0..<l { for a in 0..<q { for b in 0..<q {
            #expect(full[i, j, a, b] == full[j, i, b, a])
            if i == j { #expect(full[i, j, a, b] == 0) }
        } } } }
        // The pair (1, 3)'s block: after (0,1) (0,2) (0,3) (0,4) (1,2) → the sixth.
        #expect(Couplings.packedOffset(1, 3, length: l, states: q) == 5 * q * q)
        #expect(full[1, 3, 2, 0] == packed[5 * q * q + 2 * q + 0])
        // A slice with a non-zero start index reads the same.
        let shifted = [Float](repeating: 9, count: 4) + packed
        #expect(Couplings(packedUpperTriangle: shifted[4...], length: l, states: q) == full)
    }

    @Test func symmetrisationKeepsTheSymmetricPartAndIsIdempotent() {
        let w = random(length: 4, states: 3, seed: 2)
        let s = w.symmetrised()
        for i in 0..<4 { for j in 0..<4 { for a in 0..<3 { for b in 0..<3 {
            #expect(s[i, j, a, b] == s[j, i, b, a])
            #expect(s[i, j, a, b] == (i == j ? 0 : 0.5 * (w[i, j, a, b] + w[j, i, b, a])))
        } } } }
        #expect(s.symmetrised() == s)
        #expect(w.symmetrisedPackedUpperTriangle() == s.packedUpperTriangle())
    }

    @Test func mirrorCopiesTheTransposedBlock() {
        var c = random(length: 3, states: 2, seed: 3)
        c.mirror(0, 2)
        for a in 0..<2 { for b in 0..<2 { #expect(c[2, 0, b, a] == c[0, 2, a, b]) } }
    }

    /// The zero-sum gauge within a block: rows and columns sum to zero, and the gauge-invariant
    /// double differences J(a,b) − J(a,b′) − J(a′,b) + J(a′,b′) are unchanged.
    @Test(arguments: [0..<5, 1..<4])
    func centringIsAZeroSumGaugeThatKeepsDoubleDifferences(states block: Range<Int>) {
        let c = random(length: 3, states: 5, seed: 4)
        let k = block.count
        let centred = c.centredBlock(0, 2, states: block)
        for a in 0..<k {
            #expect(Swift.abs((0..<k).reduce(Float(0)) { $0 + centred[a * k + $1] }) < 1e-5)
            #expect(Swift.abs((0..<k).reduce(Float(0)) { $0 + centred[$1 * k + a] }) < 1e-5)
        }
        func j(_ a: Int, _ b: Int) -> Float { c[0, 2, block.lowerBound + a, block.lowerBound + b] }
        for a in 0..<k { for b in 0..<k { for a2 in 0..<k { for b2 in 0..<k {
            let raw = j(a, b) - j(a, b2) - j(a2, b) + j(a2, b2)
            let gauged = centred[a * k + b] - centred[a * k + b2] - centred[a2 * k + b] + centred[a2 * k + b2]
            #expect(Swift.abs(raw - gauged) < 1e-5)
        } } } }
        // Adding any r_a + c_b to the block (a gauge change) leaves the centred block as it was.
        var shifted = c
        for a in 0..<k { for b in 0..<k { shifted[0, 2, block.lowerBound + a, block.lowerBound + b] += Float(a) * 0.7 - Float(b) * 1.3 } }
        for (x, y) in zip(shifted.centredBlock(0, 2, states: block), centred) { #expect(Swift.abs(x - y) < 1e-5) }
    }

    @Test func blockNormsAreHandComputed() {
        // Block (0, 1) = [[1, 0], [0, 1]]: centred [[½, −½], [−½, ½]] → norm 1; as stored √2.
        var c = Couplings(length: 2, states: 3)
        c[0, 1, 0, 0] = 1; c[0, 1, 1, 1] = 1; c[0, 1, 2, 2] = 100      // state 2 outside the block
        #expect(c.blockMeans(0, 1, states: 0..<2) == ([0.5, 0.5], [0.5, 0.5], 0.5))
        #expect(c.centredBlock(0, 1, states: 0..<2) == [0.5, -0.5, -0.5, 0.5])
        #expect(c.blockNorm(0, 1, states: 0..<2) == 1)
        #expect(c.blockNorm(0, 1, states: 0..<2, centred: false) == Float(2).squareRoot())
    }
}
