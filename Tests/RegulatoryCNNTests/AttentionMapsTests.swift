import Testing
import Tensors
import Autodiff
import Layers
import RegulatoryCNN
#if canImport(Glibc)
import Glibc
#endif

@Suite struct AttentionMapsTests {
    /// One head over the one-hot bases themselves (`mha1` as the first layer): W_q = a·I and
    /// W_k maps base b to e_{b−1}, no biases, so q_i·k_j = a² when b_j = b_i + 1 (mod 4) and 0
    /// otherwise. On ACGT position i therefore attends to i + 1 (mod 4) with
    /// A[i, j] = e^{s}/(e^{s} + 3), s = a²/√4, and e^0/(e^s + 3) elsewhere.
    @Test func exportedMapEqualsTheHandSetAttention() throws {
        let model = try CNNModel(architecture: try CNNArchitecture("mha1 gmax"), length: 4, taskNames: ["t"], seed: 1)
        let block = try #require(model.network.layers.first as? SelfAttentionBlock)
        let a: Float = 3
        var wq = Tensor(zeros: [4, 4]), wk = Tensor(zeros: [4, 4])
        for b in 0..<4 { wq.scalars[b * 4 + b] = a; wk.scalars[((b + 3) % 4) * 4 + b] = a }
        block.attention.query.weight.value = wq; block.attention.key.weight.value = wk
        block.attention.query.bias!.value = Tensor(zeros: [4]); block.attention.key.bias!.value = Tensor(zeros: [4])
        var x = Tensor(zeros: [2, 4, 4])
        for i in 0..<4 { x.scalars[(0 * 4 + i) * 4 + i] = 1; x.scalars[(1 * 4 + (3 - i)) * 4 + i] = 1 }   // ACGT, TGCA
        let maps = try AttentionMaps(model: model).maps(x, batchSize: 1)
        #expect(maps.shape == [2, 1, 4, 4])
        let s = Double(a * a) / 2, z = exp(s) + 3
        for i in 0..<4 { for j in 0..<4 {
            let acgt = j == (i + 1) % 4 ? exp(s) / z : 1 / z          // ACGT: base i, next base i + 1
            let tgca = j == (i + 3) % 4 ? exp(s) / z : 1 / z          // TGCA: base 3 − i, so b_j = b_i + 1 at j = i − 1
            #expect(Swift.abs(Double(maps.scalars[i * 4 + j]) - acgt) < 1e-5, "ACGT \(i)→\(j)")
            #expect(Swift.abs(Double(maps.scalars[16 + i * 4 + j]) - tgca) < 1e-5, "TGCA \(i)→\(j)")
        } }
    }

    /// The map comes from the forward pass: BN folded and dropout off give the same map as the
    /// unfolded network in inference mode, and its rows are distributions.
    @Test func mapsMatchTheUnfoldedForwardPassAndWindowsCompose() throws {
        let model = try CNNModel(architecture: try CNNArchitecture("conv8x5 bn exp dropout0.2 pool2 posenc mha2 gmax"), length: 20, taskNames: ["t"], seed: 5)
        var rng = RandomGenerator(seed: 6)
        let x = Tensor.uniform([3, 4, 20], using: &rng)
        let attention = try AttentionMaps(model: model)
        let maps = try attention.maps(x)
        #expect(maps.shape == [3, 2, 10, 10])
        var h = Variable(x)
        for l in model.network.layers { if let b = l as? SelfAttentionBlock { h = b.attend(h).attention; break }; h = l(h, training: false) }
        #expect(zip(maps.scalars, h.value.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-4 })
        // conv width 5 ("same": padding 2) then pool 2: position p covers 2p − 2 … 2p + 3.
        #expect(try attention.window() == AttentionMaps.Window(stride: 2, offset: -2, receptiveField: 6))
        #expect(try attention.window().bases(0, length: 20) == 0...3)
        #expect(try attention.window().bases(9, length: 20) == 16...19)
    }

    @Test func modelWithoutAttentionIsAClearError() throws {
        let model = try CNNModel(architecture: try CNNArchitecture("conv4x3 relu gmax"), length: 10, taskNames: ["t"], seed: 1)
        #expect { try AttentionMaps(model: model) } throws: { "\($0)".contains("no self-attention layer") }
        let hybrid = try CNNModel(architecture: try CNNArchitecture("conv4x3 mha1 gmax"), length: 10, taskNames: ["t"], seed: 1)
        #expect { try AttentionMaps(model: hybrid).maps(Tensor(zeros: [1, 4, 10]), layer: 1) } throws: { "\($0)".contains("layer 1 does not exist") }
    }
}
