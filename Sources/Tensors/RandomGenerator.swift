#if canImport(Glibc)
import Glibc
#endif

/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
/// The same seed gives the same stream on every machine; it never reads global state.
public struct RandomGenerator: RandomNumberGenerator, Sendable {
    @usableFromInline var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    /// Stream `stream` of `seed`: generators for different streams are seeded far apart (the
    /// SplitMix64 seeding decorrelates neighbouring seeds), so blocks of work can draw in parallel
    /// and still give the same numbers whatever the thread count.
    public init(seed: UInt64, stream: UInt64) {
        self.init(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ stream &* 0xBF58_476D_1CE4_E5B9)
    }

    /// The generator's four state words (checkpoints), and a generator continuing from them.
    public var state: [UInt64] { [s.0, s.1, s.2, s.3] }
    public init(state: [UInt64]) {
        precondition(state.count == 4, "RandomGenerator(state:) needs 4 words")
        s = (state[0], state[1], state[2], state[3])
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = (s.3 << 45) | (s.3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits.
    @inlinable public mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable public mutating func uniformDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal by the Box–Muller transform.
    public mutating func normal() -> Float {
        let u1 = Swift.max(uniformDouble(), 0x1p-60), u2 = uniformDouble()
        return Float((-2 * Glibc.log(u1)).squareRoot() * Glibc.cos(2 * Double.pi * u2))
    }

    /// Fills `out` with standard normals in Float by the Box–Muller transform, both outputs of each
    /// pair of uniforms (u₁ = max(U, 10⁻¹²), u₂) used (`VectorBoxMuller`). Pairs go by blocks of 32
    /// elements: the k-th pair of a block gives elements k and 16 + k (of a last, short block of r
    /// elements: k and ⌈r/2⌉ + k, where that is < r). The uniforms are drawn in order (an odd count
    /// still draws the last pair's u₂), then the blocks are transformed over the threads sixteen pairs
    /// at a time: the same bits at any split.
    public mutating func fillNormalPairs(_ out: UnsafeMutableBufferPointer<Float>) {
        let n = out.count
        guard n > 0, let base = out.baseAddress else { return }
        let blocks = n / 32, start = 32 * blocks, rest = n - start, restPairs = (rest + 1) / 2
        for b in 0..<blocks {
            for k in 0..<16 { base[32 * b + k] = Swift.max(uniform(), 1e-12); base[32 * b + 16 + k] = uniform() }
        }
        var u1 = SIMD16<Float>(repeating: 1), u2 = SIMD16<Float>(repeating: 0)
        for k in 0..<restPairs { u1[k] = Swift.max(uniform(), 1e-12); u2[k] = uniform() }
        nonisolated(unsafe) let p = base
        Parallel.forEachChunk(blocks, minimumPerThread: 1 << 9) { range in
            for b in range {
                let at = UnsafeMutableRawPointer(p + 32 * b)
                let (z1, z2) = VectorBoxMuller.normals(at.loadUnaligned(as: SIMD16<Float>.self),
                                                       (at + 64).loadUnaligned(as: SIMD16<Float>.self))
                at.storeBytes(of: z1, as: SIMD16<Float>.self)
                (at + 64).storeBytes(of: z2, as: SIMD16<Float>.self)
            }
        }
        guard rest > 0 else { return }
        let (z1, z2) = VectorBoxMuller.normals(u1, u2)
        for k in 0..<restPairs {
            base[start + k] = z1[k]
            if restPairs + k < rest { base[start + restPairs + k] = z2[k] }
        }
    }

    /// An integer uniformly in 0..<n.
    public mutating func int(below n: Int) -> Int { Int.random(in: 0..<n, using: &self) }

    /// An index k drawn with probability p_k / Σp (weights need not be normalised).
    public mutating func categorical(_ p: [Float]) -> Int {
        let total = p.reduce(0, +)
        var u = uniform() * total
        for (k, pk) in p.enumerated() {
            u -= pk
            if u < 0 { return k }
        }
        return p.lastIndex { $0 > 0 } ?? 0
    }

    /// A uniformly random permutation of 0..<n (Fisher–Yates).
    public mutating func permutation(_ n: Int) -> [Int] {
        var a = Array(0..<n)
        if n > 1 { for i in stride(from: n - 1, to: 0, by: -1) { a.swapAt(i, int(below: i + 1)) } }
        return a
    }
}

extension Tensor {
    public static func uniform(_ shape: [Int], in range: ClosedRange<Float> = 0...1, using rng: inout RandomGenerator) -> Tensor {
        let w = range.upperBound - range.lowerBound
        return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in range.lowerBound + w * rng.uniform() })
    }

    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, using rng: inout RandomGenerator) -> Tensor {
        Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in mean + std * rng.normal() })
    }
}
