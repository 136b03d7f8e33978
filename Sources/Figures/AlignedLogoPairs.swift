/// Motif matches drawn as Tomtom draws them: for each pair, the first motif's logo above the
/// second's, the second shifted so that its column j stands under the first's column j + offset
/// (a negative offset shifts the first instead). Columns a motif does not cover are left empty
/// (uniform, zero information). Probability columns over A, C, G, T.
public struct AlignedLogoPairs: Sendable {
    public struct Pair: Sendable {
        public var top: (title: String, probabilities: [[Double]])
        public var bottom: (title: String, probabilities: [[Double]])
        public var offset: Int

        public init(top: (title: String, probabilities: [[Double]]), bottom: (title: String, probabilities: [[Double]]), offset: Int) {
            self.top = top; self.bottom = bottom; self.offset = offset
        }

        /// The two matrices over the pair's common span, columns outside a motif uniform.
        public var padded: (top: [[Double]], bottom: [[Double]]) {
            let start = Swift.min(0, offset), end = Swift.max(top.probabilities.count, offset + bottom.probabilities.count)
            func pad(_ m: [[Double]], shift: Int) -> [[Double]] {
                (start..<end).map { c in m.indices.contains(c - shift) ? m[c - shift] : [0.25, 0.25, 0.25, 0.25] }
            }
            return (pad(top.probabilities, shift: 0), pad(bottom.probabilities, shift: offset))
        }
    }

    public var pairs: [Pair]

    public init(pairs: [Pair]) { self.pairs = pairs }

    public func render() throws -> Canvas {
        let logos = pairs.flatMap { p -> [(title: String, probabilities: [[Double]])] in
            let (top, bottom) = p.padded
            return [(p.top.title, top), (p.bottom.title, bottom)]
        }
        return try LogoGrid(logos: logos, columns: 1).render()
    }
}
