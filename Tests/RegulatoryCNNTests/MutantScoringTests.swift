import Testing
import Tensors
import Autodiff
import Layers
import DNAData
import RegulatoryCNN

/// Windowed variant scoring (each layer recomputed only where a variant differs) against the
/// full forward pass on explicitly built variants.
@Suite struct MutantScoringTests {
    /// The variants of sequence x (4, L) as a batch (M, 4, L), for the full forward pass.
    func explicit(_ x: Tensor, _ variants: [(pos: Int, base: Int)]) -> Tensor {
        let l = x.shape[1]
        var all: [Float] = []
        for v in variants {
            var m = x.scalars
            for c in 0..<4 { m[c * l + v.pos] = c == v.base ? 1 : 0 }
            all += m
        }
        return Tensor(shape: [variants.count, 4, l], scalars: all)
    }

    func check(_ spec: String, length: Int, seed: UInt64, batchSize: Int = 500, every: Int = 1, nonOneHot: Bool = false) throws {
        let model = try CNNModel(architecture: CNNArchitecture(spec), length: length, taskNames: ["a", "b", "c"], seed: seed)
        var rng = RandomGenerator(seed: seed &+ 1)
        _ = model.logits(Variable(Tensor.uniform([8, 4, length], using: &rng)), training: true)   // running statistics
        let seq = String((0..<length).map { _ in OneHot.bases[rng.int(below: 4)] })
        var x = OneHot.encode([seq]).reshaped([4, length])
        if nonOneHot { for c in 0..<4 { x.scalars[c * length + 3] = 0 } }                          // an N at position 3
        var variants: [(pos: Int, base: Int)] = []
        for i in Array(stride(from: 0, to: length, by: every)) + [length - 2, length - 1] {
            for b in 0..<4 where x.scalars[b * length + i] < 0.5 { variants.append((i, b)) }
        }
        let fast = model.variantLogits(x, variants: variants, batchSize: batchSize)
        let full = model.predict(explicit(x, variants))
        #expect(fast.shape == full.shape, "\(spec)")
        let worst = zip(fast.scalars, full.scalars).map { Swift.abs($0 - $1) / (1 + Swift.abs($1)) }.max() ?? 0
        #expect(worst < 2e-4, "\(spec): largest relative difference \(worst)")
    }

    @Test func namedArchitecturesMatchTheFullForwardPass() throws {
        for name in CNNArchitecture.names + ["cnn-4-25", "cnn-25-4"] {
            try check(CNNArchitecture.named(name, activation: .exponential).description, length: 200, seed: 3, every: 7)
        }
    }

    /// Valid and same padding, pools that leave a remainder, a pool wider than the window,
    /// global pooling, an unfolded BatchNorm after an activation, a layer that ends the local
    /// prefix (positional encoding, attention), reverse-complement sharing (full pass), small
    /// batches split over threads, and a position that is no base at all.
    @Test(arguments: [
        "conv5x7 relu pool3 conv6x4/valid exp pool2 flatten dense5 relu",
        "conv4x3/valid bn relu conv5x5 relu pool5 gmax dense3",
        "conv4x9 exp bn pool2 conv3x3/nobias tanh gmean",
        "conv8x5 relu pool2 posenc mha2 gmax",
        "rc conv4x5 relu pool3 conv4x3 relu flatten",
        "conv6x1 sigmoid pool7 flatten dense4 softplus",
    ])
    func layerKindsMatchTheFullForwardPass(spec: String) throws {
        try check(spec, length: 37, seed: 11, batchSize: 5)
        try check(spec, length: 37, seed: 12, batchSize: 64, nonOneHot: true)
    }

    /// Substitutions of several bases (motifs of widths 1–9, at both ends too, mixed in one call)
    /// against the full forward pass, for every named architecture and a reverse-complement one.
    @Test func motifSubstitutionsMatchTheFullForwardPass() throws {
        for spec in try CNNArchitecture.names.map({ try CNNArchitecture.named($0, activation: .exponential).description }) + ["rc conv4x5 relu pool3 conv4x3 relu flatten"] {
            let length = 120
            let model = try CNNModel(architecture: CNNArchitecture(spec), length: length, taskNames: ["a", "b"], seed: 5)
            var rng = RandomGenerator(seed: 6)
            _ = model.logits(Variable(Tensor.uniform([8, 4, length], using: &rng)), training: true)
            let seq = (0..<length).map { _ in rng.int(below: 4) }
            let x = OneHot.encode([String(seq.map { OneHot.bases[$0] })]).reshaped([4, length])
            var subs: [(start: Int, bases: [Int])] = []
            for w in [1, 2, 6, 9] {
                for start in [0, 1, 37, 58, length - w - 1, length - w] { subs.append((start, (0..<w).map { _ in rng.int(below: 4) })) }
            }
            let fast = model.substitutionLogits(x, substitutions: subs, batchSize: 7)
            var rows: [String] = []
            for s in subs {
                var edited = seq
                for (j, b) in s.bases.enumerated() { edited[s.start + j] = b }
                rows.append(String(edited.map { OneHot.bases[$0] }))
            }
            let full = model.predict(OneHot.encode(rows))
            let worst = zip(fast.scalars, full.scalars).map { Swift.abs($0 - $1) / (1 + Swift.abs($1)) }.max() ?? 0
            #expect(fast.shape == full.shape && worst < 2e-4, "\(spec): largest relative difference \(worst)")
        }
    }

    @Test func noVariantsGiveAnEmptyTable() throws {
        let model = try CNNModel(architecture: CNNArchitecture("conv4x5 relu flatten"), length: 10, taskNames: ["t"], seed: 1)
        #expect(model.variantLogits(Tensor(zeros: [4, 10]), variants: []).shape == [0, 1])
    }
}
