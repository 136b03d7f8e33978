import Testing
import Tensors
import Potts

@Suite struct SiteConditionalsTests {
    /// A dense random model with J[i,j,a,b] == J[j,i,b,a] and, when `sparse`, most blocks zero.
    static func model(length l: Int, sparse: Bool, seed: UInt64) -> PottsModel {
        var rng = RandomGenerator(seed: seed)
        let q = 21
        var j = Couplings(length: l, states: q)
        for i in 0..<l {
            for k in (i + 1)..<l where !sparse || (i + k) % 5 == 0 {
                for a in 0..<q { for b in 0..<q {
                    let v = rng.normal()
                    j[i, k, a, b] = v; j[k, i, b, a] = v
                } }
            }
        }
        return PottsModel(alphabet: .protein, fields: .normal([l, q], using: &rng), couplings: j.tensor)
    }

    @Test(arguments: [false, true])
    func logitsEqualThePottsModelsBitForBit(sparse: Bool) {
        let model = Self.model(length: 12, sparse: sparse, seed: sparse ? 2 : 1)
        let fast = SiteConditionals(model)
        #expect(sparse ? fast.blockCount < 12 * 11 / 2 : fast.blockCount == 12 * 11)
        var rng = RandomGenerator(seed: 9)
        let x = (0..<12).map { _ in UInt8(rng.int(below: 21)) }
        let a = UnsafeMutablePointer<Double>.allocate(capacity: 21), b = UnsafeMutablePointer<Double>.allocate(capacity: 21)
        defer { a.deallocate(); b.deallocate() }
        for i in 0..<12 {
            model.conditionalLogits(site: i, x, (), into: a)
            fast.conditionalLogits(site: i, x, (), into: b)
            #expect((0..<21).allSatisfy { a[$0].bitPattern == b[$0].bitPattern }, "site \(i)")
        }
        #expect(Swift.abs(fast.score(x, ()) - model.energy(x)) < 1e-9 * Swift.max(1, Swift.abs(model.energy(x))) + 1e-6)
    }

    /// The blocked, threaded sampler draws block b exactly as `sample(count:seed:)` with block b's
    /// seed: the output does not depend on how blocks are spread over threads.
    @Test func blockedSamplingEqualsTheSequentialBlocks() {
        let model = PlantedPotts.model(length: 40, pairs: PlantedPotts.proteinLikeContacts(length: 40), seed: 4)
        let sampler = GibbsSampler(model: model, burnIn: 3, allowedStates: 21)
        let all = sampler.sample(count: 25, seed: 7, block: 10)
        var expected: [UInt8] = []
        for start in stride(from: 0, to: 25, by: 10) {
            expected += sampler.sample(count: Swift.min(10, 25 - start), seed: 7 &+ UInt64(start) &* 7919)
        }
        #expect(all == expected)
    }
}
