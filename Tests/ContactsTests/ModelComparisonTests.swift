import Testing
import Tensors
import Potts
import Contacts
import Attention

@Suite struct ModelComparisonTests {
    @Test func aModelComparedWithItselfAgreesCompletely() {
        let model = PlantedPotts.model(length: 20, pairs: [(0, 9), (3, 15), (5, 12), (1, 18)], seed: 3)
        var rng = RandomGenerator(seed: 1)
        let attention = Tensor.uniform([4, 20, 20], using: &rng)
        let c = ModelComparison(couplingsA: model.couplings, couplingsB: model.couplings, attentionA: attention)
        #expect(abs((c.couplingPearson ?? 0) - 1) < 1e-9 && abs((c.couplingSpearman ?? 0) - 1) < 1e-9)
        #expect(abs((c.contactSpearman ?? 0) - 1) < 1e-9)
        #expect(c.topOverlap == c.topCount && c.topCount == 20)
        #expect(c.heads.count == 4)
        #expect(zip(c.heads, c.heads.dropFirst()).allSatisfy { $0.spearman >= $1.spearman })
    }

    @Test func aModelBesideItsOwnContactMatrixAgreesOnContactsAlone() {
        let model = PlantedPotts.model(length: 20, pairs: [(0, 9), (3, 15), (5, 12), (1, 18)], seed: 3)
        let map = ContactMap.frobeniusNorms(couplings: model.couplings).apc()
        let c = ModelComparison(contactsA: map, contactsB: map)
        #expect(c.couplingPearson == nil && c.couplingSpearman == nil)
        #expect(abs((c.contactPearson ?? 0) - 1) < 1e-9 && c.topOverlap == c.topCount)
        let full = ModelComparison(couplingsA: model.couplings, couplingsB: model.couplings)
        #expect(full.contactsA.scores == c.contactsA.scores && full.contactSpearman == c.contactSpearman)
    }

    /// RNA models (q = 5: A, C, G, U and the gap) compare over their 4×4 residue blocks; the blocks
    /// were 20×20 whatever q, and `seqgen compare` of two RNA models trapped.
    @Test func rnaModelsCompareOverTheirFourBases() {
        var rng = RandomGenerator(seed: 6)
        let (l, q) = (12, 5)
        var j = Tensor.normal([l, l, q, q], std: 0.3, using: &rng)
        for i in 0..<l { for k in 0..<l { for a in 0..<q { for b in 0..<q {
            let t = ((i * l + k) * q + a) * q + b, u = ((k * l + i) * q + b) * q + a
            j.scalars[u] = j.scalars[t]
            if i == k || a == q - 1 || b == q - 1 { j.scalars[t] = 0; j.scalars[u] = 0 }
        } } } }
        #expect(ModelComparison.residueStates(j) == 0..<4)
        let c = ModelComparison(couplingsA: j, couplingsB: j)
        #expect(abs((c.couplingPearson ?? 0) - 1) < 1e-9 && c.topOverlap == c.topCount)
        #expect(ContactMap.frobeniusNorms(couplings: j).scores == ContactMap.frobeniusNorms(couplings: j, block: 0..<4).scores)
    }

    @Test func aHeadThatIsTheContactMapRanksFirst() {
        let l = 20
        let model = PlantedPotts.model(length: l, pairs: [(0, 9), (3, 15), (5, 12), (1, 18), (7, 19)], seed: 4)
        let map = ContactMap.frobeniusNorms(couplings: model.couplings).apc()
        var rng = RandomGenerator(seed: 2)
        var attention = Tensor.uniform([3, l, l], using: &rng)
        for k in 0..<(l * l) { attention.scalars[l * l + k] = map.scores[k] }       // head 1 = the contacts
        let other = PlantedPotts.model(length: l, pairs: [(2, 11)], seed: 5)
        let c = ModelComparison(couplingsA: other.couplings, couplingsB: model.couplings, attentionA: attention)
        #expect(c.heads.first?.head == 1)
        #expect((c.heads.first?.spearman ?? 0) > 0.99)
        #expect((c.couplingSpearman ?? 1) < 0.5)
    }
}
