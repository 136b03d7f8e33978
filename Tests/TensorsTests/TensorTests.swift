import Testing
import Tensors

@Suite struct TensorTests {
    @Test func reshapeInfersOneExtent() {
        let t = Tensor.arange(12).reshaped([3, -1])
        #expect(t.shape == [3, 4])
        #expect(t[2, 1] == 9)
    }

    @Test func broadcastingFollowsNumPyRules() {
        #expect(Tensor.broadcastShape([3, 1, 5], [4, 1]) == [3, 4, 5])
        #expect(Tensor.broadcastShape([2, 3], [4, 3]) == nil)
        let a = Tensor.arange(6).reshaped([2, 3, 1])
        let b = Tensor([10, 20])
        let c = a + b
        #expect(c.shape == [2, 3, 2])
        #expect(c[1, 2, 1] == 5 + 20)
        #expect(c[0, 1, 0] == 1 + 10)
    }

    @Test func sumToShapeIsTheAdjointOfBroadcasting() {
        let g = Tensor(repeating: 1, shape: [2, 3, 4])
        #expect(g.sumToShape([3, 1]) == Tensor(repeating: 8, shape: [3, 1]))
        #expect(g.sumToShape([]) .scalar == 24)
    }

    @Test func reductionsAlongEachAxis() {
        let t = Tensor.arange(24).reshaped([2, 3, 4])
        let s1 = t.sum(alongAxis: 1)
        #expect(s1.shape == [2, 4])
        #expect(s1[1, 2] == (12 + 2) + (16 + 2) + (20 + 2))
        #expect(t.sum(alongAxes: [0, 2]).scalars == [0 + 1 + 2 + 3 + 12 + 13 + 14 + 15, 92, 124])
        #expect(t.max(alongAxis: 2).scalars == [3, 7, 11, 15, 19, 23])
        #expect(t.argmax(alongAxis: 0) == [Int](repeating: 1, count: 12))
        #expect(t.mean().scalar == 11.5)
    }

    @Test func largeReductionsMatchDoubleLoops() {
        var rng = RandomGenerator(seed: 11)
        let t = Tensor.normal([300, 517], using: &rng)
        let rows = t.sum(alongAxis: 1)
        for r in [0, 123, 299] {
            let ref = (0..<517).reduce(0.0) { $0 + Double(t[r, $1]) }
            #expect(Swift.abs(Double(rows[r]) - ref) < 1e-3)
        }
        let total = t.scalars.reduce(0.0) { $0 + Double($1) }
        #expect(Swift.abs(Double(t.sum().scalar) - total) < 1e-2)
    }

    @Test func softmaxIsNormalisedAndOverflowSafe() {
        let x = Tensor(rows: [[1000, 1001, 999], [-1000, -1000, -1000]])
        let s = x.softmax(alongAxis: 1)
        #expect(s.isFinite)
        #expect(Swift.abs(s.sum(alongAxis: 1)[0] - 1) < 1e-6)
        #expect(Swift.abs(s[1, 0] - 1.0 / 3) < 1e-6)
        let lse = x.logSumExp(alongAxis: 1)
        #expect(Swift.abs(lse[0] - (1001 + log(1 + exp(-1) + exp(-2)))) < 1e-3)
        let ls = x.logSoftmax(alongAxis: 1)
        #expect(Swift.abs(ls[0, 1] - (1001 - lse[0])) < 1e-4)
        // Extremes: ±1e30 and a masked (−∞) entry, as attention's diagonal mask produces.
        let e = Tensor(rows: [[1e30, -1e30, 0], [-.infinity, 0, 0]])
        let se = e.softmax(alongAxis: 1)
        #expect(se.isFinite && se[0, 0] == 1 && se[0, 1] == 0 && se[1, 0] == 0 && Swift.abs(se[1, 1] - 0.5) < 1e-7)
        #expect(e.logSumExp(alongAxis: 1)[0] == 1e30 && e.logSoftmax(alongAxis: 1)[1, 0] == -.infinity)
    }

    @Test func allFiniteFindsEveryNonFiniteValueInTheLanesAndTheTail() {
        #expect(allFinite([Float]()) && allFinite([Float](repeating: -3.4e38, count: 37)))
        // Every position: the 16-lane body (0..<32) and the scalar tail (32..<37); NaN, ±∞.
        for bad: Float in [.nan, .infinity, -.infinity] {
            for k in 0..<37 {
                var x = [Float](repeating: 1, count: 37)
                x[k] = bad
                #expect(!allFinite(x), "\(bad) at \(k)")
            }
        }
        #expect(!Tensor(rows: [[1, .infinity]]).isFinite && Tensor(rows: [[1, -2]]).isFinite)
    }

