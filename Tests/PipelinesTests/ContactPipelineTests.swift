import Testing
import Tensors
import NumPyIO
import Sequences
import Archive
import Contacts
import Pipelines

struct ContactPipelineTests {
    /// A two-column model over the protein alphabet with couplings `value` in block (0, 1) (and its transpose).
    func archive(kind: ModelKind, coupling value: Float, length l: Int = 3) -> ModelArchive {
        let q = Alphabet.protein.size
        var j = Tensor(zeros: [l, l, q, q])
        j.scalars[((0 * l + 1) * q + 0) * q + 1] = value
        j.scalars[((1 * l + 0) * q + 1) * q + 0] = value
        return ModelArchive(kind: kind, alphabet: .protein, fields: Tensor(zeros: [l, q]), couplings: kind == .pssm ? nil : j,
                            focusName: "toy", focusSequence: String(repeating: "A", count: l),
                            residueNumbers: Array(10..<(10 + l)), metadata: [])
    }

    @Test func aModelWithoutCouplingsHasNoContactMap() {
        #expect(throws: PipelineError(path: "p.npz", "a pssm model has no couplings to score contacts from")) {
            try archive(kind: .pssm, coupling: 0).contactMap(path: "p.npz")
        }
    }

    @Test func partialCorrelationNeedsTheGaussiansPrecisionDiagonal() {
        #expect(throws: PipelineError(path: "m.npz", "--partial-correlation needs a gaussian model")) {
            try archive(kind: .potts, coupling: 1).contactMap(path: "m.npz", partialCorrelation: true)
        }
    }

    /// −Θ_uv/√(Θ_uu Θ_vv): with Θ_uu = 4 and Θ_vv = 9 for every feature, the block (0, 1) is divided by 6.
    @Test func partialCorrelationDividesByTheDiagonal() throws {
        var gaussian = archive(kind: .gaussian, coupling: 6)
        let l = gaussian.length, q1 = Alphabet.protein.size - 1
        var diag = [Double](repeating: 4, count: l * q1)
        for a in 0..<q1 { diag[1 * q1 + a] = 9 }
        gaussian.extras = [("precision_diagonal", NumPyArray(doubles: diag, shape: [l, q1]))]
        let raw = try gaussian.contactMap(path: "g", raw: true, norm: .plmc)
        let partial = try gaussian.contactMap(path: "g", raw: true, partialCorrelation: true, norm: .plmc)
        #expect(Swift.abs(raw.scores[0 * l + 1] - 6) < 1e-6)
        #expect(Swift.abs(partial.scores[0 * l + 1] - 1) < 1e-6)
    }

    @Test func contactMapIsAPCCorrectedUnlessRaw() throws {
        let model = archive(kind: .potts, coupling: 2)
        let raw = try model.contactMap(path: "m", raw: true)
        let apc = try model.contactMap(path: "m")
        #expect(apc.scores == raw.apc().scores)
        #expect(raw.scores == ContactMap.frobeniusNorms(couplings: model.couplings!, block: 0..<20, centred: true).scores)
    }

    @Test func contactTableNumbersColumnsAndResidues() throws {
        let model = archive(kind: .potts, coupling: 2)
        let map = try model.contactMap(path: "m", raw: true, norm: .plmc)
        let lines = model.contactTable(map, minimumSeparation: 1).split(separator: "\n")
        #expect(lines[0] == "i,j,residue_i,residue_j,aa_i,aa_j,score")
        #expect(lines[1] == "1,2,10,11,A,A,2.0")
        #expect(lines.count == 4)
        #expect(model.contactTable(map, minimumSeparation: 2).split(separator: "\n").count == 2)
    }

    @Test func onlyPottsFormKindsStoreSymmetricCouplings() throws {
        #expect(ModelKind.allCases.filter(\.storesPottsForm) == [.potts, .gaussian, .attention])
        #expect(try archive(kind: .potts, coupling: 1).symmetricCouplings(path: "m") != nil)
        #expect(try archive(kind: .pssm, coupling: 1).symmetricCouplings(path: "m") == nil)
    }
}
