import Testing
import Saliency

struct EmbeddingLabelsTests {
    /// A sequence is labelled by its full name, else by its first word (FASTA descriptions), else "unlabelled".
    @Test func groupsLookUpFullNameThenFirstWord() {
        let table = ["seq1": "a", "seq2 extra": "b", "seq3": "c"]
        #expect(EmbeddingLabels.groups(table, names: ["seq1 description", "seq2 extra", "seq3", "seq4"]) == ["a", "b", "c", "unlabelled"])
    }
}