    @Test func softmaxAlongAMiddleAxis() {
        var rng = RandomGenerator(seed: 2)
        let x = Tensor.normal([2, 4, 3], using: &rng)
        let s = x.softmax(alongAxis: 1)
        let sums = s.sum(alongAxis: 1)
        #expect(sums.scalars.allSatisfy { Swift.abs($0 - 1) < 1e-5 })
        let e = (0..<4).map { Foundationless.exp(x[1, $0, 2]) }
        #expect(Swift.abs(s[1, 3, 2] - e[3] / e.reduce(0, +)) < 1e-5)
    }

    @Test func permutedMatchesIndexArithmetic() {
        let t = Tensor.arange(24).reshaped([2, 3, 4])
        let p = t.permuted([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { #expect(p[k, i, j] == t[i, j, k]) } } }
        #expect(Tensor.arange(6).reshaped([2, 3]).transposed().scalars == [0, 3, 1, 4, 2, 5])
    }

    /// The element-wise ops whose loops are written into `mapChunks`/`zipChunks` give the bits of the
    /// same arithmetic element by element, on sizes that split over threads and leave tails.
    @Test(arguments: [1, 17, 1000, (1 << 17) + 5])
    func chunkedElementwiseOpsMatchThePerElementArithmetic(count n: Int) {
        var rng = RandomGenerator(seed: 5)
        let a = Tensor.normal([n], std: 2, using: &rng), b = Tensor.normal([n], std: 2, using: &rng) + 0.25
        let (x, y, c) = (a.scalars, b.scalars, Float(1.7))
        func same(_ t: Tensor, _ f: (Int) -> Float) -> Bool { t.shape == [n] && t.scalars == (0..<n).map(f) }
        #expect(same(a + b) { x[$0] + y[$0] } && same(a - b) { x[$0] - y[$0] } && same(a * b) { x[$0] * y[$0] } && same(a / b) { x[$0] / y[$0] })
        #expect(same(Tensor.maximum(a, b)) { Swift.max(x[$0], y[$0]) })
        #expect(same(a + c) { x[$0] + c } && same(a - c) { x[$0] - c } && same(a * c) { x[$0] * c } && same(a / c) { x[$0] / c })
        #expect(same(c + a) { c + x[$0] } && same(c - a) { c - x[$0] } && same(c * a) { c * x[$0] } && same(c / a) { c / x[$0] })
        #expect(same(-a) { -x[$0] } && same(a.square()) { x[$0] * x[$0] } && same(a.abs()) { Swift.abs(x[$0]) })
        #expect(same(a.relu()) { Swift.max(x[$0], 0) } && same(a.abs().sqrt()) { Swift.abs(x[$0]).squareRoot() })
        #expect(same(a.clamped(min: -1, max: 0.5)) { Swift.min(Swift.max(x[$0], -1), 0.5) })
        #expect(same(a.map { $0 * 3 - 1 }) { x[$0] * 3 - 1 } && same(a.zipWith(b) { $0 * $1 + 1 }) { x[$0] * y[$0] + 1 })
    }

    /// Swapping the last two axes takes the tiled path; it must equal the index arithmetic on
    /// shapes that are and are not multiples of the tile, with and without batch axes.
    @Test(arguments: [[2, 3], [1, 33, 70], [3, 64, 31], [2, 2, 40, 33], [5, 1], [0, 4]])
    func tiledTransposeMatchesIndexArithmetic(shape: [Int]) {
        let n = shape.reduce(1, *)
        let t = Tensor.arange(n).reshaped(shape)
        let p = t.transposed()
        let (rows, cols) = (shape[shape.count - 2], shape[shape.count - 1])
        #expect(p.shape == shape.dropLast(2) + [cols, rows])
        let batches = rows * cols == 0 ? 0 : n / (rows * cols)
        for b in 0..<batches { for i in 0..<rows { for j in 0..<cols {
            #expect(p.scalars[b * rows * cols + j * rows + i] == t.scalars[b * rows * cols + i * cols + j])
        } } }
    }

    @Test func sliceConcatenateStack() {
        let t = Tensor.arange(12).reshaped([3, 4])
        let s = t.slice(alongAxis: 1, 1..<3)
        #expect(s.scalars == [1, 2, 5, 6, 9, 10])
        let c = Tensor.concatenate([s, t], alongAxis: 1)
        #expect(c.shape == [3, 6])
        #expect(c[2, 5] == 11)
        let st = Tensor.stack([Tensor([1, 2]), Tensor([3, 4])], alongAxis: 1)
        #expect(st.shape == [2, 2])
        #expect(st.scalars == [1, 3, 2, 4])
    }

    @Test func gatherAndScatterAddAreAdjoint() {
        let t = Tensor.arange(12).reshaped([4, 3])
        let g = t.gathering([3, 1, 3], alongAxis: 0)
        #expect(g.scalars == [9, 10, 11, 3, 4, 5, 9, 10, 11])
        let s = g.scatterAdding([3, 1, 3], alongAxis: 0, size: 4)
        #expect(s[3, 0] == 18)
        #expect(s[0, 0] == 0)
        let cols = t.gathering([2, 0], alongAxis: 1)
        #expect(cols.scalars == [2, 0, 5, 3, 8, 6, 11, 9])
    }

    @Test func oneHotIgnoresOutOfRangeIndices() {
        let h = Tensor.oneHot([2, 0, -1], depth: 3)
        #expect(h.scalars == [0, 0, 1, 1, 0, 0, 0, 0, 0])
    }

    @Test func elementwiseMath() {
        let x = Tensor([-2, -0.5, 0.5, 3])
        #expect(x.relu().scalars == [0, 0, 0.5, 3])
        #expect(Swift.abs(x.sigmoid()[0] - 1 / (1 + Foundationless.exp(2))) < 1e-6)
        #expect(Tensor([-1000, 1000]).sigmoid().scalars == [0, 1])
        #expect(Swift.abs(x.softplus()[3] - Foundationless.log(1 + Foundationless.exp(3))) < 1e-5)
        #expect(Tensor([1000]).softplus().scalars == [1000])
        #expect(Swift.abs(x.elu()[0] - (Foundationless.exp(-2) - 1)) < 1e-6)
    }

    @Test func largeElementwiseMatchesScalarLoop() {
        var rng = RandomGenerator(seed: 5)
        let x = Tensor.normal([1 << 18], using: &rng)   // above the threading threshold
        let y = x.tanh()
        for i in stride(from: 0, to: x.count, by: 4099) { #expect(y.scalars[i] == Foundationless.tanh(x.scalars[i])) }
        let z = x * x.exp()
        for i in stride(from: 0, to: x.count, by: 4099) { #expect(z.scalars[i] == x.scalars[i] * Foundationless.exp(x.scalars[i])) }
    }

    /// The exponential activation runs on `VectorExp`: within 2 ulp of expf, and each element the
    /// same function of its x wherever it lies (in a whole vector, in the padded tail, in a
    /// thread's chunk of a large tensor).
    @Test func expActivationIsVectorExpWherever() {
        var rng = RandomGenerator(seed: 6)
        let x = Tensor.normal([(1 << 17) + 7], std: 6, using: &rng)
        let y = x.expActivation()
        for i in 0..<x.count {
            let reference = Foundationless.exp(x.scalars[i])
            if Swift.abs(y.scalars[i] - reference) > 2 * Float.ulpOfOne * reference { Issue.record("x \(x.scalars[i]): \(y.scalars[i]) against \(reference)"); break }
        }
        for offset in [0, 3, 16, 29] {                                   // the same x at other places
            let part = Tensor(shape: [35], scalars: Array(x.scalars[offset..<(offset + 35)])).expActivation()
            #expect(part.scalars == Array(y.scalars[offset..<(offset + 35)]), "offset \(offset)")
        }
    }
}

/// libm without Foundation.
enum Foundationless {
    static func exp(_ x: Float) -> Float { Tensor([x]).exp().scalars[0] }
    static func log(_ x: Float) -> Float { Tensor([x]).log().scalars[0] }
    static func tanh(_ x: Float) -> Float { Tensor([x]).tanh().scalars[0] }
}

func exp(_ x: Float) -> Float { Foundationless.exp(x) }
func log(_ x: Float) -> Float { Foundationless.log(x) }
