import Testing
import Tensors
import Autodiff
import Sequences
import Potts
import Attention

func smallAlignment(n: Int, l: Int, seed: UInt64) -> (MultipleSequenceAlignment, [Float]) {
    var rng = RandomGenerator(seed: seed)
    let parent = (0..<l).map { _ in UInt8(rng.int(below: 21)) }
    var codes: [UInt8] = []
    for _ in 0..<n { for i in 0..<l { codes.append(rng.uniform() < 0.4 ? UInt8(rng.int(below: 21)) : parent[i]) } }
    return (MultipleSequenceAlignment(alphabet: .protein, names: (0..<n).map { "s\($0)" }, codes: codes, length: l),
            (0..<n).map { _ in 0.3 + rng.uniform() })
}

@Suite struct FactoredAttentionTests {
    func model(l: Int, heads: Int, d: Int, seed: UInt64) -> FactoredAttention {
        var rng = RandomGenerator(seed: seed)
        let m = FactoredAttention(length: l, states: 21, heads: heads, headDimension: d, fields: .normal([l, 21], std: 0.3, using: &rng), using: &rng)
        m.value.value = .normal([heads, 21, 21], std: 0.5, using: &rng)     // non-trivial couplings
        return m
    }

    @Test func fusedPathMatchesThePlainAutodiffPath() {
        let (msa, w) = smallAlignment(n: 25, l: 5, seed: 1)
        let m = model(l: 5, heads: 6, d: 3, seed: 2)
        let objective = AttentionObjective(model: m, msa: msa, weights: w, lambdaFields: 0.01, lambdaCouplings: 0.5)
        let plain = objective.plainLoss()
        plain.backward()
        let reference = m.parameters.map { $0.grad! }
        for p in m.parameters { p.zeroGrad() }
        let fused = objective.lossAndGradients()
        #expect(abs(fused - Double(plain.item)) <= 1e-4 * abs(fused), "fused \(fused) vs plain \(plain.item)")
        for (p, r) in zip(m.parameters, reference) {
            let worst = zip(p.grad!.scalars, r.scalars).map { abs($0 - $1) }.max()!
            let scale = r.scalars.map { abs($0) }.max()!
            #expect(worst <= 2e-4 * scale + 1e-6, "gradient differs by \(worst) at scale \(scale)")
        }
    }

    /// Many heads, free Q/K: the plain objective's gradient against central differences.
    @Test func gradientsMatchFiniteDifferences() {
        let (msa, w) = smallAlignment(n: 8, l: 4, seed: 3)
        let m = model(l: 4, heads: 16, d: 2, seed: 4)
        let objective = AttentionObjective(model: m, msa: msa, weights: w, lambdaFields: 0.01, lambdaCouplings: 0.2)
        objective.plainLoss().backward()
        var rng = RandomGenerator(seed: 5)
        for p in [m.query, m.key, m.value] {
            for _ in 0..<6 {
                let k = rng.int(below: p.value.count)
                let saved = p.value.scalars[k]
                p.value.scalars[k] = saved + 1e-2
                let up = Double(noGrad { objective.plainLoss() }.item)
                p.value.scalars[k] = saved - 1e-2
                let down = Double(noGrad { objective.plainLoss() }.item)
                p.value.scalars[k] = saved
                let numeric = (up - down) / 2e-2
                #expect(abs(numeric - Double(p.grad!.scalars[k])) <= 2e-2 * (1 + abs(numeric)), "numeric \(numeric) vs \(p.grad!.scalars[k])")
            }
        }
    }

    @Test func attentionIsMaskedAndCouplingsSymmetric() {
        let m = model(l: 6, heads: 3, d: 4, seed: 6)
        let a = m.attention().value
        for h in 0..<3 { for i in 0..<6 {
            #expect(a[h, i, i] == 0)
            #expect(abs((0..<6).reduce(Float(0)) { $0 + a[h, i, $1] } - 1) < 1e-5)
        } }
        let potts = m.pottsModel(alphabet: .protein)
        #expect(potts.coupling(1, 4, 2, 9) == potts.coupling(4, 1, 9, 2))
        #expect(potts.coupling(3, 3, 1, 1) == 0)
        let s = m.symmetricAttention()
        #expect(s[1, 2, 5] == s[1, 5, 2])
    }

    /// The fast path's packed couplings ([A_ij | A_ji]·½[V; Vᵀ]) against the plain statement through
    /// `Couplings`: W₂ = Aᵀ·V symmetrised and packed i < j (equal up to the products' rounding).
    @Test func packedCouplingsMatchTheCouplingsStatement() {
        let (l, q, h) = (7, 21, 3)
        var rng = RandomGenerator(seed: 11)
        let m = FactoredAttention(length: l, states: q, heads: h, headDimension: 4, fields: Tensor(zeros: [l, q]), valueScale: 1, using: &rng)
        let a = m.attention()
        let packed = m.packedCouplings(a).value
        #expect(packed.shape == [l * (l - 1) / 2, q * q])
        let plain = Couplings(length: l, states: q, scalars: m.rawCouplings(a).value.scalars).symmetrisedPackedUpperTriangle()
        #expect(zip(packed.scalars, plain).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
    }
}
