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
